import { describe, expect, it } from "vitest";
import { languageBreakdown, languageKey, renderLanguageTable, type LanguageScored } from "../../src/eval/languages.js";

const PM = "product-manager-leaning";
const PO = "product-owner-leaning";
const HY = "hybrid";

const row = (language: string, detected: string, gold: LanguageScored["gold"], predicted: LanguageScored["predicted"]): LanguageScored => ({ language, detected, gold, predicted });

describe("languageBreakdown", () => {
  it("measures each language apart, alphabetically, then all ads", () => {
    const figures = languageBreakdown([
      row("fr", "fr", PM, PM),
      row("fr", "fr", HY, PM),
      row("de", "de", PO, PO),
      row("en", "en", PM, PM),
    ]);
    expect(figures.map((f) => f.language)).toEqual(["de", "en", "fr", "all"]);
    // French: PM right, hybrid read as PM: accuracy 1/2; F1 PM 2/3 (precision 1/2, recall 1), hybrid 0.
    expect(figures[2]).toEqual({ language: "fr", ads: 2, labelled: 2, accuracy: 0.5, macroF1: 0.3333, detectedRight: 2 });
    // All: PM F1 0.8 (precision 2/3, recall 1), PO 1, hybrid 0: macro-F1 0.6.
    expect(figures[3]).toEqual({ language: "all", ads: 4, labelled: 4, accuracy: 0.75, macroF1: 0.6, detectedRight: 4 });
  });

  it.each([
    { name: "case and spaces of the column are one language", rows: [row(" FR", "fr", PM, PM), row("fr", "fr", PM, PO)], fr: { ads: 2, labelled: 2, detectedRight: 2, accuracy: 0.5 } },
    { name: "a row without gold counts for detection only", rows: [row("fr", "en", null, PM), row("fr", "fr", PO, PO)], fr: { ads: 2, labelled: 1, detectedRight: 1, accuracy: 1 } },
    { name: "no labelled row gives no accuracy", rows: [row("fr", "fr", null, PM)], fr: { ads: 1, labelled: 0, detectedRight: 1, accuracy: null } },
  ])("$name", ({ rows, fr }) => {
    expect(languageBreakdown(rows).find((f) => f.language === "fr")).toMatchObject(fr);
  });

  it("counts a row with an empty language in all only, and never as detected right", () => {
    const figures = languageBreakdown([row("", "en", PM, PM), row("en", "en", PM, PM)]);
    expect(figures.map((f) => [f.language, f.ads, f.detectedRight])).toEqual([
      ["en", 1, 1],
      ["all", 2, 1],
    ]);
  });

  it("is all alone with no rows", () => {
    expect(languageBreakdown([])).toEqual([{ language: "all", ads: 0, labelled: 0, accuracy: null, macroF1: null, detectedRight: 0 }]);
  });
});

describe("renderLanguageTable", () => {
  it("prints one line a language under a header, n/a for no figure", () => {
    const text = renderLanguageTable(languageBreakdown([row("fr", "fr", null, PM), row("de", "en", PM, PM)]), "  ");
    expect(text).toBe(
      [
        "  language  ads  labelled  accuracy  macro-F1  detected right",
        "  de          1         1      1.00      1.00  0/1",
        "  fr          1         0       n/a       n/a  1/1",
        "  all         2         1      1.00      1.00  1/2",
        "",
      ].join("\n"),
    );
  });
});

it.each([
  ["fr", "fr"],
  [" FR ", "fr"],
  ["", ""],
])("languageKey(%j) is %j", (value, key) => expect(languageKey(value)).toBe(key));
