import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAdRecords, type AdRecordEvent } from "../../src/batch/ad-records.js";
import { chunked, drain } from "./helpers.js";

// With quoting off (--quote none), a record is a line: whatever quotes a TSV cell holds, each line
// comes back as one record with exactly its fields, or is rejected; none is dropped or merged.

const cellChar = fc.constantFrom("a", "b", " ", '"', "'", ",", ";", "x");
const cell = fc.array(cellChar, { minLength: 1, maxLength: 10 }).map((c) => `w${c.join("")}`);
// A row of 3 cells, or a row with one cell too many (a FIELD_COUNT reject).
const row = fc.tuple(cell, cell, cell, fc.boolean()).map(([a, b, c, extra]) => (extra ? [a, b, c, "extra"] : [a, b, c]));

describe("--quote none (quote: false)", () => {
  it("reads every line as one record with its own fields, quotes and all; read = ads + rejected", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom("\n", "\r\n"), async (rows, size, eol) => {
        const tsv = `id\ttitle\tdescription${eol}${rows.map((r) => r.join("\t")).join(eol)}${eol}`;
        const { items, returned } = await drain(readAdRecords(chunked(tsv, size), { delimiter: "\t", quote: false }));
        const records = items.filter((e): e is Exclude<AdRecordEvent, { kind: "header" }> => e.kind !== "header");
        expect(records).toHaveLength(rows.length);
        expect(returned.read).toBe(returned.ads + returned.rejected);
        records.forEach((event, i) => {
          expect(event.line).toBe(i + 2);
          const cells = rows[i]!;
          if (cells.length === 3) {
            expect(event.kind).toBe("ad");
            if (event.kind === "ad") expect([...event.fields]).toEqual(cells);
          } else {
            expect(event).toMatchObject({ kind: "rejected", code: "FIELD_COUNT" });
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it("the same lines read with quoting either reject the quoted records or read them, never more records than lines", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const tsv = `id\ttitle\tdescription\n${rows.map((r) => r.join("\t")).join("\n")}\n`;
        try {
          const { returned } = await drain(readAdRecords(chunked(tsv, 5), { delimiter: "\t" }));
          expect(returned.read).toBe(returned.ads + returned.rejected);
          expect(returned.read).toBeLessThanOrEqual(rows.length);
        } catch (error) {
          // Reading stops when a record's end cannot be known: said, never guessed.
          expect((error as Error).message).toMatch(/cannot be known/);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a record over the size limit is skipped to its line's end, a quote opening its field notwithstanding", async () => {
    const big = `1\t"Own the backlog ${"x".repeat(70_000)}`;
    const tsv = `id\tdescription\n${big}\n2\tWrite user stories\n`;
    const { items } = await drain(readAdRecords(chunked(tsv, 4096), { delimiter: "\t", quote: false, maxAdBytes: 100 }));
    expect(items.slice(1).map((e) => [e.kind, "code" in e ? e.code : null, "line" in e ? e.line : null])).toEqual([
      ["rejected", "RECORD_TOO_LARGE", 2],
      ["ad", null, 3],
    ]);
    // Read with quoting, the odd quote (never closed) takes the rest of the input with it.
    const quoted = await drain(readAdRecords(chunked(tsv, 4096), { delimiter: "\t", maxAdBytes: 100 }));
    expect(quoted.items.filter((e) => e.kind === "ad")).toHaveLength(0);
  });
});
