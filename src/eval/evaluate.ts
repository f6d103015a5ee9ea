import { isOtherRole, type Model, type Phrase } from "../model/schema.js";
import { hashPhrases } from "../model/train.js";
import { classify } from "../score/classify.js";
import { LABELS, type Classification, type Label, type TitleLeaning } from "../score/result.js";
import { titleLeaning } from "../score/title.js";
import { keywordBaseline, trainBayesBaseline, type BaselineResult } from "./baselines.js";
import { languageBreakdown } from "./languages.js";
import { maskRoleNames } from "./mask.js";
import { reliability } from "./tune.js";
import { SECTION_KINDS } from "../text/sections.js";
import { goldAucCeiling, misorderedTitlePairs, type TitledScore } from "./title-pairs.js";
import { balancedAccuracy, classificationMetrics, perClassMetrics, confusionMatrix, rocAuc } from "./metrics.js";
import {
  CLASSIFIERS,
  round4,
  type AdsReport,
  type ClassifierName,
  type LabelMetrics,
  type Miss,
  type Prediction,
  type TitleMetrics,
} from "./report.js";

/** One ad to evaluate on: its text and whatever labels it has. */
export interface EvaluationRow {
  /** Names the row in misses (an id column, or the row number). */
  id: string;
  /** The ad's body; a blank body is skipped and counted. */
  text: string;
  /** The gold label, or null when the row has none (skipped and counted for gold metrics). */
  gold: Label | null;
  /** The job title, or null; its `titleLeaning` is the weak label. */
  title: string | null;
  /** The ad's language as the CSV's language column gives it ("fr"), when there is one. */
  language?: string | null;
}

/** Options of `evaluateAds`. */
export interface EvaluateOptions {
  /** The model pmpo scores with. */
  model: Model;
  /** The phrases the Bayes baseline is trained on: normally the model's own training phrases. */
  phrases: readonly Phrase[];
  /** Mask role names in each text before any classifier sees it (default true). */
  mask?: boolean;
  /** How many of pmpo's worst misses to list (default 0). */
  misses?: number;
  /** Names the input in the report. */
  source: string;
  /** The columns the rows came from; a null gold or title column turns off those metrics. */
  columns: { text: string; gold: string | null; title: string | null };
  /** The language column the rows' `language` came from; with it the report breaks pmpo's figures down by language. */
  languageColumn?: string | null;
}

type Verdicts = Record<ClassifierName, BaselineResult>;

interface Scored {
  row: EvaluationRow;
  leaning: TitleLeaning | null;
  pmpo: Classification;
  verdicts: Verdicts;
}

/** A scored row whose title names one of the two roles. */
type TitledRow = Scored & { leaning: "product-manager" | "product-owner" };

const MISS_TOP_PHRASES = 3;
const TITLE_SIDES = ["product-manager", "product-owner"] as const;

/**
 * Runs pmpo and both baselines (keyword counter, natural's Bayes trained on `options.phrases`)
 * over labelled ads and measures each against the gold labels and/or the titles. Pure: the
 * same rows and options give the same report. The title is never shown to a classifier.
 */
