import { isOtherRole, type Model, type Phrase, type PhraseLabel, type TrainingSettings } from "../model/schema.js";
import { hashPhrases, trainModel } from "../model/train.js";
import { classify } from "../score/classify.js";
import { keywordPhraseLabel, countKeywords, shareOf, trainBayesBaseline } from "./baselines.js";
import { classificationMetrics, rocAuc } from "./metrics.js";
import { CLASSIFIERS, round4, type ClassifierName, type CrossValidationMetrics, type CrossValidationReport } from "./report.js";

/** Options of `crossValidate`. */
export interface CrossValidationOptions {
  /** Number of folds, 2..(phrases in the smallest class). */
  folds: number;
  /** Seed of the order phrases are dealt into folds; the same seed gives the same folds. */
  seed: number;
  /** Training settings for pmpo's model on each fold. */
  settings: TrainingSettings;
  /** Names the phrases in the report. */
  source: string;
}

/** How a held-out phrase gets its predicted label, as the report states it. */
export const PHRASE_RULE =
  "pmpo: the side with more weighted evidence, neutral when the two are equal (in practice: no model term in the phrase); " +
  "keywords: the side with more keyword hits, neutral on a tie; bayes: natural's classify (most probable of the three classes)";

const PHRASE_LABELS: PhraseLabel[] = ["product-manager", "product-owner", "neutral"];

/** A small seeded generator (mulberry32): deterministic, and good enough to shuffle phrases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fold (0..folds-1) of each phrase, stratified: each class is sorted by its text (so the
 * order of lines in the file does not matter), shuffled with the seed, and dealt round-robin,
 * so every fold holds the same share of each class to within one phrase.
 */
