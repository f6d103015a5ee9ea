import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { evaluateAds, type EvaluationRow } from "../../src/eval/evaluate.js";
import { adsReportSchema } from "../../src/schemas.js";
import { readSettingsFile } from "../../src/model/io.js";
import { parsePhrases, trainModel } from "../../src/model/train.js";
import { labelSchema } from "../../src/schemas.js";

const evalFixture = (name: string) => fixture("eval", name);
const { phrases } = parsePhrases(readFileSync(evalFixture("phrases-small.csv"), "utf8"), "phrases-small.csv");
const settings = readSettingsFile(evalFixture("settings.json"));
const model = trainModel(phrases, settings);
const records = parse(readFileSync(evalFixture("labelled-ads.csv"), "utf8"), { columns: true }) as Record<string, string>[];
const rows: EvaluationRow[] = records.map((r) => ({
  id: r.id ?? "",
  text: r.description ?? "",
  gold: r.gold_label ? labelSchema.parse(r.gold_label) : null,
  title: r.title ?? null,
}));
const columns = { text: "description", gold: "gold_label", title: "title" };
const report = evaluateAds(rows, { model, phrases, source: "labelled-ads.csv", columns, misses: 3 });

describe("evaluateAds", () => {
  it("returns a report the schema accepts", () => {
    expect(adsReportSchema.parse(report)).toEqual(report);
    expect(report.masked).toBe(true);
    expect(report.bayesTraining).toEqual({ trainingHash: model.trainingHash, phrases: 40, sameAsModel: true });
    expect(report.warnings).toEqual([]);
  });

  it("counts rows: one without text skipped, one without a gold label left out of the gold metrics", () => {
    expect(report.rows).toEqual({ read: 10, classified: 9, skippedNoText: 1 });
    expect(report.gold).toMatchObject({ rows: 8, skippedNoLabel: 1 });
    expect(report.titles).toMatchObject({ rows: 9, productManager: 5, productOwner: 4, skippedNoLeaning: 0 });
    expect(report.predictions.map((p) => p.id)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a10"]);
  });

  it("measures the keyword counter as worked out by hand", () => {
    // predicted PM PO HY IE PM PO IE HY against gold PM PO HY IE PM PO IE PM
    const gold = report.gold!.classifiers.keywords;
    expect(gold.accuracy).toBe(0.875);
    expect(gold.macroF1).toBe(0.8667); // (0.8 + 1 + 2/3 + 1) / 4
    expect(gold.perClass["product-manager-leaning"]).toEqual({ precision: 1, recall: 0.6667, f1: 0.8, support: 3, predicted: 2 });
    expect(gold.perClass.hybrid).toEqual({ precision: 0.5, recall: 1, f1: 0.6667, support: 1, predicted: 2 });
    expect(gold.aucLeaning).toBe(1);
    expect(gold.confusion.matrix).toEqual([
      [2, 0, 1, 0],
      [0, 2, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 2],
    ]);
    // titles PM: a1 1, a3 3/7, a4 0.5, a7 0, a10 0.6; PO: a2 0, a5 0, a6 1, a8 0.5 → 12 of 20 pairs
    const titles = report.titles!.classifiers.keywords;
    expect(titles.auc).toBe(0.6);
    expect(titles.leaningAccuracy).toBe(0.4444);
    expect(titles.balancedAccuracy).toBe(0.45);
    expect(titles.byTitle).toEqual({
      "product-manager": { "product-manager-leaning": 1, "product-owner-leaning": 1, hybrid: 2, "insufficient-evidence": 1 },
      "product-owner": { "product-manager-leaning": 1, "product-owner-leaning": 1, hybrid: 0, "insufficient-evidence": 2 },
    });
  });

  it("splits the keyword counter's wrongly ordered title pairs by what gold says, as worked out by hand", () => {
    // The 8 pairs above: a6 (PO title, gold PM, share 1) over a1 (tie, same label) 0.5, a3 (HY) 1
    // and a7 (PO) 1 as gold orders them, a4 (IE) 1, a10 (same label) 1; a8 (IE, 0.5) over a3 1,
    // a4 0.5 and a7 1; a2 (gold PO, 0) ties a7 (gold PO) 0.5; a5 (no gold, 0) ties a7 0.5.
    expect(report.titles!.pairs).toBe(20);
    expect(report.titles!.classifiers.keywords.misorderedPairs).toEqual({
      total: 8,
      withoutGold: 0.5,
      insufficientEvidence: 3.5,
      goldOrdersSo: 2,
      sameGoldLabel: 2,
      againstGold: 0,
    });
    // Only a6 over a3 and a7 must be lost by a score that orders ads as gold does.
    expect(report.titles!.goldAucCeiling).toBe(0.9);
  });

  it("counts as many wrongly ordered title pairs as the title AUC loses, for every classifier", () => {
    const titles = report.titles!;
    for (const name of ["pmpo", "keywords", "bayes"] as const) {
      const m = titles.classifiers[name];
      const pairs = m.misorderedPairs!;
      expect(pairs.withoutGold + pairs.insufficientEvidence + pairs.goldOrdersSo + pairs.sameGoldLabel + pairs.againstGold).toBe(pairs.total);
      expect(pairs.total).toBeCloseTo((1 - m.auc!) * titles.pairs, 2);
    }
  });

  it("lists at most the asked number of misses, opposite leanings first, then the most confident", () => {
    const wrong = report.predictions.filter((p) => p.gold !== null && p.gold !== p.pmpo.label);
    expect(report.missed).toBe(wrong.length);
    expect(report.misses.length).toBe(Math.min(3, wrong.length));
    report.misses.forEach((miss, i) => {
      expect(miss.rank).toBe(i + 1);
      expect(miss.against).toBe("gold");
      expect(miss.predicted).not.toBe(miss.expected);
    });
    const opposite = (m: (typeof report.misses)[number]) =>
      [m.expected, m.predicted].includes("product-manager-leaning") && [m.expected, m.predicted].includes("product-owner-leaning");
    for (let i = 1; i < report.misses.length; i++) {
      const [a, b] = [report.misses[i - 1]!, report.misses[i]!];
      expect(Number(opposite(a))).toBeGreaterThanOrEqual(Number(opposite(b)));
      if (opposite(a) === opposite(b)) expect(a.confidence).toBeGreaterThanOrEqual(b.confidence);
    }
  });

  it("without gold labels, measures and lists misses against titles", () => {
    const titleOnly = evaluateAds(rows, { model, phrases, source: "x", columns: { ...columns, gold: null }, misses: 20 });
    expect(titleOnly.gold).toBeNull();
    expect(titleOnly.titles).not.toBeNull();
    expect(titleOnly.titles!.goldAucCeiling).toBeNull();
    expect(titleOnly.titles!.classifiers.pmpo.misorderedPairs).toBeNull();
    for (const miss of titleOnly.misses) {
      expect(miss.against).toBe("title");
      expect(miss.expected === "product-manager" ? miss.pmShare <= 0.5 : miss.pmShare >= 0.5).toBe(true);
    }
  });

  it("masks role names before any classifier sees them", () => {
    // A Bayes baseline that learnt the role name itself: unmasked, the name is evidence.
    const titled = [
      ...phrases,
      { label: "product-owner" as const, phrase: "The product owner" },
      { label: "product-owner" as const, phrase: "Our product owner" },
    ];
    const ad: EvaluationRow = { id: "r", text: "Product owner.\nProduct owner wanted.\nA product owner.", gold: "insufficient-evidence", title: null };
    const run = (mask: boolean) => evaluateAds([ad], { model, phrases: titled, mask, source: "x", columns: { ...columns, title: null } }).predictions[0]!.bayes;
    expect(run(false).evidence.productOwner).toBe(3);
    expect(run(true)).toEqual({ label: "insufficient-evidence", pmShare: 0.5, evidence: { productManager: 0, productOwner: 0 } });
  });

  it("warns when the Bayes baseline learns from other phrases than the model", () => {
    const other = evaluateAds(rows.slice(0, 2), { model, phrases: phrases.slice(1), source: "x", columns });
    expect(other.bayesTraining.sameAsModel).toBe(false);
    expect(other.warnings).toEqual([expect.stringMatching(/not the ones model eval-fixture 1\.0\.0 was trained on/)]);
  });
});