export function evaluateAds(rows: readonly EvaluationRow[], options: EvaluateOptions): AdsReport {
  const mask = options.mask ?? true;
  const { model } = options;
  const bayes = trainBayesBaseline(options.phrases);
  const bayesHash = hashPhrases(options.phrases);
  const scored: Scored[] = [];
  let skippedNoText = 0;
  for (const row of rows) {
    if (row.text.trim() === "") {
      skippedNoText++;
      continue;
    }
    const text = mask ? maskRoleNames(row.text) : row.text;
    const pmpo = classify(text, { model, topPhrases: MISS_TOP_PHRASES });
    const leaning = row.title === null || row.title.trim() === "" ? null : titleLeaning(row.title);
    scored.push({
      row,
      leaning,
      pmpo,
      verdicts: {
        pmpo: { label: pmpo.label, pmShare: pmpo.pmShare, evidence: { productManager: pmpo.evidence.productManager, productOwner: pmpo.evidence.productOwner } },
        keywords: keywordBaseline(text),
        bayes: bayes.classifyAd(text),
      },
    });
  }

  const warnings: string[] = [];
  const sameAsModel = bayesHash === model.trainingHash;
  if (!sameAsModel) {
    warnings.push(
      `the Bayes baseline's phrases (${bayesHash.slice(0, 19)}…) are not the ones model ${model.name} ${model.version} was trained on (${model.trainingHash.slice(0, 19)}…): retrain the model on these phrases, or give the baseline the phrases the model was trained on`,
    );
  }

  const goldRows = scored.filter((s) => s.row.gold !== null);
  const titled = scored.filter((s): s is TitledRow => s.leaning === "product-manager" || s.leaning === "product-owner");
  const withGold = options.columns.gold !== null;
  const titledManager = titled.filter((s) => s.leaning === "product-manager").length;
  const titledOwner = titled.length - titledManager;
  const missLimit = options.misses ?? 0;
  const allMisses = withGold ? goldMisses(goldRows) : options.columns.title !== null ? titleMisses(titled) : [];

  const correct = goldRows.map((s) => s.pmpo.label === s.row.gold);
  return {
    mode: "ads",
    source: options.source,
    masked: mask,
    model: { name: model.name, version: model.version, trainingHash: model.trainingHash },
    bayesTraining: { trainingHash: bayesHash, phrases: options.phrases.filter(({ label }) => !isOtherRole(label)).length, sameAsModel },
    columns: { ...options.columns },
    rows: { read: rows.length, classified: scored.length, skippedNoText },
    gold:
      options.columns.gold === null
        ? null
        : {
            rows: goldRows.length,
            skippedNoLabel: scored.length - goldRows.length,
            classifiers: perClassifier((name) => labelMetrics(goldRows, name)),
          },
    calibration: withGold && goldRows.length > 0 ? reliability(goldRows.map((s) => s.pmpo.confidence), correct) : null,
    coverage: coverageBySection(scored.map((s) => s.pmpo)),
    titles:
      options.columns.title === null
        ? null
        : {
            rows: titled.length,
            productManager: titledManager,
            productOwner: titledOwner,
            skippedNoLeaning: scored.length - titled.length,
            pairs: titledManager * titledOwner,
            goldAucCeiling: withGold ? round4(goldAucCeiling(titled.map((s) => ({ title: s.leaning, gold: s.row.gold })))) : null,
            classifiers: perClassifier((name) => titleMetrics(titled, name, withGold)),
          },
    languages:
      options.languageColumn === undefined || options.languageColumn === null
        ? null
        : {
            column: options.languageColumn,
            figures: languageBreakdown(scored.map((s) => ({ language: s.row.language ?? "", detected: s.pmpo.language, gold: s.row.gold, predicted: s.pmpo.label }))),
          },
    predictions: scored.map(toPrediction),
    missed: allMisses.length,
    misses: allMisses.slice(0, missLimit),
    warnings,
  };
}

function perClassifier<T>(measure: (name: ClassifierName) => T): Record<ClassifierName, T> {
  return Object.fromEntries(CLASSIFIERS.map((name) => [name, measure(name)])) as Record<ClassifierName, T>;
}

function labelMetrics(rows: readonly Scored[], name: ClassifierName): LabelMetrics {
  const gold = rows.map((s) => s.row.gold as Label);
  const metrics = classificationMetrics(
    gold,
    rows.map((s) => s.verdicts[name].label),
    LABELS,
  );
  const leaning = rows.filter((s) => s.row.gold === "product-manager-leaning" || s.row.gold === "product-owner-leaning");
  const perClass = Object.fromEntries(
    LABELS.map((label) => {
      const m = metrics.perClass[label];
      return [label, { precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1), support: m.support, predicted: m.predicted }];
    }),
  ) as LabelMetrics["perClass"];
  return {
    accuracy: round4(metrics.accuracy),
    macroF1: round4(metrics.macroF1),
    macroF1Over: metrics.macroF1Over,
    perClass,
    confusion: metrics.confusion,
    aucLeaning: round4(
      rocAuc(
        leaning.map((s) => s.verdicts[name].pmShare),
        leaning.map((s) => s.row.gold === "product-manager-leaning"),
      ),
    ),
  };
}

// A pmShare on the title's side of 0.5 agrees with it; exactly 0.5 (no evidence, or a dead
// heat) takes no side and so agrees with neither.
function sideOf(pmShare: number): "product-manager" | "product-owner" | "none" {
  return pmShare > 0.5 ? "product-manager" : pmShare < 0.5 ? "product-owner" : "none";
}

function titledScore(s: TitledRow, name: ClassifierName): TitledScore {
  return { title: s.leaning, gold: s.row.gold, pmShare: s.verdicts[name].pmShare };
}

function titleMetrics(rows: readonly TitledRow[], name: ClassifierName, withGold: boolean): TitleMetrics {
  const sides = ["product-manager", "product-owner", "none"] as const;
  const confusion = confusionMatrix(
    rows.map((s) => s.leaning),
    rows.map((s) => sideOf(s.verdicts[name].pmShare)),
    sides,
  );
  const perClass = perClassMetrics(confusion);
  const agree = rows.filter((s) => sideOf(s.verdicts[name].pmShare) === s.leaning).length;
  const byTitle = Object.fromEntries(
    TITLE_SIDES.map((side) => {
      const counts = Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number>;
      for (const s of rows) if (s.leaning === side) counts[s.verdicts[name].label] += 1;
      return [side, counts];
    }),
  ) as TitleMetrics["byTitle"];
  return {
    auc: round4(
      rocAuc(
        rows.map((s) => s.verdicts[name].pmShare),
        rows.map((s) => s.leaning === "product-manager"),
      ),
    ),
    aucWithDuties: withGold
      ? round4(
          rocAuc(
            rows.filter((s) => s.row.gold !== null && s.row.gold !== "insufficient-evidence").map((s) => s.verdicts[name].pmShare),
            rows.filter((s) => s.row.gold !== null && s.row.gold !== "insufficient-evidence").map((s) => s.leaning === "product-manager"),
          ),
        )
      : null,
    leaningAccuracy: rows.length === 0 ? null : round4(agree / rows.length),
    balancedAccuracy: round4(balancedAccuracy(perClass, TITLE_SIDES)),
    byTitle,
    misorderedPairs: withGold ? misorderedTitlePairs(rows.map((s) => titledScore(s, name))) : null,
  };
}

