import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { BADINPUT, expectEveryRecordAccounted, expectNoCrash, pmpo, type Ran } from "./batch-helpers.js";
import { existsSync } from "node:fs";
import { parse } from "csv-parse/sync";

function dataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dataFiles(path);
    return name.endsWith(".md") ? [] : [relative(BADINPUT, path)];
  });
}

// Options a user would reach for after reading the file (its delimiter, its encoding).
const EXTRA: Record<string, string[]> = {
  "qsv/boston311-100-bad.tsv": ["--delimiter", "tab"],
  "node-csv/415.csv": ["--delimiter", "tab"],
  "node-csv/fs_read.csv": ["--delimiter", ";"],
  "qsv/test-nonutf8.csv": ["--delimiter", ";"],
  "qsv/test-windows1252.csv": ["--delimiter", ";"],
  "csvkit/sniff_limit.csv": ["--delimiter", ";"],
};

// Files whose outcome is fixed by what they are.
const FATAL: Record<string, RegExp> = {
  "csvkit/dummy.csv.gz": /looks like a gzip archive, not a CSV file/,
  "csvlint/spreadsheet.xlsx": /looks like a zip archive \(an \.xlsx/,
  "csvlint/spreadsheet.xls": /looks like an old Office file \(\.xls/,
  "csvtojson/emptyFile": /is empty \(0 bytes\)/,
  "miller/f.csv": /is empty \(0 bytes\)/,
  "csvkit/empty.csv": /has no header line/,
  "utf8-decoder-test/UTF-8-test.txt": /not valid UTF-8 at byte \d+/,
  "csvtojson/csvWithUnclosedHeader": /:1: the header line is not valid CSV/,
};

const present = existsSync(BADINPUT);
const files = present ? dataFiles(BADINPUT).sort() : [];
let work = "";

describe.skipIf(!present)("pmpo batch on every file of ../shared/badinput", () => {
  beforeAll(() => {
    assertBuilt();
    work = mkdtempSync(join(tmpdir(), "pmpo-badinput-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("has the 113 files the corpus lists", () => {
    expect(files).toHaveLength(113);
  });

  // Runs pmpo on one file and checks the outcome is defined: a finished run that accounts for
  // every record (exit 0 or 1), or one message line on stderr and nothing on stdout (exit 3),
  // or a stop at a record whose end cannot be known (exit 3) after the results before it.
  async function check(file: string, args: string[], tag: string): Promise<Ran> {
    const rejects = join(work, `${file.replace(/[^\w]+/g, "_")}-${tag}.jsonl`);
    const ran = await pmpo(["batch", join(BADINPUT, file), "--summary", "--rejects", rejects, ...args]);
    expectNoCrash(ran);
    expect([0, 1, 3], `${file} ${args.join(" ")}: exit ${ran.code}\n${ran.stderr}`).toContain(ran.code);
    if (ran.code === 3) {
      const last = ran.stderr.trimEnd().split("\n").at(-1) ?? "";
      const stopped = /^pmpo: \S+:\d+: record (\d+): .*cannot be known/.exec(last);
      if (stopped) {
        // Stopped at a record whose end cannot be known: the results before it stand, in order.
        const rows = ran.stdout === "" ? [] : (parse(ran.stdout, { columns: true }) as Array<{ record: string }>);
        for (const row of rows) expect(Number(row.record)).toBeLessThan(Number(stopped[1]));
        expect(ran.stderr.split("\n").filter((l) => l.startsWith("pmpo: ") && !l.startsWith("pmpo: note: "))).toEqual([last]);
      } else {
        expect(ran.stdout).toBe("");
        expect(ran.stderr).toMatch(/^pmpo: .+\n$/);
      }
      expect(existsSync(rejects)).toBe(false);
    } else {
      expectEveryRecordAccounted(ran, rejects);
    }
    return ran;
  }

  describe.concurrent("each file", () => {
    it.each(files)("%s", async (file) => {
      const extra = EXTRA[file] ?? [];
      let ran = await check(file, extra, "plain");
      if (FATAL[file]) {
        expect(ran.code).toBe(3);
        expect(ran.stderr).toMatch(FATAL[file]!);
        return;
      }
      // What a user does next: read a non-UTF-8 file as Latin-1, then name a text column.
      let args = extra;
      if (ran.code === 3 && /not valid UTF-8 at byte \d+/.test(ran.stderr)) {
        expect(ran.stderr).toContain("--encoding latin1");
        args = [...args, "--encoding", "latin1"];
        ran = await check(file, args, "latin1");
      }
      const columns = /has \d+ columns?: (.*?) \(name the column/.exec(ran.stderr);
      if (ran.code === 3 && columns) {
        const names = JSON.parse(`[${columns[1]!.replace(/ and \d+ more$/, "")}]`) as string[];
        const pick = names.find((n) => n.trim() !== "") ?? names[0]!;
        ran = await check(file, [...args, "--text-column", pick], "column");
        // With a text column that exists, only a broken header can still stop the run.
        if (ran.code === 3) expect(ran.stderr).toMatch(/header line|no text column|cannot be known/);
      }
    });
  });
});

if (!present) {
  describe("pmpo batch on ../shared/badinput", () => {
    it.skip("skipped: ../shared/badinput is not present beside the repository", () => {});
  });
}
