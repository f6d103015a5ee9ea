import { LABELS, type Label } from "../score/result.js";
import { classificationMetrics } from "./metrics.js";
import { round4 } from "./report.js";

// The per-language figures of an evaluation: pure, shared by `pmpo evaluate` (when the CSV has a
// language column) and bench/eval-languages.js, so both count the same way.

/** One classified ad as the breakdown sees it. */
export interface LanguageScored {
  /** The ad's language as its CSV's language column gives it (compared trimmed and lower-cased). */
  language: string;
  /** The language pmpo detected (`Classification.language`). */
  detected: string;
  /** The gold label, or null when the row has none (it still counts for detection). */
  gold: Label | null;
  /** pmpo's label. */
  predicted: Label;
}

/** pmpo's figures on the ads of one language (or of all ads, as `language` "all"). */
export interface LanguageFigures {
  /** The language column's value (lower-cased), or "all". */
  language: string;
  /** Classified ads in this language. */
  ads: number;
  /** Of those, ads with a gold label: what accuracy and macro-F1 are measured on. */
  labelled: number;
  /** Share of labelled ads labelled right, 0..1; null without labelled ads. */
  accuracy: number | null;
  /** Four-label macro-F1 (over the labels present in gold) of the labelled ads, 0..1; null without labelled ads. */
  macroF1: number | null;
  /** Ads whose detected language equals the language column. */
  detectedRight: number;
}

/** The value a language column's cell is compared as: "FR " and "fr" are one language. */
export function languageKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * pmpo's accuracy, macro-F1 and language detection per value of the language column, in
 * alphabetical order, then over all ads as "all". A row with an empty language is counted in
 * "all" only. Ratios are rounded to 4 decimals.
 */
export function languageBreakdown(rows: readonly LanguageScored[]): LanguageFigures[] {
  const groups = new Map<string, LanguageScored[]>();
  for (const row of rows) {
    const key = languageKey(row.language);
    if (key === "") continue;
    const group = groups.get(key) ?? [];
    group.push(row);
    groups.set(key, group);
  }
  const languages = [...groups.keys()].sort();
  return [...languages.map((language) => figuresOf(language, groups.get(language) ?? [])), figuresOf("all", rows)];
}

function figuresOf(language: string, rows: readonly LanguageScored[]): LanguageFigures {
  const labelled = rows.filter((row): row is LanguageScored & { gold: Label } => row.gold !== null);
  const metrics = classificationMetrics(
    labelled.map((row) => row.gold),
    labelled.map((row) => row.predicted),
    LABELS,
  );
  return {
    language,
    ads: rows.length,
    labelled: labelled.length,
    accuracy: round4(metrics.accuracy),
    macroF1: round4(metrics.macroF1),
    detectedRight: rows.filter((row) => languageKey(row.language) !== "" && row.detected === languageKey(row.language)).length,
  };
}

const fixed2 = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));

/** The breakdown as a fixed-width table, one language a line, "all" last; each line starts with `indent`. */
export function renderLanguageTable(figures: readonly LanguageFigures[], indent = ""): string {
  const lines = [`${indent}language  ads  labelled  accuracy  macro-F1  detected right`];
  for (const f of figures) {
    lines.push(
      `${indent}${f.language.padEnd(8)}  ${String(f.ads).padStart(3)}  ${String(f.labelled).padStart(8)}  ${fixed2(f.accuracy).padStart(8)}  ${fixed2(f.macroF1).padStart(8)}  ${f.detectedRight}/${f.ads}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