export function assignFolds(phrases: readonly Phrase[], folds: number, seed: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer of at least 2, got ${folds}`);
  const random = seededRandom(seed);
  const fold = new Array<number>(phrases.length).fill(0);
  for (const label of PHRASE_LABELS) {
    const members = phrases
      .map((phrase, index) => ({ key: phrase.phrase.toLowerCase().replace(/\s+/g, " ").trim(), index }))
      .filter(({ index }) => phrases[index]!.label === label)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.forEach(({ index }, position) => {
      fold[index] = position % folds;
    });
  }
  return fold;
}

interface PhrasePrediction {
  label: PhraseLabel;
  /** Product manager share of the evidence, 0..1, 0.5 with none. */
  pmShare: number;
}

/** pmpo's reading of one phrase: the side with more evidence; equal evidence is neutral. */
export function pmpoPhraseLabel(phrase: string, model: Model): PhrasePrediction {
  const { evidence, pmShare } = classify(phrase, { model, topPhrases: 0 });
  const label = evidence.productManager > evidence.productOwner ? "product-manager" : evidence.productOwner > evidence.productManager ? "product-owner" : "neutral";
  return { label, pmShare };
}

/**
 * k-fold cross-validation on training phrases: for each fold, pmpo (trainModel with `settings`)
 * and the Bayes baseline are trained on the other folds and predict the fold's phrases; the
 * keyword counter needs no training and reads every phrase as it is. Pure and deterministic.
 */
export function crossValidate(allPhrases: readonly Phrase[], options: CrossValidationOptions): CrossValidationReport {
  const { folds, seed, settings } = options;
  // Other roles' phrases are not measured here (the three classifiers read product sides); they stay in every training fold.
  const phrases = allPhrases.filter(({ label }) => !isOtherRole(label));
  const otherRoles = allPhrases.filter(({ label }) => isOtherRole(label));
  const counts = { productManager: 0, productOwner: 0, neutral: 0 };
  for (const { label } of phrases) {
    if (label === "product-manager") counts.productManager++;
    else if (label === "product-owner") counts.productOwner++;
    else counts.neutral++;
  }
  const smallest = Math.min(counts.productManager, counts.productOwner);
  if (folds > smallest) throw new RangeError(`${folds} folds need at least ${folds} phrases per side; the smaller side has ${smallest}`);
  const foldOf = assignFolds(phrases, folds, seed);
  const predictions: Record<ClassifierName, PhrasePrediction[]> = { pmpo: [], keywords: [], bayes: [] };
  for (let k = 0; k < folds; k++) {
    const training = [...phrases.filter((_, i) => foldOf[i] !== k), ...otherRoles];
    const model = trainModel(training, settings);
    const bayes = trainBayesBaseline(training);
    phrases.forEach(({ phrase }, i) => {
      if (foldOf[i] !== k) return;
      predictions.pmpo[i] = pmpoPhraseLabel(phrase, model);
      const hits = countKeywords(phrase);
      predictions.keywords[i] = { label: keywordPhraseLabel(phrase), pmShare: shareOf(hits.productManager, hits.productOwner) };
      const p = bayes.posteriors(phrase);
      predictions.bayes[i] = { label: bayes.classifyPhrase(phrase), pmShare: p ? shareOf(p["product-manager"], p["product-owner"]) : 0.5 };
    });
  }
  const classifiers = Object.fromEntries(
    CLASSIFIERS.map((name) => [name, phraseMetrics(phrases, predictions[name], foldOf, folds)]),
  ) as Record<ClassifierName, CrossValidationMetrics>;
  return {
    mode: "cross-validation",
    source: options.source,
    trainingHash: hashPhrases(phrases),
    folds,
    seed,
    phrases: counts,
    phraseRule: PHRASE_RULE,
    classifiers,
    warnings: [],
  };
}

function phraseMetrics(phrases: readonly Phrase[], predicted: readonly PhrasePrediction[], foldOf: readonly number[], folds: number): CrossValidationMetrics {
  const leaningRows = phrases.map((p, i) => ({ gold: p.label, prediction: predicted[i]!, fold: foldOf[i]! })).filter((r) => r.gold !== "neutral");
  const leaning = classificationMetrics(
    leaningRows.map((r) => r.gold),
    leaningRows.map((r) => r.prediction.label),
    PHRASE_LABELS,
  );
  const all = classificationMetrics(
    phrases.map((p) => p.label),
    predicted.map((p) => p.label),
    PHRASE_LABELS,
  );
  const neutralRow = all.confusion.matrix[2] ?? [0, 0, 0];
  const neutralCount = neutralRow.reduce((a, b) => a + b, 0);
  const classMetrics = (label: "product-manager" | "product-owner") => {
    const m = leaning.perClass[label];
    return { precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1), support: m.support, predicted: m.predicted };
  };
  const foldAccuracy: (number | null)[] = [];
  for (let k = 0; k < folds; k++) {
    const inFold = leaningRows.filter((r) => r.fold === k);
    foldAccuracy.push(inFold.length === 0 ? null : round4(inFold.filter((r) => r.prediction.label === r.gold).length / inFold.length));
  }
  return {
    leaning: {
      phrases: leaningRows.length,
      accuracy: round4(leaning.accuracy),
      macroF1: round4(leaning.macroF1),
      perClass: { "product-manager": classMetrics("product-manager"), "product-owner": classMetrics("product-owner") },
      auc: round4(
        rocAuc(
          leaningRows.map((r) => r.prediction.pmShare),
          leaningRows.map((r) => r.gold === "product-manager"),
        ),
      ),
      coverage: leaningRows.length === 0 ? null : round4(leaningRows.filter((r) => r.prediction.label !== "neutral").length / leaningRows.length),
      foldAccuracy,
    },
    neutral: {
      phrases: neutralCount,
      predicted: { "product-manager": neutralRow[0] ?? 0, "product-owner": neutralRow[1] ?? 0, neutral: neutralRow[2] ?? 0 },
      keptNeutral: neutralCount === 0 ? null : round4((neutralRow[2] ?? 0) / neutralCount),
    },
    confusion: { labels: [...PHRASE_LABELS], matrix: all.confusion.matrix },
  };
}
