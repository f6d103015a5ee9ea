import { expect } from "vitest";
import type { BatchEvent, BatchSummary } from "../../src/batch/outcome.js";

/** Bytes split into chunks of `size` (to cross chunk boundaries anywhere), as an async iterable. */
export async function* chunked(input: string | Uint8Array, size = 7): AsyncGenerator<Buffer> {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A source of the given lines, one chunk each, that records when its reader released it (its `finally` ran). */
export function releasingSource(lines: readonly string[]): { source: AsyncGenerator<Buffer>; released: () => boolean } {
  let released = false;
  async function* source() {
    try {
      for (const line of lines) yield Buffer.from(`${line}\n`);
    } finally {
      released = true;
    }
  }
  return { source: source(), released: () => released };
}

/** Every value an async generator yields, and what it returns. */
export async function drain<T, R>(generator: AsyncGenerator<T, R>): Promise<{ items: T[]; returned: R }> {
  const items: T[] = [];
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) return { items, returned: next.value };
    items.push(next.value);
  }
}

/**
 * The accounting invariant on a finished batch run: one summary, last; read = scored + rejected;
 * the events agree with the summary; records are numbered 1..n in order with lines rising.
 */
export function expectAccounting(events: readonly BatchEvent[]): BatchSummary {
  const summaries = events.filter((e) => e.kind === "summary");
  expect(summaries).toHaveLength(1);
  expect(events.at(-1)?.kind).toBe("summary");
  const summary = (summaries[0] as Extract<BatchEvent, { kind: "summary" }>).summary;
  const records = events.filter((e) => e.kind === "scored" || e.kind === "rejected");
  const scored = records.filter((e) => e.kind === "scored").length;
  expect(summary.read).toBe(summary.scored + summary.rejected);
  expect(summary.read).toBe(records.length);
  expect(summary.scored).toBe(scored);
  expect(Object.values(summary.labels).reduce((a, b) => a + b, 0)).toBe(summary.scored);
  expect(Object.values(summary.rejects).reduce((a, b) => a + (b ?? 0), 0)).toBe(summary.rejected);
  records.forEach((e, i) => expect(e.record).toBe(i + 1));
  for (let i = 1; i < records.length; i++) expect(records[i]!.line).toBeGreaterThan(records[i - 1]!.line);
  return summary;
}
