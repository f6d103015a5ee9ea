import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BIN, startCli } from "../helpers/cli.js";
import { expectEveryRecordAccounted, expectNoCrash, pmpo, waitFor } from "./batch-helpers.js";
import { parse as parseCsv } from "csv-parse/sync";
import { fixture } from "../helpers/paths.js";

const PM = "Own the product vision, strategy and roadmap; talk to customers and analyse the market and competitors.";
const PO = "Groom the product backlog, write user stories with acceptance criteria and join sprint planning with the scrum team.";
const MIX = `${PM} Also: ${PO}`;
const ADS = [PM, PO, MIX, "We sell shoes in Lisbon.", `Größe matters: ${PO} Café “quotes”.`];

/** A listings CSV of `rows` records, cycling through varied ads, titles and quoting. */
function listings(rows: number, eol = "\n"): string {
  const lines = ["job_id,title,description"];
  for (let i = 1; i <= rows; i++) {
    const ad = `${ADS[i % ADS.length]} Ref ${i}.`;
    const title = ["Product Manager", "Product Owner", "Engineer, Backend"][i % 3]!;
    lines.push(`J${i},"${title}","${ad.replace(/"/g, '""')}${i % 4 === 0 ? "\nSecond paragraph, with a comma." : ""}"`);
  }
  return lines.join(eol) + eol;
}

