import type { Model } from "../model/schema.js";
import { analyseAd } from "../score/classify.js";
import { compileModel } from "../score/compiled.js";
import { decideLabel, type Decision, type StatementEvidence } from "../score/decide.js";
import { hitsByStatement, statementEvidence, tallyVotes, votingOf } from "../score/duties.js";
import { LABELS, type Label } from "../score/result.js";
import type { SectionKind } from "../text/sections.js";
import { classificationMetrics } from "./metrics.js";
import { round4 } from "./report.js";

type Thresholds = Model["settings"]["thresholds"];

/** One statement as the decision sees it: its evidence before section weights, and its section. */
export interface StatementFeatures {
  evidence: StatementEvidence;
  section: SectionKind;
  /** Its section's weight in this ad. */
  weight: number;
}

/**
 * The statements of an ad with their evidence: everything the label depends on that no
 * threshold or section weight changes, so a grid of them can be scored without re-reading ads.
 */
export function statementFeatures(text: string, model: Model): StatementFeatures[] {
  const { hits, statements } = analyseAd(text, compileModel(model));
  const grouped = hitsByStatement(statements, hits);
  return statements.map(({ section, weight, clauseStarts }, i) => ({ evidence: statementEvidence(hits, grouped[i]!, clauseStarts), section, weight }));
}

/** The values a decision depends on once the statements are read: the thresholds. */
export interface DecisionValues {
  thresholds: Thresholds;
}

/** The decision `classify` would make on these statements with these values. */
export function decideFromFeatures(features: readonly StatementFeatures[], values: DecisionValues): Decision {
  const duties = features.map(({ evidence, weight }) => votingOf(evidence, weight, values.thresholds));
  return decideLabel(tallyVotes(duties), values.thresholds);
}

/**
 * Folds grouped by source: every ad of one source lands in the same fold, so a fold's figures
 * say how the choices do on sources they were not made on. Sources are dealt largest first to
 * the fold with the fewest ads (ties: the lower fold), which is deterministic and balanced.
 */
export function groupedFolds(groups: readonly string[], folds: number): number[] {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const order = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const load = new Array<number>(folds).fill(0);
  const foldOf = new Map<string, number>();
  for (const [group, size] of order) {
    const fold = load.indexOf(Math.min(...load));
    foldOf.set(group, fold);
    load[fold] = load[fold]! + size;
  }
  return groups.map((g) => foldOf.get(g)!);
}

/** One candidate: a name for each tuned value, and the values a decision then uses. */
export interface Candidate {
  /** The tuned values, by name (for reports). */
  choice: Record<string, number>;
  /** Which model (by index into the models tuned over) the candidate scores with. */
  model: number;
  values: DecisionValues;
}

/** Every combination of the grid's values, applied to the base values. */
export function candidateGrid(base: DecisionValues, grid: Record<string, readonly number[]>, models = 1): Candidate[] {
  const names = Object.keys(grid);
  const out: Candidate[] = [];
  const visit = (i: number, choice: Record<string, number>) => {
    if (i === names.length) {
      for (let model = 0; model < models; model++) out.push({ choice: { ...choice }, model, values: apply(base, choice) });
      return;
    }
    for (const value of grid[names[i]!]!) visit(i + 1, { ...choice, [names[i]!]: value });
  };
  visit(0, {});
  return out;
}

// Each name is a threshold's.
function apply(base: DecisionValues, choice: Record<string, number>): DecisionValues {
  const thresholds = structuredClone(base.thresholds);
  for (const [name, value] of Object.entries(choice)) {
    if (!(name in thresholds)) throw new RangeError(`tune: ${name} is not a threshold`);
    (thresholds as Record<string, { value: number }>)[name]!.value = value;
  }
  return { thresholds };
}

/** A labelled ad ready for tuning: its statements under each model tuned over, its gold label and its source. */
export interface TuningAd {
  features: StatementFeatures[][];
  gold: Label;
  group: string;
}

/** What grouped cross-validation of the decision found. */
export interface TuningResult {
  /** Out-of-fold decision of each ad: made with the values chosen on the other folds. */
  outOfFold: Decision[];
  /** Fold of each ad. */
  folds: number[];
  /** The candidate chosen on each fold's training folds. */
  chosenPerFold: Candidate[];
  /** The candidate chosen on all ads: what to ship. */
  chosen: Candidate;
  /** Macro-F1 of the out-of-fold decisions, and of the chosen candidate on all ads (in-sample). */
  outOfFoldMacroF1: number | null;
  inSampleMacroF1: number | null;
}

