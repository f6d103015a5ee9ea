// Two baselines pmpo must beat, both scoring an ad with the same four labels and a pmShare.
// Their rules were fixed before they were run on any real ad and are not tuned: a baseline that
// is tuned on the evaluation data stops being a baseline.
import BayesClassifier from "natural/lib/natural/classifiers/bayes_classifier.js";
import { isOtherRole, type Phrase, type SideLabel as PhraseLabel } from "../model/schema.js";
import type { Label } from "../score/result.js";

/** A baseline's verdict on one ad. */
export interface BaselineResult {
  label: Label;
  /** Share of the baseline's evidence that is product manager, 0..1 (0.5 with none). */
  pmShare: number;
  /** The baseline's evidence per side: keyword hits, or sentences whose most likely class is that side. */
  evidence: { productManager: number; productOwner: number };
}

/**
 * The fixed rules both baselines turn evidence into a label with: fewer than `minEvidence` units
 * of evidence on the two sides together is insufficient evidence; otherwise a two-to-one majority
 * (pmShare at least 2/3, or at most 1/3) is a leaning, and anything between is hybrid.
 */
export const BASELINE_RULES = { minEvidence: 3, managerShare: 2 / 3, ownerShare: 1 / 3 } as const;

/** Share of evidence that is product manager, 0..1; 0.5 when there is none. */
export function shareOf(productManager: number, productOwner: number): number {
  const total = productManager + productOwner;
  return total > 0 ? productManager / total : 0.5;
}

/** The label `BASELINE_RULES` give to an amount of evidence and its product manager share. */
export function baselineLabel(evidence: number, pmShare: number): Label {
  if (evidence < BASELINE_RULES.minEvidence) return "insufficient-evidence";
  if (pmShare >= BASELINE_RULES.managerShare) return "product-manager-leaning";
  if (pmShare <= BASELINE_RULES.ownerShare) return "product-owner-leaning";
  return "hybrid";
}

/** One keyword of the plain counter: a name for reports and its word-bounded pattern. */
export interface Keyword {
  keyword: string;
  pattern: RegExp;
}

const keyword = (name: string, source: string): Keyword => ({ keyword: name, pattern: new RegExp(`\\b(?:${source})\\b`, "gi") });

/**
 * The plain counter's keywords: the words a recruiter would name first for each role, with
 * their plurals and spelling variants, and nothing learnt from data.
 */
export const KEYWORDS: Readonly<Record<"productManager" | "productOwner", readonly Keyword[]>> = {
  productManager: [
    keyword("strategy", "strateg(?:y|ies|ic)"),
    keyword("vision", "visions?"),
    keyword("roadmap", "road[- ]?maps?"),
    keyword("market", "markets?|go[- ]to[- ]market"),
    keyword("metrics", "metrics|kpis?|okrs?"),
    keyword("stakeholders", "stakeholders?"),
    keyword("business case", "business cases?"),
    keyword("pricing", "pricing"),
    keyword("competitors", "competitors?|competitive"),
    keyword("revenue", "revenues?"),
    keyword("customer research", "customer research|user research|customer discovery|product discovery"),
    keyword("positioning", "positioning"),
    keyword("product lifecycle", "product life[- ]?cycles?"),
  ],
  productOwner: [
    keyword("backlog", "backlogs?"),
    keyword("user stories", "user stor(?:y|ies)"),
    keyword("sprint", "sprints?"),
    keyword("scrum", "scrum"),
    keyword("acceptance criteria", "acceptance criteri(?:a|on)"),
    keyword("refinement", "refinements?|grooming"),
    keyword("agile", "agile"),
    keyword("ceremonies", "ceremon(?:y|ies)"),
    keyword("stand-up", "stand[- ]?ups?|daily scrum"),
    keyword("development team", "development teams?|dev teams?"),
    keyword("iteration", "iterations?"),
    keyword("definition of done", "definition of done"),
    keyword("velocity", "velocity"),
    keyword("retrospective", "retrospectives?|retros?"),
  ],
};

/** Keyword hits per side of one text, and per keyword (only those that occur). */
export function countKeywords(text: string): { productManager: number; productOwner: number; hits: Record<string, number> } {
  const hits: Record<string, number> = {};
  const side = (keywords: readonly Keyword[]) => {
    let total = 0;
    for (const { keyword: name, pattern } of keywords) {
      const count = text.match(pattern)?.length ?? 0;
      if (count > 0) hits[name] = count;
      total += count;
    }
    return total;
  };
  return { productManager: side(KEYWORDS.productManager), productOwner: side(KEYWORDS.productOwner), hits };
}

/**
 * The plain keyword counter: every occurrence of a keyword counts one (no weights, no sections,
 * no cap on repeats), pmShare = pm / (pm + po), and the label follows `BASELINE_RULES`.
 */
