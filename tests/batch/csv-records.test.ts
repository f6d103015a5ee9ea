import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countLineBreaks, parseCsvRecords, type CsvRecord, type CsvRecordOptions } from "../../src/batch/csv-records.js";
import { decodeCsvBytes } from "../../src/batch/decode-stream.js";
import { chunked, drain } from "./helpers.js";

const SPECTRUM = join(import.meta.dirname, "../../../shared/badinput/csv-spectrum");

type Seen = { kind: string; line: number; fields?: string[]; code?: string; raw?: string };

async function read(input: string | Buffer, options: CsvRecordOptions = {}, size = 5) {
  const { items, returned } = await drain(parseCsvRecords(toBuffers(chunked(input, size)), options));
  return { seen: items.map(see), stats: returned };
}

async function* toBuffers(chunks: AsyncIterable<Buffer>) {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

function see(record: CsvRecord): Seen {
  if (record.kind === "fields") return { kind: "fields", line: record.line, fields: record.fields, raw: record.raw.toString() };
  if (record.kind === "broken") return { kind: "broken", line: record.line, code: record.code, raw: record.raw.toString() };
  return { kind: "blank", line: record.line };
}

// Reads each record's raw bytes as it comes, as the reader's contract asks.
async function readLive(input: string, options: CsvRecordOptions = {}, size = 5): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const record of parseCsvRecords(toBuffers(chunked(input, size)), options)) out.push(see(record));
  return out;
}

describe("countLineBreaks", () => {
  it.each([
    ["", 0],
    ["a", 0],
    ["a\n", 1],
    ["a\r\nb\rc\n", 3],
    ["\r\r\n\n", 3],
    ["\n\r", 2],
  ])("%j has %i line breaks", (text, n) => {
    expect(countLineBreaks(Buffer.from(text))).toBe(n);
  });
});

describe("parseCsvRecords", () => {
  it.each([1, 2, 3, 7, 1000])("reads records with their first line, whatever the chunk size (%i)", async (size) => {
    const seen = await readLive('a,b\n1,"x\ny"\n\n3,4\r\n5,6\r7,8', {}, size);
    expect(seen).toEqual([
      { kind: "fields", line: 1, fields: ["a", "b"], raw: "a,b" },
      { kind: "fields", line: 2, fields: ["1", "x\ny"], raw: '1,"x\ny"' },
      { kind: "blank", line: 4 },
      { kind: "fields", line: 5, fields: ["3", "4"], raw: "3,4" },
      { kind: "fields", line: 6, fields: ["5", "6"], raw: "5,6" },
      { kind: "fields", line: 7, fields: ["7", "8"], raw: "7,8" },
    ]);
  });

  it("counts a CRLF inside a quoted field as one line (csv-parse counts two)", async () => {
    const seen = await readLive('a\n"x\r\ny"\nz\n');
    expect(seen.map((s) => s.line)).toEqual([1, 2, 4]);
  });

  it.each([
    ["text after a closing quote", 'a,b\n1,"x" y\n3,4\n', "STRAY_QUOTE", '1,"x" y'],
    ["a quote inside an unquoted field", 'a,b\n1,5" monitor\n3,4\n', "STRAY_QUOTE", '1,5" monitor'],
    ["a quote never closed before the end", 'a,b\n1,"x\n3,4\n', "UNCLOSED_QUOTE", '1,"x'],
    ["a quote closed badly lines later", 'a,b\n1,"x\n3,4\n5,"q" r\n6,7\n', "STRAY_QUOTE", '1,"x'],
  ])("breaks off only the first line of a record with %s, and reads on", async (_name, input, code, raw) => {
    for (const size of [1, 4, 64]) {
      const seen = await readLive(input, {}, size);
      const broken = seen.filter((s) => s.kind === "broken");
      expect(broken[0]).toEqual({ kind: "broken", line: 2, code, raw });
      expect(seen[0]).toMatchObject({ line: 1, fields: ["a", "b"] });
      // Everything after the broken line is read again and kept.
      expect(seen.find((s) => s.fields?.[0] === "3")).toMatchObject({ line: 3, fields: ["3", "4"] });
    }
  });

  it("breaks off a record that grows past the limit, keeping memory bounded", async () => {
    const seen = await readLive(`a,b\n1,"${"x".repeat(5000)}\n2,3\n`, { maxRecordBytes: 1000 }, 256);
    expect(seen.map((s) => [s.kind, s.line, s.code ?? s.fields])).toEqual([
      ["fields", 1, ["a", "b"]],
      ["broken", 2, "RECORD_TOO_LARGE"],
      ["fields", 3, ["2", "3"]],
    ]);
  });

  it("waits for the end of a broken line that spans chunks, and truncates a huge one", async () => {
    const seen = await readLive(`a\n1"${"y".repeat(300_000)}\n2\n`, { maxRecordBytes: 1000 }, 4096);
    expect(seen.map((s) => [s.kind, s.line])).toEqual([
      ["fields", 1],
      ["broken", 2],
      ["fields", 3],
    ]);
    expect(seen[1]!.raw!.length).toBe(64 * 1024);
  });

  it("returns counts in which csv-parse's and the reader's agree", async () => {
    const { stats } = await read('a,b\n1,"x" y\n3,4\n\n5,"6\n');
    expect(stats.parserRecords).toBe(stats.yieldedParsed);
    expect(stats).toMatchObject({ yieldedParsed: 3, broken: 2, lines: 5, restarts: 2 });
  });

  it("reads a TAB-delimited file with a comma in a field", async () => {
    expect((await readLive("a\tb\n1,5\tx\n", { delimiter: "\t" })).map((s) => s.fields)).toEqual([
      ["a", "b"],
      ["1,5", "x"],
    ]);
  });
});

