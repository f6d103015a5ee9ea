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
] as const;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field, quoted (with doubled quotes) when it holds a comma, quote, line break or edge white space. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const phrases = (list: readonly TopPhrase[]) => list.map((p) => p.phrase).join("; ");

/** The header line of a batch CSV result, with its line break. */
export function formatCsvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\n`;
}

/** One scored record as a CSV line (with its line break); top phrases are joined with "; ", strongest first. */
export function formatCsvRow(event: ScoredEvent): string {
  const r = event.result;
  return `${[
    csvField(event.id),
    String(event.record),
    String(event.line),
    r.label,
    String(r.confidence),
    String(r.pmShare),
    r.titleMismatch ? "true" : "false",
    String(r.evidence.productManager),
    String(r.evidence.productOwner),
    csvField(phrases(r.topPhrases.productManager)),
    csvField(phrases(r.topPhrases.productOwner)),
    csvField(`${r.model.name}@${r.model.version}`),
  ].join(",")}\n`;
}
