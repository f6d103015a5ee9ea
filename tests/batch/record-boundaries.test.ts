import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readAdRecords, type AdRecordEvent, type AdReadStats } from "../../src/batch/ad-records.js";
import { countLineBreaks } from "../../src/batch/csv-records.js";
import { InputError } from "../../src/errors.js";
import { chunked } from "./helpers.js";

// Records with multi-line quoted descriptions whose lines look like records themselves, and one
// defect of a random kind in some of them. Whatever the defects, no line inside a field may come
// back as a listing, and a defect costs only its own record, so every later record keeps its
// number and line; when the reader cannot know where a broken record ends, it must stop instead.

type Defect = "none" | "extra-field" | "quote-in-unquoted" | "text-after-quote" | "unclosed" | "oversized" | "empty" | "blank-before-quote";

const MAX_AD_BYTES = 300;

// Units of a description: words, delimiters, line breaks, quotes (doubled when written) and
// whole lines that would be valid listings if read as records.
const unit = fc.constantFrom("Own", " the ", "backlog", ", ", "\n", "\r\n", '"', "R999,Product Owner,Work with design", '\nR998,PM,"fake"\n', "\nR997,x,Work with design\n");
const description = fc.array(unit, { minLength: 1, maxLength: 12 }).map((units) => `Work ${units.join("")}`);
const defect = fc.constantFrom<Defect>("none", "none", "none", "none", "extra-field", "quote-in-unquoted", "text-after-quote", "unclosed", "oversized", "empty", "blank-before-quote");

interface Planned {
  id: string;
  title: string;
  text: string;
  defect: Defect;
  bytes: string;
}

function plan(rows: Array<[string, Defect]>, eol: string): Planned[] {
  return rows.map(([text, kind], i) => {
    const id = `R${i + 1}`;
    let title = i % 2 === 0 ? "Product Manager" : "PO";
    let body = text;
    if (kind === "oversized") body = `${text}\n${"R996,PM,Work with design\n".repeat(Math.ceil(MAX_AD_BYTES / 20))}`;
    if (kind === "empty") body = "";
    let quoted = `"${body.replace(/"/g, '""')}"`;
    if (kind === "unclosed") quoted = quoted.slice(0, -1);
    if (kind === "quote-in-unquoted") title = '27" monitor';
    if (kind === "text-after-quote") title = '"Senior" PM';
    if (kind === "blank-before-quote") title = ' "Senior PM';
    const fields = [id, title, quoted];
    if (kind === "extra-field") fields.push("extra");
    return { id, title, text: body, defect: kind, bytes: fields.join(",") + eol };
  });
}

async function readAll(input: string, size: number): Promise<{ events: AdRecordEvent[]; stats: AdReadStats | null; fatal: InputError | null }> {
  const events: AdRecordEvent[] = [];
  const reader = readAdRecords(chunked(input, size), { maxAdBytes: MAX_AD_BYTES, source: "p.csv" });
  try {
    for (let next = await reader.next(); ; next = await reader.next()) {
      if (next.done) return { events, stats: next.value, fatal: null };
      events.push(next.value);
    }
  } catch (error) {
    if (error instanceof InputError && error.code === "CSV_FORMAT" && /cannot be known/.test(error.message)) return { events, stats: null, fatal: error };
    throw error;
  }
}

// How many quotes end `text.slice(0, end)`.
function trailingQuotes(text: string, end: number): number {
  let n = 0;
  while (end - n > 0 && text[end - n - 1] === '"') n++;
  return n;
}

describe("property: records are never invented", () => {
  it("no line inside a field is read as a listing, defects cost only their record, later records keep their numbers, counts add up", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(description, defect), { minLength: 1, maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        fc.integer({ min: 1, max: 97 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })),
        async (rows, eol, size, truncate) => {
          const records = plan(rows, eol);
          const header = `id,title,description${eol}`;
          let input = header + records.map((r) => r.bytes).join("");
          // The record number and line each planned record has in the file.
          const lineOf: number[] = [];
          let line = 1 + countLineBreaks(Buffer.from(header));
          for (const r of records) {
            lineOf.push(line);
            line += countLineBreaks(Buffer.from(r.bytes));
          }
          const last = records.at(-1)!;
          if (truncate !== null && last.defect === "none") {
            // Cut the last record somewhere before the closing quote of its text: one broken record.
            const start = input.length - last.bytes.length;
            const close = input.length - eol.length - 1;
            let cut = start + 1 + Math.floor(truncate * (close - start));
            // A cut just after the first quote of a doubled pair ("") leaves a field that closes
            // there: a whole, shorter record, not a broken one. Cut before that quote instead.
            while (trailingQuotes(input, cut) % 2 === 1) cut--;
            input = input.slice(0, cut);
            last.defect = "unclosed";
          }

          const { events, stats, fatal } = await readAll(input, size);
          const ads = events.filter((e) => e.kind === "ad");
          const rejected = events.filter((e) => e.kind === "rejected");
          for (const ad of ads) {
            // A listing is a planned, clean record, with its own number, line, id and text.
            const planned = records[ad.record - 1];
            expect(planned, `record ${ad.record} (${ad.id}) was not planned`).toBeDefined();
            expect({ id: ad.id, line: ad.line, text: ad.text, title: ad.title }).toEqual({ id: planned!.id, line: lineOf[ad.record - 1], text: planned!.text, title: planned!.title });
            expect(planned!.defect).toBe("none");
          }
          for (const r of rejected) {
            expect(records[r.record - 1]?.defect, `reject ${r.code} at record ${r.record}`).not.toBe("none");
            expect(r.line).toBe(lineOf[r.record - 1]);
          }
          const numbers = [...ads, ...rejected].map((e) => e.record).sort((a, b) => a - b);
          expect(numbers).toEqual(numbers.map((_, i) => i + 1));
          if (fatal) {
            // Stopped at a record with a defect, and only because its end could not be known.
            const at = numbers.length + 1;
            expect(records[at - 1]?.defect).toMatch(/unclosed|text-after-quote|blank-before-quote/);
            expect(fatal.message).toContain(`record ${at}:`);
          } else {
            // A quote never closed that the reader could read past would have made it stop; one it
            // did not stop at runs to the end of the input, as CSV says: that record is the last.
            const unclosed = records.findIndex((r) => r.defect === "unclosed");
            const read = unclosed >= 0 ? unclosed + 1 : records.length;
            expect(stats!.read).toBe(stats!.ads + stats!.rejected);
            expect(stats!.read).toBe(read);
            expect(ads.map((a) => a.record)).toEqual(records.slice(0, read).flatMap((r, i) => (r.defect === "none" ? [i + 1] : [])));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
