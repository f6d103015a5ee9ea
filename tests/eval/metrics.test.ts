import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accuracy, balancedAccuracy, classificationMetrics, confusionMatrix, rocAuc } from "../../src/eval/metrics.js";

const LABELS = ["a", "b", "c"] as const;
type L = (typeof LABELS)[number];

describe("classificationMetrics", () => {
  // Every expected number below is worked out by hand from the confusion matrix.
  it.each<{ name: string; gold: L[]; predicted: L[]; accuracy: number | null; macroF1: number | null; over: L[]; f1: Record<L, number>; matrix: number[][] }>([
    {
      name: "one b read as a: a has P 1, R 1/2; b has P 2/3, R 1",
      gold: ["a", "a", "b", "b"],
      predicted: ["a", "b", "b", "b"],
      accuracy: 0.75,
      macroF1: (2 / 3 + 0.8) / 2,
      over: ["a", "b"],
      f1: { a: 2 / 3, b: 0.8, c: 0 },
      matrix: [
        [1, 1, 0],
        [0, 2, 0],
        [0, 0, 0],
      ],
    },
    {
      name: "all wrong",
      gold: ["a", "b"],
      predicted: ["b", "a"],
      accuracy: 0,
      macroF1: 0,
      over: ["a", "b"],
      f1: { a: 0, b: 0, c: 0 },
      matrix: [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 0],
      ],
    },
    {
      name: "a class predicted but absent from gold is left out of macro-F1",
      gold: ["a", "a", "a"],
      predicted: ["a", "a", "c"],
      accuracy: 2 / 3,
      macroF1: 0.8,
      over: ["a"],
      f1: { a: 0.8, b: 0, c: 0 },
      matrix: [
        [2, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    },
    {
      name: "all right",
      gold: ["c", "b", "a"],
      predicted: ["c", "b", "a"],
      accuracy: 1,
      macroF1: 1,
      over: ["a", "b", "c"],
      f1: { a: 1, b: 1, c: 1 },
      matrix: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    {
      name: "no rows: null, not 0",
      gold: [],
      predicted: [],
      accuracy: null,
      macroF1: null,
      over: [],
      f1: { a: 0, b: 0, c: 0 },
      matrix: [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    },
  ])("$name", (row) => {
    const m = classificationMetrics(row.gold, row.predicted, LABELS);
    if (row.accuracy === null) expect(m.accuracy).toBeNull();
    else expect(m.accuracy).toBeCloseTo(row.accuracy, 10);
    if (row.macroF1 === null) expect(m.macroF1).toBeNull();
    else expect(m.macroF1).toBeCloseTo(row.macroF1, 10);
    expect(m.macroF1Over).toEqual(row.over);
    for (const label of LABELS) expect(m.perClass[label].f1).toBeCloseTo(row.f1[label], 10);
    expect(m.confusion).toEqual({ labels: [...LABELS], matrix: row.matrix });
    expect(m.count).toBe(row.gold.length);
  });

  it("gives precision, recall, support and predicted counts per class", () => {
    const m = classificationMetrics<L>(["a", "a", "b", "b"], ["a", "b", "b", "b"], LABELS);
    expect(m.perClass.a).toEqual({ precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 10), support: 2, predicted: 1 });
    expect(m.perClass.b).toEqual({ precision: expect.closeTo(2 / 3, 10), recall: 1, f1: expect.closeTo(0.8, 10), support: 2, predicted: 3 });
    expect(m.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 0 });
  });

  it("refuses lists of different lengths and labels outside the set", () => {
    expect(() => accuracy(["a"], [])).toThrow(RangeError);
    expect(() => confusionMatrix<string>(["a"], ["z"], ["a", "b"])).toThrow(/not in the label set: z/);
  });

  it("balanced accuracy is the mean recall over classes present in gold", () => {
    const m = classificationMetrics<L>(["a", "a", "a", "a", "b"], ["a", "a", "a", "b", "a"], LABELS);
    // recall a = 3/4, recall b = 0, c absent
    expect(balancedAccuracy(m.perClass, LABELS)).toBeCloseTo(0.375, 10);
    expect(balancedAccuracy(classificationMetrics<L>([], [], LABELS).perClass, LABELS)).toBeNull();
  });
});

describe("rocAuc", () => {
  it.each<{ name: string; scores: number[]; positive: boolean[]; auc: number | null }>([
    { name: "perfect separation", scores: [0.9, 0.8, 0.1, 0.2], positive: [true, true, false, false], auc: 1 },
    { name: "inverted", scores: [0.1, 0.2, 0.9, 0.8], positive: [true, true, false, false], auc: 0 },
    { name: "every score tied: one half", scores: [0.5, 0.5, 0.5], positive: [true, false, false], auc: 0.5 },
    // pairs (pos, neg): (0.8,0.5) 1, (0.8,0.2) 1, (0.5,0.5) 1/2, (0.5,0.2) 1 → 3.5 / 4
    { name: "one tie across the classes counts one half", scores: [0.8, 0.5, 0.5, 0.2], positive: [true, true, false, false], auc: 0.875 },
    // pos 1, 3/7, 0.5, 0, 0.6 against neg 0, 0, 1, 0.5: wins 3.5 + 2 + 2.5 + 1 + 3 = 12 of 20
    {
      name: "ties on both ends (the evaluation fixture's keyword shares)",
      scores: [1, 3 / 7, 0.5, 0, 0.6, 0, 0, 1, 0.5],
      positive: [true, true, true, true, true, false, false, false, false],
      auc: 0.6,
    },
    { name: "no negatives: undefined", scores: [0.2, 0.4], positive: [true, true], auc: null },
    { name: "no rows: undefined", scores: [], positive: [], auc: null },
  ])("$name", ({ scores, positive, auc }) => {
    const result = rocAuc(scores, positive);
    if (auc === null) expect(result).toBeNull();
    else expect(result).toBeCloseTo(auc, 10);
  });

  it("refuses a score that is not a finite number", () => {
    expect(() => rocAuc([0.1, Number.NaN], [true, false])).toThrow(/not a finite number/);
  });

  const samples = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 5 }).map((n) => n / 5), fc.boolean()), { minLength: 2, maxLength: 40 })
    .filter((rows) => rows.some(([, p]) => p) && rows.some(([, p]) => !p));

  it("equals the share of positive-negative pairs ranked right, ties counting one half", () => {
    fc.assert(
      fc.property(samples, (rows) => {
        const pos = rows.filter(([, p]) => p).map(([s]) => s);
        const neg = rows.filter(([, p]) => !p).map(([s]) => s);
        let wins = 0;
        for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
        const auc = rocAuc(
          rows.map(([s]) => s),
          rows.map(([, p]) => p),
        );
        expect(auc).toBeCloseTo(wins / (pos.length * neg.length), 10);
      }),
    );
  });

  it("turning the scores round gives one minus the AUC", () => {
    fc.assert(
      fc.property(samples, (rows) => {
        const positive = rows.map(([, p]) => p);
        const auc = rocAuc(rows.map(([s]) => s), positive) as number;
        const flipped = rocAuc(rows.map(([s]) => 1 - s), positive) as number;
        expect(auc + flipped).toBeCloseTo(1, 10);
      }),
    );
  });
});