describe.skipIf(!existsSync(SPECTRUM))("csv-spectrum: records match the known answers", () => {
  const names = existsSync(SPECTRUM) ? readdirSync(join(SPECTRUM, "csvs")).filter((f) => existsSync(join(SPECTRUM, "json", f.replace(/\.csv$/, ".json")))) : [];
  it.each(names)("%s", async (name) => {
    const expected = JSON.parse(readFileSync(join(SPECTRUM, "json", name.replace(/\.csv$/, ".json")), "utf8")) as Array<Record<string, string>>;
    const records: string[][] = [];
    for await (const record of parseCsvRecords(decodeCsvBytes(chunked(readFileSync(join(SPECTRUM, "csvs", name)), 3)))) {
      expect(record.kind).toBe("fields");
      if (record.kind === "fields") records.push(record.fields);
    }
    const [header, ...rows] = records;
    const objects = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
    expect(objects).toEqual(expected);
  });
});

if (!existsSync(SPECTRUM)) {
  describe("csv-spectrum", () => it.skip("skipped: ../shared/badinput is not present beside the repository", () => {}));
}

// ---------------------------------------------------------------- property: nothing lost

const fieldText = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é", "x"), maxLength: 8 });
const rowOf = (width: number) => fc.array(fieldText, { minLength: width, maxLength: width });

function encodeField(value: string): string {
  return /[",\r\n]/.test(value) || value === "" ? `"${value.replace(/"/g, '""')}"` : value;
}

type Defect = "none" | "stray" | "extra" | "unclosed" | "blank";

describe("property: a CSV with random defects", () => {
  it("yields every clean row exactly, one broken or wrong-width record per single-line defect, and counts that add up", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((width) =>
          fc.tuple(
            fc.constant(width),
            fc.array(fc.tuple(rowOf(width), fc.constantFrom<Defect>("none", "none", "none", "stray", "extra", "blank", "unclosed")), { maxLength: 25 }),
            fc.constantFrom("\n", "\r\n", "\r"),
            fc.integer({ min: 1, max: 40 }),
          ),
        ),
        async ([width, rows, eol, size]) => {
          const header = Array.from({ length: width }, (_, i) => `h${i}`);
          const lines = [header.join(",")];
          // Only rows before the first unclosed quote are certain to come back unchanged.
          const expectClean: string[][] = [];
          let certain = true;
          let singleLineDefects = 0;
          for (const [row, defect] of rows) {
            if (defect === "blank") {
              lines.push("");
              continue;
            }
            if (defect === "unclosed") {
              lines.push(`u,"never closed${",x".repeat(width - 2)}`);
              certain = false;
              continue;
            }
            if (defect === "stray") {
              lines.push([`bad"q`, ...row.slice(1).map(() => "s")].join(","));
              if (certain) singleLineDefects++;
              continue;
            }
            if (defect === "extra") {
              lines.push([...row.map(() => "e"), "extra"].join(","));
              if (certain) singleLineDefects++;
              continue;
            }
            lines.push(row.map(encodeField).join(","));
            if (certain) expectClean.push(row);
          }
          const input = lines.join(eol) + eol;
          const seen = await readLive(input, {}, size);
          const data = seen.slice(1).filter((s) => s.kind !== "blank");
          const good = data.filter((s) => s.kind === "fields" && s.fields!.length === width && !s.fields![0]!.startsWith("bad") && s.fields![0] !== "e");
          const bad = data.length - good.length;
          if (certain) {
            // No unclosed quote: every clean row comes back exactly and each defect costs one record.
            expect(good.map((s) => s.fields)).toEqual(expectClean);
            expect(bad).toBe(singleLineDefects);
          } else {
            expect(good.slice(0, expectClean.length).map((s) => s.fields)).toEqual(expectClean);
          }
          expect(seen[0]!.fields).toEqual(header);
          for (let i = 1; i < seen.length; i++) expect(seen[i]!.line).toBeGreaterThan(seen[i - 1]!.line);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseCsvRecords across chunk boundaries", () => {
  // Records, broken ones included, must not depend on where the chunks of the input end: the
  // reader joins the chunks of a long record once, when the record ends.
  const cell = fc.oneof(fc.constantFrom("a", "", "x y", '"q"', '"two\nlines"', '"a ""b"""', '"open', 'st"ray', "\r\n", "\n"), fc.string({ maxLength: 6 }));
  const csvText = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(",")), { maxLength: 12 }).map((rows) => rows.join("\n"));

  it("gives the same records and counts whatever the chunk size", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom(1, 2, 3, 7, 64), async (text, size) => {
        const whole = await read(text, { maxRecordBytes: 40 }, Math.max(1, text.length));
        const pieces = await read(text, { maxRecordBytes: 40 }, size);
        expect(pieces.seen).toEqual(whole.seen);
        expect(pieces.stats).toEqual(whole.stats);
      }),
      { numRuns: 300 },
    );
  });

  it("reads one record spread over thousands of chunks", async () => {
    const field = "backlog ".repeat(5000);
    const { seen } = await read(`id,text\n1,"${field}"\n2,b\n`, {}, 7);
    expect(seen.map((s) => s.fields)).toEqual([["id", "text"], ["1", field], ["2", "b"]]);
    expect(seen[1]?.raw).toBe(`1,"${field}"`);
  });
});
