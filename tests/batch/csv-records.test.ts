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
    ["text after a closing quote", 'a,b\n1,"x" y\n3,4\n', "STRAY_QUOTE", '1,"x" y', 3],
    ["a quote inside an unquoted field", 'a,b\n1,5" monitor\n3,4\n', "STRAY_QUOTE", '1,5" monitor', 3],
    ["an even number of quotes in an unquoted field", 'a,b\n1,Own the "backlog" now\n3,4\n', "STRAY_QUOTE", '1,Own the "backlog" now', 3],
    ["a quote not doubled in a quoted field", 'a,b\n1,"Own the "backlog" now"\n3,4\n', "STRAY_QUOTE", '1,"Own the "backlog" now"', 3],
    ["quotes not doubled in a field that goes on to the next line", 'a,b\n1,"Own the "backlog" now\nand more"\n3,4\n', "STRAY_QUOTE", '1,"Own the "backlog" now\nand more"', 4],
  ])("rejects a record with %s as one record, to its end, and reads on", async (_name, input, code, raw, nextLine) => {
    for (const size of [1, 4, 64]) {
      const seen = await readLive(input, {}, size);
      expect(seen).toEqual([
        { kind: "fields", line: 1, fields: ["a", "b"], raw: "a,b" },
        { kind: "broken", line: 2, code, raw },
        { kind: "fields", line: nextLine, fields: ["3", "4"], raw: "3,4" },
      ]);
    }
  });

  it.each([
    ["at the end of the input", 'a,b\n1,"x\n3,4\n', '1,"x\n3,4\n'],
    ["with blank lines and lines that look like records", 'a,b\n1,"x\n\n3,4\n5,6\n', '1,"x\n\n3,4\n5,6\n'],
  ])("reads a quote never closed, %s, as one record that swallows the rest of the input, and says how much", async (_name, input, raw) => {
    for (const size of [1, 4, 64]) {
      const seen = await readLive(input, {}, size);
      expect(seen).toEqual([
        { kind: "fields", line: 1, fields: ["a", "b"], raw: "a,b" },
        { kind: "broken", line: 2, code: "UNCLOSED_QUOTE", raw },
      ]);
    }
    const records = await drain(parseCsvRecords(toBuffers(chunked(input, 3))));
    const broken = records.items[1] as Extract<CsvRecord, { kind: "broken" }>;
    expect(broken.message).toBe(`the quote opened in field 2 on line 2 is never closed: the record swallows ${raw.length} bytes on lines 2-${records.returned.lines}, to the end of the input`);
  });

  it.each([
    ["a quote never closed, then quoted fields", 'a,b\n1,"x\n2,"y"\n3,"z\nw"\n4,5\n', 2],
    ["a blank before a quote that may open a multi-line field", 'a,b\n1, "x\ny"\n3,4\n', 2],
    ["a quote not doubled, followed by a delimiter, in a multi-line field", 'a,b\n0,ok\n1,"He said "hi", then\nleft"\n3,4\n', 3],
    ["a quote not doubled on a later line of a multi-line field", 'a,b\n1,"one\nOwn the "backlog" now\nthree"\n3,4\n', 2],
    ["a quote never closed, then a quote closed badly lines later", 'a,b\n1,"x\n3,4\n5,"q" r\n6,7\n', 2],
    ["a quote never closed, then a quoted multi-line field", 'a,b\n1,"x\n2,"line\n5,fake,row\nend"\n3,4\n', 2],
  ])("stops with a fatal broken record when %s leaves the record's end unknowable", async (_name, input, line) => {
    for (const size of [1, 4, 64]) {
      const records = (await drain(parseCsvRecords(toBuffers(chunked(input, size))))).items;
      const last = records.at(-1) as Extract<CsvRecord, { kind: "broken" }>;
      expect(last).toMatchObject({ kind: "broken", fatal: true, line });
      expect(last.message).toMatch(/cannot be known/);
      // Nothing after the broken record is read as a record.
      expect(records.filter((r) => r.kind === "fields").map((r) => r.line)).toEqual(line === 2 ? [1] : [1, 2]);
    }
  });

  it("reads a record that grows past the limit to its end without keeping it, lines inside it included", async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `Work with design ${i}`).join("\n");
    const input = `id,description\n1,"${text}"\n2,after\n`;
    for (const size of [256, 4096]) {
      const seen = await readLive(input, { maxRecordBytes: 1000 }, size);
      expect(seen.map((s) => [s.kind, s.line, s.code ?? s.fields])).toEqual([
        ["fields", 1, ["id", "description"]],
        ["broken", 2, "RECORD_TOO_LARGE"],
        ["fields", 5002, ["2", "after"]],
      ]);
      expect(seen[1]!.raw!.length).toBe(64 * 1024);
    }
  });

  it("reads a huge broken line to its end, keeping only its first 64 KiB", async () => {
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
        const { bytes: piecesBytes, ...piecesStats } = pieces.stats;
        const { bytes: wholeBytes, ...wholeStats } = whole.stats;
        expect(piecesStats).toEqual(wholeStats);
        // Bytes read: all of them, unless the reader stopped at a record whose end cannot be
        // known (code CSV_ERROR), where it stops reading wherever its last chunk ended.
        if (!whole.seen.some((s) => s.code === "CSV_ERROR")) expect(piecesBytes).toBe(wholeBytes);
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
