// Classification metrics, pure and generic over the label type. A ratio with a zero denominator
// (precision of a class never predicted, recall of a class never seen) is 0, as in scikit-learn's
// default; a metric over no rows at all is null, because 0 would read as a measurement.

/** Precision, recall and F1 of one class (each 0..1), with how often it is gold and predicted. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose gold label is this class. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
}

/** A confusion matrix: `matrix[g][p]` counts rows with gold `labels[g]` predicted as `labels[p]`. */
export interface Confusion<L extends string> {
  labels: L[];
  matrix: number[][];
}

/** Everything `classificationMetrics` measures over one set of predictions. */
export interface ClassificationMetrics<L extends string> {
  /** Rows measured. */
  count: number;
  /** Share of rows predicted right, 0..1; null with no rows. */
  accuracy: number | null;
  /** Unweighted mean F1 over the classes present in gold, 0..1; null with no rows. */
  macroF1: number | null;
  /** The classes the macro-F1 averages over (those with support), in `labels` order. */
  macroF1Over: L[];
  perClass: Record<L, ClassMetrics>;
  confusion: Confusion<L>;
}

function checkLengths(gold: readonly unknown[], predicted: readonly unknown[]): void {
  if (gold.length !== predicted.length) {
    throw new RangeError(`gold and predicted differ in length: ${gold.length} and ${predicted.length}`);
  }
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);

/** Share of positions where gold and predicted agree, 0..1; null when both are empty. */
export function accuracy<L>(gold: readonly L[], predicted: readonly L[]): number | null {
  checkLengths(gold, predicted);
  if (gold.length === 0) return null;
  let right = 0;
  gold.forEach((g, i) => {
    if (predicted[i] === g) right += 1;
  });
  return right / gold.length;
}

/** The confusion matrix over `labels` (rows gold, columns predicted); a label outside `labels` is an error. */
export function confusionMatrix<L extends string>(gold: readonly L[], predicted: readonly L[], labels: readonly L[]): Confusion<L> {
  checkLengths(gold, predicted);
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  gold.forEach((g, i) => {
    const p = predicted[i] as L;
    const row = index.get(g);
    const column = index.get(p);
    if (row === undefined || column === undefined) throw new RangeError(`label not in the label set: ${row === undefined ? g : p}`);
    (matrix[row] as number[])[column] = ((matrix[row] as number[])[column] as number) + 1;
  });
  return { labels: [...labels], matrix };
}

/** Per-class precision, recall and F1 from a confusion matrix. */
export function perClassMetrics<L extends string>(confusion: Confusion<L>): Record<L, ClassMetrics> {
  const { labels, matrix } = confusion;
  const result = {} as Record<L, ClassMetrics>;
  labels.forEach((label, k) => {
    const truePositives = matrix[k]?.[k] ?? 0;
    const support = (matrix[k] ?? []).reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    result[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predicted };
  });
  return result;
}

/** Unweighted mean F1 over the classes with support in gold, 0..1; null when no class has support. */
export function macroF1<L extends string>(perClass: Record<L, ClassMetrics>, labels: readonly L[]): number | null {
  const present = labels.filter((label) => perClass[label].support > 0);
  if (present.length === 0) return null;
  return present.reduce((sum, label) => sum + perClass[label].f1, 0) / present.length;
}

/** Accuracy, per-class metrics, macro-F1 and the confusion matrix of one set of predictions. */
export function classificationMetrics<L extends string>(gold: readonly L[], predicted: readonly L[], labels: readonly L[]): ClassificationMetrics<L> {
  const confusion = confusionMatrix(gold, predicted, labels);
  const perClass = perClassMetrics(confusion);
  return {
    count: gold.length,
    accuracy: accuracy(gold, predicted),
    macroF1: macroF1(perClass, labels),
    macroF1Over: labels.filter((label) => perClass[label].support > 0),
    perClass,
    confusion,
  };
}

/**
 * ROC AUC of `scores` separating positives from negatives, 0..1, by the rank (Mann-Whitney U)
 * formula: tied scores share their average rank, so a tie between a positive and a negative
 * counts one half. Null when either class is empty (the AUC is undefined).
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  checkLengths(scores, positive);
  const bad = scores.findIndex((score) => !Number.isFinite(score));
  if (bad >= 0) throw new RangeError(`score ${bad} is not a finite number: ${scores[bad]}`);
  const order = scores.map((score, i) => ({ score, positive: positive[i] === true })).sort((a, b) => a.score - b.score);
  const positives = order.filter((o) => o.positive).length;
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && order[end]!.score === order[start]!.score) end++;
    // Ranks start..end-1 (1-based start+1..end) are tied: each gets their mean.
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (order[i]!.positive) positiveRankSum += averageRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean recall over the classes present in gold (balanced accuracy), 0..1; null with no rows. */
export function balancedAccuracy<L extends string>(perClass: Record<L, ClassMetrics>, labels: readonly L[]): number | null {
  const present = labels.filter((label) => perClass[label].support > 0);
  if (present.length === 0) return null;
  return present.reduce((sum, label) => sum + perClass[label].recall, 0) / present.length;
}