export function keywordBaseline(text: string): BaselineResult {
  const { productManager, productOwner } = countKeywords(text);
  const pmShare = shareOf(productManager, productOwner);
  return { label: baselineLabel(productManager + productOwner, pmShare), pmShare, evidence: { productManager, productOwner } };
}

/** The keyword counter's reading of one training phrase: the side with more hits, neutral on a tie. */
export function keywordPhraseLabel(phrase: string): PhraseLabel {
  const { productManager, productOwner } = countKeywords(phrase);
  if (productManager > productOwner) return "product-manager";
  if (productOwner > productManager) return "product-owner";
  return "neutral";
}

/** Posterior probabilities of the three phrase classes for one short text, summing to 1. */
export type Posteriors = Record<PhraseLabel, number>;

/** natural's BayesClassifier trained on labelled phrases, read as a baseline. */
export interface BayesBaseline {
  /** Posteriors of one sentence or phrase, or null when it holds no word the classifier has seen. */
  posteriors(text: string): Posteriors | null;
  /** The baseline's verdict on a whole ad (see `trainBayesBaseline`). */
  classifyAd(text: string): BaselineResult;
  /**
   * The most probable class of one phrase, as natural's `classify` gives it; a phrase with no
   * known word gets the class with the most training phrases (natural's prior).
   */
  classifyPhrase(phrase: string): PhraseLabel;
}

// Where an ad's sentences end: sentence punctuation, line breaks, bullets and table bars.
const SENTENCE_BREAK = /[.!?;\n\r|\u2022\u25CF\u25AA]+/;
const PHRASE_LABELS: readonly PhraseLabel[] = ["product-manager", "product-owner", "neutral"];

/**
 * Trains natural's BayesClassifier (Porter stemming, natural's stopwords, one document per
 * phrase, classes product-manager, product-owner and neutral) on `phrases`, in a canonical order.
 *
 * An ad is scored sentence by sentence, because natural multiplies one probability per known
 * word without logarithms, and on a whole ad of a few hundred words every class's probability
 * underflows to 0 (a quarter of the real ads did), leaving P(pm)/(P(pm)+P(po)) undefined. The
 * training phrases are sentence-sized, so sentences are also the unit the classifier was
 * trained on. Each sentence with a known word gets its normalised posteriors; a sentence whose
 * most probable class is product-manager or product-owner is one unit of evidence for it
 * (neutral sentences are none). pmShare = Σ P(pm) / Σ (P(pm) + P(po)) over those leaning
 * sentences, 0.5 with none, and the label follows `BASELINE_RULES` on the sentence counts and
 * that share.
 */
export function trainBayesBaseline(phrases: readonly Phrase[]): BayesBaseline {
  const classifier = new BayesClassifier();
  // natural breaks exact ties by the order classes were first seen and sums in the order words
  // were: a canonical order makes the baseline independent of the order of lines in the file.
  const canonical = phrases
    .filter(({ label }) => !isOtherRole(label))
    .map(({ label, phrase }) => ({ label, phrase, key: `${label}\t${phrase.toLowerCase().replace(/\s+/g, " ").trim()}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { label, phrase } of canonical) classifier.addDocument(phrase, label);
  classifier.train();
  const known = new Set(Object.keys(classifier.features));

  const posteriors = (text: string): Posteriors | null => {
    const stems = classifier.stemmer.tokenizeAndStem(text);
    if (!stems.some((stem) => known.has(stem))) return null;
    const values: Posteriors = { "product-manager": 0, "product-owner": 0, neutral: 0 };
    for (const { label, value } of classifier.getClassifications(stems)) {
      if (label in values) values[label as PhraseLabel] = value;
    }
    const sum = values["product-manager"] + values["product-owner"] + values.neutral;
    if (!(sum > 0)) return null;
    for (const label of PHRASE_LABELS) values[label] /= sum;
    return values;
  };

  const argmax = (p: Posteriors): PhraseLabel =>
    PHRASE_LABELS.reduce((best, label) => (p[label] > p[best] ? label : best), PHRASE_LABELS[0] as PhraseLabel);

  return {
    posteriors,
    classifyAd(text) {
      let productManager = 0;
      let productOwner = 0;
      let pmMass = 0;
      let poMass = 0;
      for (const sentence of text.split(SENTENCE_BREAK)) {
        const p = posteriors(sentence);
        if (!p) continue;
        const top = argmax(p);
        if (top === "neutral") continue;
        if (top === "product-manager") productManager += 1;
        else productOwner += 1;
        pmMass += p["product-manager"];
        poMass += p["product-owner"];
      }
      // The amount of evidence is counted in sentences; the leaning comes from the posterior
      // share, the same number the AUC is measured on.
      const pmShare = shareOf(pmMass, poMass);
      return { label: baselineLabel(productManager + productOwner, pmShare), pmShare, evidence: { productManager, productOwner } };
    },
    classifyPhrase(phrase) {
      return classifier.classify(phrase) as PhraseLabel;
    },
  };
}
