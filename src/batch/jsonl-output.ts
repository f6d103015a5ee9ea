import type { RejectedEvent, ScoredEvent } from "./outcome.js";

/**
 * One scored record as a JSON line (with its line break): `id`, `record`, `line`, then the
 * classify JSON fields (`label`, `confidence`, `pmShare`, `evidence`, `titleMismatch`, `title`,
 * `topPhrases`, `model`, `inputLength`, `language`), then `input` (the kept input columns by
 * header name) when columns are kept, and `highlights` when asked for. `titleMismatch` is null
 * when the record has no title.
 */
export function formatJsonlRow(event: ScoredEvent, options: { highlights?: boolean } = {}): string {
  const r = event.result;
  const row = {
    id: event.id,
    record: event.record,
    line: event.line,
    label: r.label,
    confidence: r.confidence,
    pmShare: r.pmShare,
    evidence: r.evidence,
    summary: r.summary,
    dutyCounts: r.dutyCounts,
    otherRole: r.otherRole?.role ?? null,
    // Without a title there is nothing to mismatch: unknown (null), not false.
    titleMismatch: r.title === null ? null : r.titleMismatch,
    title: r.title,
    topPhrases: r.topPhrases,
    model: r.model,
    inputLength: r.inputLength,
    language: r.language,
    ...(event.kept && event.kept.length > 0 ? { input: Object.fromEntries(event.kept) } : {}),
    ...(options.highlights ? { highlights: r.highlights } : {}),
  };
  return `${JSON.stringify(row)}\n`;
}

/** One rejected record as a JSON line for the rejects file: line, record, code, message, raw text. */
export function formatRejectRow(event: RejectedEvent): string {
  const row = {
    line: event.line,
    record: event.record,
    code: event.code,
    message: event.message,
    raw: event.raw,
    rawTruncated: event.rawTruncated,
  };
  return `${JSON.stringify(row)}\n`;
}
