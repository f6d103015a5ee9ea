import type { TopPhrase } from "../score/result.js";
import type { ScoredEvent } from "./outcome.js";

/** Columns of a batch CSV result, in order: the classify JSON names in snake_case, plus where the record came from. */
export const CSV_COLUMNS = [
  "id",
  "record",
  "line",
  "label",
  "confidence",
  "pm_share",
  "title_mismatch",
  "evidence_pm",
  "evidence_po",
  "top_pm_phrases",
  "top_po_phrases",
  "model",
  "other_role",
  "duty_summary",
  "language",
] as const;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field, quoted (with doubled quotes) when it holds a comma, quote, line break or edge white space. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** What to do with a text cell a spreadsheet would read as a formula: `guard` (the default) or `allow`. */
export type CsvFormulas = "guard" | "allow";

/** Options of `formatCsvRow`. */
export interface CsvRowOptions {
  /** `guard` (default) prefixes `'` to text cells that start like a formula; `allow` writes them as they are. */
  formulas?: CsvFormulas | undefined;
}

// A cell starting with one of these is a formula (or starts one) to Excel, LibreOffice and
// Google Sheets: OWASP's list for CSV injection.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that no spreadsheet runs: a leading `'` (shown by none of them) before a value
 * starting with `=`, `+`, `-`, `@`, a tab or a CR, as OWASP recommends. Only for untrusted text:
 * the numbers pmpo writes itself are left as numbers.
 */
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const phrases = (list: readonly TopPhrase[]) => list.map((p) => p.phrase).join("; ");

/** The header line of a batch CSV result, with its line break: pmpo's columns, then the names of the kept input columns. */
export function formatCsvHeader(kept: readonly string[] = [], options: CsvRowOptions = {}): string {
  const text = options.formulas === "allow" ? csvField : (value: string) => csvField(guardFormula(value));
  return `${[...CSV_COLUMNS, ...kept.map(text)].join(",")}\n`;
}

/**
 * One scored record as a CSV line (with its line break); top phrases are joined with "; ",
 * strongest first. The cells copied from the input or the model file (id, phrases, model) are
 * guarded against formulas unless `formulas` is `allow`, and so are the kept input columns, which
 * come last; the label, booleans and numbers are pmpo's own. `title_mismatch` is empty when the
 * record has no title (no title column, or an empty cell).
 */
export function formatCsvRow(event: ScoredEvent, options: CsvRowOptions = {}): string {
  const r = event.result;
  const text = options.formulas === "allow" ? csvField : (value: string) => csvField(guardFormula(value));
  return `${[
    text(event.id),
    String(event.record),
    String(event.line),
    r.label,
    String(r.confidence),
    String(r.pmShare),
    // Without a title there is nothing to mismatch: unknown, not false.
    r.title === null ? "" : r.titleMismatch ? "true" : "false",
    String(r.evidence.productManager),
    String(r.evidence.productOwner),
    text(phrases(r.topPhrases.productManager)),
    text(phrases(r.topPhrases.productOwner)),
    text(`${r.model.name}@${r.model.version}`),
    r.otherRole?.role ?? "",
    // The summary quotes no ad text, only counts and role names.
    csvField(r.summary),
    r.language,
    ...(event.kept ?? []).map(([, value]) => text(value)),
  ].join(",")}\n`;
}