function toPrediction(s: Scored): Prediction {
  const verdict = (v: BaselineResult) => ({
    label: v.label,
    pmShare: round4(v.pmShare),
    evidence: { productManager: round4(v.evidence.productManager), productOwner: round4(v.evidence.productOwner) },
  });
  return {
    id: s.row.id,
    title: s.row.title,
    gold: s.row.gold,
    titleLeaning: s.leaning,
    pmpo: { ...verdict(s.verdicts.pmpo), confidence: s.pmpo.confidence },
    keywords: verdict(s.verdicts.keywords),
    bayes: verdict(s.verdicts.bayes),
  };
}

function toMiss(s: Scored, rank: number, against: Miss["against"], expected: Miss["expected"]): Miss {
  const phrases = (list: Classification["topPhrases"]["productManager"]) => list.map(({ phrase, count, weight }) => ({ phrase, count, weight }));
  return {
    rank,
    id: s.row.id,
    title: s.row.title,
    against,
    expected,
    predicted: s.pmpo.label,
    confidence: s.pmpo.confidence,
    pmShare: s.pmpo.pmShare,
    evidence: s.pmpo.evidence,
    topPhrases: { productManager: phrases(s.pmpo.topPhrases.productManager), productOwner: phrases(s.pmpo.topPhrases.productOwner) },
    baselines: { keywords: s.verdicts.keywords.label, bayes: s.verdicts.bayes.label },
  };
}

const isOpposite = (gold: Label, predicted: Label) =>
  (gold === "product-manager-leaning" && predicted === "product-owner-leaning") ||
  (gold === "product-owner-leaning" && predicted === "product-manager-leaning");

/**
 * pmpo's wrong labels, worst first: a leaning read as the opposite leaning before any other
 * miss, and within each group the most confident first (a confident wrong answer misleads
 * more than a hesitant one); ties by id.
 */
function goldMisses(rows: readonly Scored[]): Miss[] {
  return rows
    .filter((s) => s.pmpo.label !== s.row.gold)
    .map((s) => ({ s, opposite: isOpposite(s.row.gold as Label, s.pmpo.label) }))
    .sort((a, b) => Number(b.opposite) - Number(a.opposite) || b.s.pmpo.confidence - a.s.pmpo.confidence || a.s.row.id.localeCompare(b.s.row.id))
    .map(({ s }, i) => toMiss(s, i + 1, "gold", s.row.gold as Label));
}

/**
 * Without gold labels: titled rows whose pmShare is not on the title's side, furthest from it
 * first, then the most evidence first; ties by id.
 */
function titleMisses(rows: readonly TitledRow[]): Miss[] {
  const wrongness = (s: TitledRow) => (s.leaning === "product-manager" ? 0.5 - s.pmpo.pmShare : s.pmpo.pmShare - 0.5);
  return rows
    .filter((s) => wrongness(s) >= 0)
    .sort((a, b) => wrongness(b) - wrongness(a) || b.pmpo.evidence.total - a.pmpo.evidence.total || a.row.id.localeCompare(b.row.id))
    .map((s, i) => toMiss(s, i + 1, "title", s.leaning));
}

/**
 * Share of statements with any evidence (a side's or another role's), per section and in all:
 * how much of what ads write the model reads at all.
 */
function coverageBySection(results: readonly Classification[]): AdsReport["coverage"] {
  const tally = Object.fromEntries(SECTION_KINDS.map((kind) => [kind, { statements: 0, withEvidence: 0 }])) as Record<
    (typeof SECTION_KINDS)[number],
    { statements: number; withEvidence: number }
  >;
  for (const result of results) {
    for (const duty of result.duties) {
      tally[duty.section].statements++;
      if (duty.evidence.productManager + duty.evidence.productOwner + duty.evidence.otherRole > 0) tally[duty.section].withEvidence++;
    }
  }
  const share = (t: { statements: number; withEvidence: number }) => ({ ...t, share: t.statements === 0 ? null : round4(t.withEvidence / t.statements) });
  const all = Object.values(tally).reduce((a, t) => ({ statements: a.statements + t.statements, withEvidence: a.withEvidence + t.withEvidence }), { statements: 0, withEvidence: 0 });
  return { all: share(all), bySection: Object.fromEntries(SECTION_KINDS.map((kind) => [kind, share(tally[kind])])) as AdsReport["coverage"]["bySection"] };
}