let dir = "";
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const leftovers = () => readdirSync(dir).filter((name) => name.endsWith(".tmp"));

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "pmpo-batch-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pmpo batch (built CLI)", () => {
  it("scores a file to CSV on stdout with exit 0 and a summary on stderr", async () => {
    const ran = await pmpo(["batch", file("ok.csv", listings(6))]);
    expect(ran.code).toBe(0);
    const lines = ran.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("id,record,line,label,confidence,pm_share,title_mismatch,evidence_pm,evidence_po,top_pm_phrases,top_po_phrases,model,other_role,duty_summary,language");
    expect(lines[1]).toMatch(/^J1,1,2,[a-z-]+,[\d.]+,[\d.]+,(true|false),/);
    expect(ran.stderr).toMatch(/^pmpo: 6 records read: 6 scored, 0 rejected; product-manager-leaning \d+, product-owner-leaning \d+, hybrid \d+, insufficient-evidence \d+\n$/);
  });

  it("gives each listing's language, in CSV and JSONL", async () => {
    const quoted = (name: string) => `"${readFileSync(fixture("ads", name), "utf8").replace(/"/g, '""')}"`;
    const csv = file("languages.csv", `id,description\nD1,${quoted("de-produktmanager.txt")}\nF1,${quoted("fr-product-owner.txt")}\nN1,${quoted("nl-hybrid.txt")}\nE1,${quoted("snap-payments-pm.txt")}\n`);
    const asCsv = await pmpo(["batch", csv]);
    const rows = parseCsv(asCsv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.id, r.language, r.label])).toEqual([
      ["D1", "de", "product-manager-leaning"],
      ["F1", "fr", "product-owner-leaning"],
      ["N1", "nl", "hybrid"],
      ["E1", "en", "product-manager-leaning"],
    ]);
    const asJsonl = await pmpo(["batch", csv, "--format", "jsonl"]);
    expect(asJsonl.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as { language: string }).language)).toEqual(["de", "fr", "nl", "en"]);
  });

  it("says which other role a listing reads as, in CSV and JSONL", async () => {
    const ad = readFileSync(fixture("ads", "scrum-master.txt"), "utf8").replace(/"/g, '""');
    const csv = file("roles.csv", `id,description\nS1,"${ad}"\n`);
    const asCsv = await pmpo(["batch", csv]);
    const [header, row] = asCsv.stdout.trimEnd().split("\n");
    const cells = parseCsv(`${header}\n${row}`, { columns: true })[0] as Record<string, string>;
    expect(cells).toMatchObject({ label: "insufficient-evidence", other_role: "scrum-master" });
    expect(cells.duty_summary).toMatch(/as Scrum Master or agile coach\.$/);
    const asJsonl = await pmpo(["batch", csv, "--format", "jsonl"]);
    expect(JSON.parse(asJsonl.stdout)).toMatchObject({ otherRole: "scrum-master", dutyCounts: { otherRole: expect.any(Number) } });
  });

  it("reads standard input with -, as JSONL with the classify field names", async () => {
    const ran = await pmpo(["batch", "-", "--format", "jsonl"], { stdin: listings(3) });
    expect(ran.code).toBe(0);
    const rows = ran.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.id, r.record, r.line])).toEqual([
      ["J1", 1, 2],
      ["J2", 2, 3],
      ["J3", 3, 4],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(["id", "record", "line", "label", "confidence", "pmShare", "evidence", "summary", "dutyCounts", "otherRole", "titleMismatch", "title", "topPhrases", "model", "inputLength", "language"]);
  });

  it("adds highlights to JSONL with --highlights, and refuses them for CSV", async () => {
    const ran = await pmpo(["batch", "-", "--format", "jsonl", "--highlights"], { stdin: listings(1) });
    expect((JSON.parse(ran.stdout) as { highlights: unknown[] }).highlights.length).toBeGreaterThan(0);
    const refused = await pmpo(["batch", "-", "--highlights"], { stdin: listings(1) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--highlights needs JSONL output");
  });

  it("exits 1 with one stderr line per rejected record, a rejects file and counts that add up", async () => {
    const csv = `${listings(2)}J3,x,\nJ4,"bad" quote,y\nJ5,a,b,c\n${listings(2).split("\n").slice(1).join("\n").replace(/J(\d)/g, "K$1")}`;
    const rejects = join(dir, "rejects.jsonl");
    const ran = await pmpo(["batch", file("some-bad.csv", csv), "--rejects", rejects, "--summary"]);
    expect(ran.code).toBe(1);
    expect(ran.stderr.split("\n").filter((l) => !l.startsWith("pmpo: note: ")).slice(0, 3)).toEqual([
      `${join(dir, "some-bad.csv")}:4: record 3: EMPTY_TEXT: the text column "description" is empty`,
      `${join(dir, "some-bad.csv")}:5: record 4: STRAY_QUOTE: text after the closing quote in field 2: a quote inside a quoted field must be doubled ("")`,
      `${join(dir, "some-bad.csv")}:6: record 5: FIELD_COUNT: has 4 fields, the header has 3`,
    ]);
    expect(expectEveryRecordAccounted(ran, rejects)).toEqual(expect.objectContaining({ read: 7, scored: 4, rejected: 3 }));
    expect(JSON.parse(readFileSync(rejects, "utf8").split("\n")[1]!)).toEqual({
      line: 5,
      record: 4,
      code: "STRAY_QUOTE",
      message: 'text after the closing quote in field 2: a quote inside a quoted field must be doubled ("")',
      raw: 'J4,"bad" quote,y',
      rawTruncated: false,
    });
  });

  it("prints at most 20 reject lines per code, then a count", async () => {
    const csv = `description,x\n${Array.from({ length: 25 }, (_, i) => `only${i}`).join("\n")}\n`;
    const ran = await pmpo(["batch", file("many-bad.csv", csv)]);
    expect(ran.code).toBe(1);
    const lines = ran.stderr.trimEnd().split("\n");
    expect(lines.filter((l) => l.includes(": FIELD_COUNT: "))).toHaveLength(20);
    expect(lines).toContain("pmpo: 5 more FIELD_COUNT rejects not shown (pass --rejects FILE to keep them all)");
  });

  it("takes column names and a delimiter from options", async () => {
    const tsv = `Ref\tRole\tAd Text\nR1\tProduct Owner\t${PM}\n`;
    const ran = await pmpo(["batch", file("ads.tsv", tsv), "--delimiter", "tab", "--text-column", "ad text", "--id-column", "ref", "--title-column", "role", "--format", "jsonl"]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ id: "R1", title: { text: "Product Owner" } });
  });

  it.each([
    ["UTF-16 LE", (s: string) => Buffer.from(`\ufeff${s}`, "utf16le")],
    [
      "UTF-16 BE",
      (s: string) => {
        const le = Buffer.from(`\ufeff${s}`, "utf16le");
        for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
        return le;
      },
    ],
    ["UTF-8 with a BOM", (s: string) => Buffer.from(`\ufeff${s}`, "utf8")],
  ])("reads %s to the same output as UTF-8", async (_name, encode) => {
    const csv = listings(5, "\r\n");
    const plain = await pmpo(["batch", file("plain.csv", csv)]);
    const other = await pmpo(["batch", file("other.csv", encode(csv))]);
    expect(other.code).toBe(0);
    expect(other.stdout).toBe(plain.stdout);
  });

  it("refuses Latin-1 naming the byte offset, and reads it with --encoding latin1", async () => {
    const csv = "id,description\n1,Product owner for the caf\u00e9 chain: groom the backlog.\n";
    const path = file("latin1.csv", Buffer.from(csv, "latin1"));
    const refused = await pmpo(["batch", path]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      `pmpo: ${path}: not valid UTF-8 at byte 42 (if the file is Latin-1 or Windows-1252, pass --encoding latin1; otherwise convert it to UTF-8)\n`,
    );
    const read = await pmpo(["batch", path, "--encoding", "latin1"]);
    const utf8 = await pmpo(["batch", file("as-utf8.csv", csv)]);
    expect(read.code).toBe(0);
    expect(read.stdout).toBe(utf8.stdout);
  });

  it.each([
    ["gzip", () => gzipSync(listings(2)), "looks like a gzip archive, not a CSV file (decompress it first"],
    ["xlsx", () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), "looks like a zip archive (an .xlsx, .docx or .zip file), not a CSV file"],
    ["xls", () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "looks like an old Office file (.xls or .doc), not a CSV file"],
    ["empty", () => Buffer.alloc(0), "is empty (0 bytes)"],
    ["blank", () => Buffer.from("\n\n"), "has no header line (only blank lines)"],
    ["no-text", () => Buffer.from("name,city\nAda,London\n"), 'no text column: found none of description, job_description, text, body, content, job_posting_description, posting_description, ad_text, job_ad, job_details, details, stellenbeschreibung, beschreibung; the header (line 1) has 2 columns: "name", "city"'],
  ])("refuses %s input with exit 3 and one line", async (name, make, message) => {
    const path = file(`${name}.csv`, make());
    const ran = await pmpo(["batch", path]);
    expect(ran.code).toBe(3);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toMatch(/^pmpo: .+\n$/);
    expect(ran.stderr).toContain(message);
  });

  it.each([
    [["batch", "missing.csv"], "missing.csv: no such file"],
    [["batch", "-", "--delimiter", "x"], '--delimiter "x" is not supported'],
    [["batch", "-", "--out", "results.txt"], "cannot tell the format from the extension"],
    [["batch", "-", "--workers", "0"], "--workers \"0\" must be auto or a whole number from 1 to 64"],
    [["batch", "-", "--max-ad-bytes", "lots"], '--max-ad-bytes "lots" is not a size'],
    [["batch", "-", "--out", "x.csv", "--format", "jsonl"], "has a .csv name but --format is jsonl"],
  ])("exits 2 on usage errors: %j", async (args, message) => {
    const ran = await pmpo(args, { stdin: listings(1) });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(message);
    expectNoCrash(ran);
  });

  it("rejects texts over --max-ad-bytes", async () => {
    const ran = await pmpo(["batch", "-", "--max-ad-bytes", "1k", "--format", "jsonl"], { stdin: `description\n${"word ".repeat(300)}\nshort ad\n` });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("<stdin>:2: record 1: TEXT_TOO_LARGE: the text is 1500 bytes, more than the limit of 1024");
  });

  it("--workers 2 gives byte-identical output to one worker", async () => {
    const path = file("many.csv", listings(400));
    const one = await pmpo(["batch", path, "--format", "jsonl", "--highlights"]);
    const two = await pmpo(["batch", path, "--format", "jsonl", "--highlights", "--workers", "2"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  describe("--out", () => {
    it("writes the file only on success, with nothing left beside it", async () => {
      const out = join(dir, "results.jsonl");
      const ran = await pmpo(["batch", file("for-out.csv", listings(3)), "--out", out]);
      expect(ran.code).toBe(0);
      expect(ran.stdout).toBe("");
      expect(readFileSync(out, "utf8").trimEnd().split("\n")).toHaveLength(3);
      expect(leftovers()).toEqual([]);
    });

    it("leaves no file, and an older file untouched, when the run fails", async () => {
      const out = join(dir, "failed.csv");
      const ran = await pmpo(["batch", file("bad-header.csv", "a,b\n1,2\n"), "--out", out]);
      expect(ran.code).toBe(3);
      expect(existsSync(out)).toBe(false);
      writeFileSync(out, "old results\n");
      await pmpo(["batch", file("gz.csv", gzipSync("x")), "--out", out, "--rejects", join(dir, "failed-rejects.jsonl")]);
      expect(readFileSync(out, "utf8")).toBe("old results\n");
      expect(existsSync(join(dir, "failed-rejects.jsonl"))).toBe(false);
      expect(leftovers()).toEqual([]);
    });

    it("exits 2 when the folder does not exist", async () => {
      const ran = await pmpo(["batch", "-", "--out", join(dir, "nope", "r.csv")], { stdin: listings(1) });
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain("cannot write: no such folder");
    });
  });

  it.each([
    ["SIGINT", "1", 130, "interrupted"],
    ["SIGINT", "2", 130, "interrupted"],
    ["SIGTERM", "1", 143, "stopped by SIGTERM"],
    ["SIGTERM", "2", 143, "stopped by SIGTERM"],
    ["SIGHUP", "1", 129, "stopped by SIGHUP"],
  ] as const)("stops cleanly on %s, says how far it got, and leaves no --out or --rejects file (--workers %s)", async (signal, workers, exitCode, how) => {
    const name = `stopped-${signal}-${workers}`;
    const out = join(dir, `${name}.csv`);
    const rejects = join(dir, `${name}-rejects.jsonl`);
    const child = startCli(["batch", "-", "--out", out, "--rejects", rejects, "--workers", workers]);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.write(listings(50));
    // Keep stdin open, as a slow producer would, and stop it once 40 results are in its
    // temporary output file: waiting for that, not for a fixed time, holds on a loaded machine.
    const rowsWritten = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith(`.${name}.csv.`) && f.endsWith(".tmp"))
        .reduce((n, f) => n + readFileSync(join(dir, f), "utf8").split("\n").length - 1, 0);
    await waitFor(() => rowsWritten() >= 41, "40 results in the temporary output file");
    child.kill(signal);
    expect(await closed).toBe(exitCode);
    // The last record may wait for the byte after it (csv-parse looks ahead for a CRLF).
    const got = new RegExp(`^pmpo: ${how} after (\\d+) records \\(last record read started on line \\d+\\): (\\d+) scored, 0 rejected; .*${name}\\.csv and .*${name}-rejects\\.jsonl were not written\n$`).exec(stderr);
    expect(got, stderr).not.toBeNull();
    expect(Number(got![1])).toBeGreaterThanOrEqual(40);
    expect(got![2]).toBe(got![1]);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(rejects)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it.each(["1", "2"])("ends quietly with exit 0 when the reader goes away (| head; --workers %s)", async (workers) => {
    const path = file(`long-${workers}.csv`, listings(3000));
    const ran = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("bash", ["-c", `node "${BIN}" batch "${path}" --workers ${workers} | head -n 3; echo "pmpo exit \${PIPESTATUS[0]}" >&2`], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(ran.stdout.split("\n")).toHaveLength(4);
    expect(ran.stderr).toBe("pmpo exit 0\n");
  });

  it.each(["1", "2"])("writes results while a live input waits, and stops when its reader goes away (--workers %s)", async (workers) => {
    // A producer that sends 30 listings and then keeps the pipe open, like a live feed.
    const child = startCli(["batch", "-", "--workers", workers]);
    child.stdin.write(listings(30));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    let stdout = "";
    // Every result comes out although the input has not ended: header plus 30 rows (the last
    // record may wait for the byte after it, as csv-parse looks ahead for a CRLF).
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.split("\n").length - 1 >= 30) resolve();
      });
    });
    expect(stdout.split("\n")[1]).toMatch(/^J1,1,2,/);
    // The reader goes away (as head does) while the input stays open: at its next write pmpo
    // finds the pipe closed and ends quietly, without waiting for the input to end.
    child.stdout.destroy();
    child.stdin.write(listings(5).split("\n").slice(1).join("\n"));
    expect(await closed).toBe(0);
    child.stdin.destroy();
  });

  it("documents the command in --help with examples", async () => {
    const ran = await pmpo(["batch", "--help"]);
    expect(ran.code).toBe(0);
    for (const text of ["--text-column", "--rejects", "--workers", "Exit codes: 0 every record scored; 1", "Examples:", "pmpo batch listings.tsv --delimiter tab", "--keep-columns <names>", "--quote <mode>", "title_mismatch is left empty"]) {
      expect(ran.stdout).toContain(text);
    }
  });
});
