import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { expectEveryRecordAccounted, expectNoCrash, pmpo } from "./batch-helpers.js";

// Broken multi-line records, through the real CLI: a bad record costs only itself, and no line
// inside a quoted field is ever scored as a listing.

const AD = "Own the product vision and roadmap; talk to customers and analyse the market.";

let dir = "";
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** `rows` listings whose descriptions hold lines that would be listings if read as records. */
function listings(rows: number, broken: (i: number, row: string) => string = (_i, row) => row): string {
  const lines = ["id,title,description"];
  for (let i = 1; i <= rows; i++) lines.push(broken(i, `J${i},PM,"${AD} ${i}\nJX${i},Work with design,${AD}\nmore"`));
  return `${lines.join("\n")}\n`;
}

const ids = (stdout: string) => (parse(stdout, { columns: true }) as Array<{ id: string; record: string; line: string }>).map((r) => [r.id, Number(r.record), Number(r.line)]);

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "pmpo-records-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pmpo batch: broken multi-line records", () => {
  it("skips a 25,000-line field over --max-ad-bytes to its end: one reject, the next record keeps its number and line", async () => {
    const big = Array.from({ length: 25_000 }, (_, i) => `Work with design,${i},x`).join("\n");
    const path = file("big.csv", `id,title,description\nA,PM,"${big}"\nB,PO,"${AD}"\n`);
    const rejects = join(dir, "big-rejects.jsonl");
    const ran = await pmpo(["batch", path, "--max-ad-bytes", "64k", "--summary", "--rejects", rejects]);
    expectNoCrash(ran);
    expect(expectEveryRecordAccounted(ran, rejects)).toMatchObject({ read: 2, scored: 1, rejected: 1 });
    expect(ids(ran.stdout)).toEqual([["B", 2, 25_002]]);
    expect(ran.stderr).toMatch(/big\.csv:2: record 1: RECORD_TOO_LARGE: the record is \d+ bytes on lines 2-25001, more than the limit of \d+ bytes/);
  });

  it.each(["1", "2"])("stops with exit 3 and one clear line at a quote never closed that later quotes make unreadable, scoring nothing from inside it (--workers %s)", async (workers) => {
    const path = file("unclosed.csv", listings(40, (i, row) => (i === 10 ? row.slice(0, -1) : row)));
    const ran = await pmpo(["batch", path, "--workers", workers]);
    expectNoCrash(ran);
    expect(ran.code).toBe(3);
    expect(ids(ran.stdout)).toEqual(Array.from({ length: 9 }, (_, k) => [`J${k + 1}`, k + 1, 2 + 3 * k]));
    expect(ran.stderr).toMatch(/^pmpo: \S*unclosed\.csv:29: record 10: text after the closing quote in field 3 on line 32, after the record has run on from line 29 inside a quoted field.*cannot be known.*\(9 records before it were read\)/m);
    expect(ran.stderr).not.toMatch(/JX/);
  });

  it("reads a quote never closed to the end of the input as one reject saying how much it swallowed", async () => {
    const plain = ["id,title,description", ...Array.from({ length: 30 }, (_, k) => `P${k + 1},PM,${AD.replace(/[;,]/g, "")} ${k + 1}`)];
    plain[10] = `P10,PM,"never closed ${AD}`;
    const path = file("swallow.csv", `${plain.join("\n")}\n`);
    const rejects = join(dir, "swallow-rejects.jsonl");
    const ran = await pmpo(["batch", path, "--summary", "--rejects", rejects]);
    expect(expectEveryRecordAccounted(ran, rejects)).toMatchObject({ read: 10, scored: 9, rejected: 1 });
    expect(ran.stderr).toMatch(/swallow\.csv:11: record 10: UNCLOSED_QUOTE: the quote opened in field 3 on line 11 is never closed: the record swallows \d+ bytes on lines 11-31, to the end of the input/);
  });

  it("reads a file cut off inside a multi-line record as one reject, with no FIELD_COUNT rejects", async () => {
    const whole = listings(20);
    const cut = whole.slice(0, whole.indexOf("JX20,") + 10);
    const path = file("cut.csv", cut);
    const rejects = join(dir, "cut-rejects.jsonl");
    const ran = await pmpo(["batch", path, "--summary", "--rejects", rejects]);
    expect(expectEveryRecordAccounted(ran, rejects)).toMatchObject({ read: 20, scored: 19, rejected: 1, rejects: { UNCLOSED_QUOTE: 1 } });
    const reject = JSON.parse(readFileSync(rejects, "utf8")) as { record: number; line: number; code: string };
    expect(reject).toMatchObject({ record: 20, line: 59, code: "UNCLOSED_QUOTE" });
  });
});
