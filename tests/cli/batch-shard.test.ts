import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { expectNoCrash, pmpo, type Ran } from "./batch-helpers.js";

// `pmpo batch --shard i/n` through the real CLI on real files: the n runs over one file share
// out its records, rejected ones included, each exactly once, and together give what one run
// without --shard gives.

const PM = "Own the product vision, strategy and roadmap; talk to customers and analyse the market and competitors.";
const PO = "Groom the product backlog, write user stories with acceptance criteria and join sprint planning with the scrum team.";
const ADS = [PM, PO, `${PM} Also: ${PO}`, "We sell shoes in Lisbon."];
const TITLES = ["Product Manager", "Product Owner", "Engineer, Backend"];
// Every run reads with this limit, so that one record is TEXT_TOO_LARGE.
const MAX_AD_BYTES = "2k";

/**
 * 41 records (with `idColumn` an id column J1..J41; `records` shortens it) with a blank line and multi-line quoted
 * texts among them, and bad records of five kinds: empty texts, wrong field counts, a stray
 * quote, a NUL byte and a text over MAX_AD_BYTES.
 */
function listingsWithDefects(idColumn: boolean, records = 41): string {
  const lines = [idColumn ? "job_id,title,description" : "title,description"];
  const id = (i: number) => (idColumn ? `J${i},` : "");
  for (let i = 1; i <= records; i++) {
    const title = TITLES[i % TITLES.length]!;
    if (i === 13) lines.push(`${id(i)}"bad" quote,${PO}`);
    else if (i === 19) lines.push(`${id(i)}x,"${PO}\0"`);
    else if (i === 22) lines.push(`${id(i)}x,"${"roadmap ".repeat(400)}"`);
    else if (i % 7 === 3) lines.push(`${id(i)}"${title}",`);
    else if (i % 11 === 5) lines.push(`${id(i)}${title.replace(",", "")},extra,"${PM}"`);
    else lines.push(`${id(i)}"${title}","${ADS[i % ADS.length]} Ref ${i}.${i % 4 === 0 ? "\nSecond paragraph, with a comma." : ""}"`);
    if (i === 8) lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** What one run wrote: the CSV header line (empty for JSONL), the result rows and the reject lines, each as its exact text with the record it is about. */
interface Written {
  header: string;
  rows: Array<{ record: number; text: string }>;
  rejects: Array<{ record: number; text: string }>;
  /** The reject lines on stderr. */
  stderrRejects: Array<{ record: number; text: string }>;
}

function written(ran: Ran, format: "csv" | "jsonl", rejectsPath: string): Written {
  let header = "";
  let rows: Written["rows"];
  if (format === "csv") {
    const records = parse(ran.stdout, { raw: true }) as unknown as Array<{ record: string[]; raw: string }>;
    header = records[0]?.raw ?? "";
    rows = records.slice(1).map((r) => ({ record: Number(r.record[1]), text: r.raw }));
  } else {
    rows = lines(ran.stdout).map((text) => ({ record: (JSON.parse(text) as { record: number }).record, text }));
  }
  // A run that stopped (exit 3) leaves no rejects file.
  const rejects = lines(existsSync(rejectsPath) ? readFileSync(rejectsPath, "utf8") : "").map((text) => ({ record: (JSON.parse(text) as { record: number }).record, text }));
  const stderrRejects = lines(ran.stderr)
    .filter((line) => / record \d+: [A-Z_]+: /.test(line))
    .map((text) => ({ record: Number(/ record (\d+): /.exec(text)![1]), text }));
  return { header, rows, rejects, stderrRejects };
}

const lines = (text: string) => text.split("\n").filter((line) => line !== "").map((line) => `${line}\n`);

/** The JSON summary, the last line of stderr with --summary. */
function summaryOf(ran: Ran): { read: number; scored: number; rejected: number; labels: Record<string, number>; rejects: Record<string, number>; shard?: { index: number; count: number; otherShards: number } } {
  return JSON.parse(lines(ran.stderr).at(-1)!) as ReturnType<typeof summaryOf>;
}

/** The shards' outputs joined: each part's entries concatenated, sorted by record (a stable sort, so records given twice stay twice). */
function joined(parts: Written[]): Written {
  const join = (pick: (w: Written) => Written["rows"]) => parts.flatMap(pick).sort((a, b) => a.record - b.record);
  return { header: parts[0]!.header, rows: join((w) => w.rows), rejects: join((w) => w.rejects), stderrRejects: join((w) => w.stderrRejects) };
}

let dir = "";
let input = "";
let inputWithoutIds = "";
let run = 0;

/** Runs `pmpo batch` with --rejects and --summary (and MAX_AD_BYTES), and what it wrote. */
async function batch(args: readonly string[], format: "csv" | "jsonl", stdin?: string): Promise<{ ran: Ran; out: Written }> {
  const rejectsPath = join(dir, `rejects-${++run}.jsonl`);
  const ran = await pmpo(["batch", ...args, "--format", format, "--max-ad-bytes", MAX_AD_BYTES, "--rejects", rejectsPath, "--summary"], stdin === undefined ? {} : { stdin });
  expectNoCrash(ran);
  return { ran, out: written(ran, format, rejectsPath) };
}

/** The n runs of `--shard i/n`, checked each on its own: its records only, its counts adding up, the shard named in the summary. */
async function shards(args: readonly string[], format: "csv" | "jsonl", n: number, stdin?: string): Promise<Array<{ ran: Ran; out: Written }>> {
  const runs = await Promise.all(Array.from({ length: n }, (_, k) => batch([...args, "--shard", `${k + 1}/${n}`], format, stdin)));
  runs.forEach(({ ran, out }, k) => {
    const records = [...out.rows, ...out.rejects].map((r) => r.record);
    expect(records.every((record) => (record - 1) % n === k)).toBe(true);
    const summary = summaryOf(ran);
    expect(summary.read).toBe(summary.scored + summary.rejected);
    expect([summary.scored, summary.rejected]).toEqual([out.rows.length, out.rejects.length]);
    expect(summary.shard).toEqual({ index: k + 1, count: n, otherShards: 41 - summary.read });
    expect(ran.code).toBe(summary.rejected > 0 ? 1 : 0);
  });
  return runs;
}

/** The shards' summaries added up equal the unsharded one's counts. */
function expectCountsAddUp(parts: Array<{ ran: Ran }>, whole: Ran): void {
  const sums = { read: 0, scored: 0, rejected: 0, labels: {} as Record<string, number>, rejects: {} as Record<string, number> };
  for (const { ran } of parts) {
    const s = summaryOf(ran);
    sums.read += s.read;
    sums.scored += s.scored;
    sums.rejected += s.rejected;
    for (const [label, count] of Object.entries(s.labels)) sums.labels[label] = (sums.labels[label] ?? 0) + count;
    for (const [code, count] of Object.entries(s.rejects)) sums.rejects[code] = (sums.rejects[code] ?? 0) + count;
  }
  const { read, scored, rejected, labels, rejects } = summaryOf(whole);
  expect(sums).toEqual({ read, scored, rejected, labels, rejects });
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "pmpo-shard-"));
  input = join(dir, "listings.csv");
  writeFileSync(input, listingsWithDefects(true));
  inputWithoutIds = join(dir, "no-ids.csv");
  writeFileSync(inputWithoutIds, listingsWithDefects(false));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pmpo batch --shard i/n", () => {
  it("the fixture holds every kind of record the shards must share out", async () => {
    const { ran, out } = await batch([input], "csv");
    expect(summaryOf(ran)).toMatchObject({ read: 41, rejects: { FIELD_COUNT: 3, STRAY_QUOTE: 1, EMPTY_TEXT: 6, TEXT_TOO_LARGE: 1, NUL_BYTE: 1 } });
    expect(summaryOf(ran).shard).toBeUndefined();
    expect(out.rows.length + out.rejects.length).toBe(41);
  });

  describe.each(["csv", "jsonl"] as const)("%s output", (format) => {
    it.each([1, 2, 3, 5])("n = %i: the shards' results and rejects joined are the run without --shard, each record once", async (n) => {
      const whole = await batch([input], format);
      const parts = await shards([input], format, n);
      const together = joined(parts.map((p) => p.out));
      expect(together).toEqual(whole.out);
      for (const { out } of parts) expect(out.header).toBe(whole.out.header);
      expectCountsAddUp(parts, whole.ran);
    });
  });

  it("with --workers 2 the shards give what one thread gives, highlights included", async () => {
    const whole = await batch([input, "--highlights", "--workers", "1"], "jsonl");
    for (const n of [2, 3]) {
      const parts = await shards([input, "--highlights", "--workers", "2"], "jsonl", n);
      expect(joined(parts.map((p) => p.out))).toEqual(whole.out);
    }
    const csvWhole = await batch([input, "--workers", "1"], "csv");
    const csvParts = await shards([input, "--workers", "2"], "csv", 3);
    expect(joined(csvParts.map((p) => p.out))).toEqual(csvWhole.out);
  });

  it("reads standard input, and without an id column the ids stay the records' numbers in the whole file", async () => {
    const stdin = readFileSync(inputWithoutIds, "utf8");
    const whole = await batch(["-"], "csv", stdin);
    const parts = await shards(["-", "--workers", "2"], "csv", 3, stdin);
    expect(joined(parts.map((p) => p.out))).toEqual(whole.out);
    const rows = parse(parts[1]!.ran.stdout, { columns: true }) as Array<{ id: string; record: string }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.id).toBe(row.record);
  });

  it("says the shard in the text summary, and counts only the shard's records", async () => {
    const ran = await pmpo(["batch", input, "--shard", "2/5", "--max-ad-bytes", MAX_AD_BYTES]);
    const summary = lines(ran.stderr).at(-1)!;
    expect(summary).toMatch(/^pmpo: 8 records read: \d+ scored, \d+ rejected .*; shard 2\/5 \(33 records of other shards passed over\)\n$/);
  });

  it("stops every shard at a record whose end cannot be known, as one run stops, with the records before it", async () => {
    // A quote never closed, which the quotes of later records make unreadable: where the record ends is unknowable.
    const csv = `${listingsWithDefects(true, 20)}J99,x,"never closed ${PO}\nJ100,y,"${PM}"\nJ101,z,"${PO}"\n`;
    const path = join(dir, "fatal.csv");
    writeFileSync(path, csv);
    const whole = await batch([path], "csv");
    expect(whole.ran.code).toBe(3);
    const parts = await Promise.all([1, 2, 3].map((i) => batch([path, "--shard", `${i}/3`], "csv")));
    for (const { ran } of parts) {
      expect(ran.code).toBe(3);
      expect(lines(ran.stderr).at(-1)).toBe(lines(whole.ran.stderr).at(-1));
    }
    expect(joined(parts.map((p) => p.out))).toEqual(whole.out);
  });

  it.each(["0/4", "5/4", "1/0", "-1/4", "2", "2/", "/4", "a/b", "1.5/4", "2/4/1", "1/1000001", ""])("refuses --shard %j as a usage error (exit 2) naming the flag, the value and the form", async (value) => {
    const ran = await pmpo(["batch", input, "--shard", value]);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toBe(
      `pmpo: --shard ${JSON.stringify(value)} must be i/n: shard i of n, whole numbers with 1 <= i <= n <= 1,000,000 (e.g. --shard 2/4 for the second of 4 shards: records 2, 6, 10, …)\n`,
    );
  });

  it("takes the largest n and the last shard", async () => {
    const ran = await pmpo(["batch", input, "--shard", "1000000/1000000", "--summary"]);
    expect(ran.code).toBe(0);
    expect(summaryOf(ran)).toMatchObject({ read: 0, scored: 0, rejected: 0, shard: { index: 1_000_000, count: 1_000_000, otherShards: 41 } });
  });
});