function macroF1Of(gold: readonly Label[], predicted: readonly Label[]): number {
  return classificationMetrics(gold, predicted, LABELS).macroF1 ?? 0;
}

// The best candidate on some ads: highest macro-F1, then the earlier in the grid (the grid lists
// each value's plainest choice first, so a tie keeps the simpler rule).
function best(ads: readonly TuningAd[], indices: readonly number[], candidates: readonly Candidate[], labels: readonly Label[][]): Candidate {
  let chosen = 0;
  let score = -1;
  const gold = indices.map((i) => ads[i]!.gold);
  candidates.forEach((_, c) => {
    const f1 = macroF1Of(gold, indices.map((i) => labels[c]![i]!));
    if (f1 > score + 1e-12) {
      score = f1;
      chosen = c;
    }
  });
  return candidates[chosen]!;
}

/**
 * Chooses the decision values by grouped cross-validation: for each fold, the candidate with
 * the best macro-F1 on the other folds decides that fold's ads. Pure and deterministic.
 */
export function tuneGrouped(ads: readonly TuningAd[], candidates: readonly Candidate[], folds: number): TuningResult {
  const foldOf = groupedFolds(ads.map((a) => a.group), folds);
  const decisions = candidates.map((c) => ads.map((ad) => decideFromFeatures(ad.features[c.model]!, c.values)));
  const labels = decisions.map((row) => row.map((d) => d.label));
  const outOfFold: Decision[] = new Array(ads.length);
  const chosenPerFold: Candidate[] = [];
  for (let f = 0; f < folds; f++) {
    const train = ads.map((_, i) => i).filter((i) => foldOf[i] !== f);
    const chosen = best(ads, train, candidates, labels);
    chosenPerFold.push(chosen);
    const c = candidates.indexOf(chosen);
    ads.forEach((_, i) => {
      if (foldOf[i] === f) outOfFold[i] = decisions[c]![i]!;
    });
  }
  const all = ads.map((_, i) => i);
  const chosen = best(ads, all, candidates, labels);
  const gold = ads.map((a) => a.gold);
  return {
    outOfFold,
    folds: foldOf,
    chosenPerFold,
    chosen,
    outOfFoldMacroF1: macroF1Of(gold, outOfFold.map((d) => d.label)),
    inSampleMacroF1: macroF1Of(gold, decisions[candidates.indexOf(chosen)]!.map((d) => d.label)),
  };
}

/** A logistic fit p = 1 / (1 + e^-(slope × x + intercept)). */
export interface Logistic {
  slope: number;
  intercept: number;
}

/** Fits a logistic curve of `correct` on `x` by Newton's method (Platt scaling), with a light ridge so a perfect split stays finite. */
export function fitLogistic(x: readonly number[], correct: readonly boolean[]): Logistic {
  let a = 1;
  let b = 0;
  const ridge = 1e-3;
  for (let iter = 0; iter < 100; iter++) {
    let ga = -ridge * a;
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i]! + b)));
      const y = correct[i] ? 1 : 0;
      ga += (y - p) * x[i]!;
      gb += y - p;
      const w = p * (1 - p);
      haa += w * x[i]! * x[i]!;
      hab += w * x[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { slope: a, intercept: b };
}

/** One row of a reliability table: ads whose confidence falls in `[from, to)`, how sure pmpo said it was, and how often it was right. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

/** The reliability table (five equal bins) and the Brier score of confidences against correctness. */
export function reliability(confidence: readonly number[], correct: readonly boolean[], bins = 5): { bins: ReliabilityBin[]; brier: number | null } {
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = confidence.map((c, i) => [c, i] as const).filter(([c]) => c >= from && (c < to || (b === bins - 1 && c <= 1)));
    const count = inBin.length;
    table.push({
      from,
      to,
      count,
      meanConfidence: count ? round4(inBin.reduce((s, [c]) => s + c, 0) / count) : null,
      accuracy: count ? round4(inBin.filter(([, i]) => correct[i]).length / count) : null,
    });
  }
  const brier = confidence.length ? round4(confidence.reduce((s, c, i) => s + (c - (correct[i] ? 1 : 0)) ** 2, 0) / confidence.length) : null;
  return { bins: table, brier };
}
