import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { TITLE_COLUMN_NAMES } from "../../src/batch/columns.js";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

beforeAll(assertBuilt);

const tmp = mkdtempSync(`${tmpdir()}/pmpo-exports-`);
const exportFile = (name: string) => fixture("exports", name);
const rel = (name: string) => `fixtures/exports/${name}`;

interface Row {
  id: string;
  record: number;
  line: number;
  label: string;
  title: { text: string } | null;
  titleMismatch: boolean | null;
  input?: Record<string, string>;
}

function jsonl(stdout: string): Row[] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Row);
}

// Lines of stderr other than the summary.
const notes = (stderr: string) => stderr.split("\n").filter((l) => l !== "" && !/^pmpo: \d+ records read/.test(l));
const noTitleNote = (name: string, field: string) =>
  `pmpo: note: ${rel(name)}: no title column (tried ${TITLE_COLUMN_NAMES.join(", ")}): ${field}; name the column of job titles with --title-column NAME`;

describe("pmpo batch on the export formats of job boards and ATSs (fixtures/exports)", () => {
  // Each fixture: the ids and titles batch must find, and what it must say on stderr.
  it.each([
    ["linkedin-jobs.csv", ["3901", "3902"], ["Senior Product Manager", "Product Owner (m/w/d)"], []],
    ["greenhouse-job-board.csv", ["4471001", "4471002"], ["Product Manager", "Product Owner"], []],
    ["workday-jobs.csv", ["R-2026-0411", "R-2026-0412"], ["Product Owner - Claims", "Principal Product Manager"], []],
    ["indeed-feed.csv", ["IND-77", "IND-78"], ["Product Manager", "Product Owner"], []],
    ["camelcase-api.csv", ["cc-1", "cc-2"], ["Product Owner", "Product Manager"], []],
    ["snakecase-scrape.csv", ["s-1", "s-2"], ["Product Manager", "Product Owner"], []],
    [
      "excel-semicolon-de.csv",
      ["DE-1", "DE-2"],
      ["Product Owner (m/w/d)", "Produktmanager (m/w/d)"],
      [`pmpo: note: ${rel("excel-semicolon-de.csv")}: reading fields separated by ";" (detected from the header line; --delimiter overrides)`],
    ],
    [
      "pipe-delimited.txt",
      ["P-1", "P-2"],
      ["Product Manager", "Product Owner"],
      [`pmpo: note: ${rel("pipe-delimited.txt")}: reading fields separated by "|" (detected from the header line; --delimiter overrides)`],
    ],
    ["lever-postings.csv", ["a1b2c3", "d4e5f6"], [null, null], [noTitleNote("lever-postings.csv", "titleMismatch is null")]],
  ])("%s: every record scored, with its id and title", (name, ids, titles, expectedNotes) => {
    const ran = runCli(["batch", rel(name), "--format", "jsonl"]);
    expect(ran.status, ran.stderr).toBe(0);
    expect(notes(ran.stderr)).toEqual(expectedNotes);
    expect(ran.stderr).toMatch(/^pmpo: 2 records read: 2 scored, 0 rejected;/m);
    const rows = jsonl(ran.stdout);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.title?.text ?? null)).toEqual(titles);
    for (const row of rows) expect(typeof row.titleMismatch).toBe(row.title === null ? "object" : "boolean");
  });

  it("reads a description column named with an html suffix (descriptionHtml, description_html), not another column", () => {
    for (const name of ["camelcase-api.csv", "snakecase-scrape.csv"]) {
      const ran = runCli(["batch", rel(name), "--format", "jsonl", "--highlights"]);
      expect(ran.status, ran.stderr).toBe(0);
      const text = readFileSync(exportFile(name), "utf8");
      const rows = jsonl(ran.stdout) as Array<Row & { highlights: Array<{ text: string }> }>;
      expect(rows).toHaveLength(2);
      // Highlights quote the ad text: every one is found in the description cells.
      for (const row of rows) {
        expect(row.highlights.length).toBeGreaterThan(0);
        for (const h of row.highlights) expect(text).toContain(h.text);
      }
    }
  });

  it("without a title column: says so once and leaves title_mismatch empty in CSV, null in JSONL", () => {
    const csv = runCli(["batch", rel("no-title-column.csv")]);
    expect(csv.status).toBe(0);
    expect(notes(csv.stderr)).toEqual([noTitleNote("no-title-column.csv", "title_mismatch is left empty")]);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.title_mismatch)).toEqual(["", ""]);
    const json = runCli(["batch", rel("no-title-column.csv"), "--format", "jsonl"]);
    expect(jsonl(json.stdout).map((r) => r.titleMismatch)).toEqual([null, null]);
    // With the column named, the note goes and the flag is a boolean again.
    const named = runCli(["batch", rel("lever-postings.csv"), "--title-column", "text"]);
    expect(notes(named.stderr)).toEqual([]);
    expect((parse(named.stdout, { columns: true }) as Array<Record<string, string>>).map((r) => r.title_mismatch)).toEqual(["false", "false"]);
  });

  it("a title column with an empty cell leaves that record's title_mismatch empty", () => {
    const path = `${tmp}/empty-title.csv`;
    writeFileSync(path, "id,title,description\n1,,Own the product backlog and write user stories with acceptance criteria.\n2,Product Manager,Own the product backlog and write user stories with acceptance criteria.\n");
    const rows = parse(runCli(["batch", path]).stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.title_mismatch)).toEqual(["", expect.stringMatching(/^(true|false)$/)]);
  });

  it("--delimiter overrides the detected delimiter, and a .tsv file is read as tab-separated", () => {
    const forced = runCli(["batch", rel("excel-semicolon-de.csv"), "--delimiter", ","]);
    expect(forced.status).toBe(3);
    expect(forced.stderr).toMatch(/no text column: .*the header \(line 1\) has 1 column: "Stellen-ID;Stellentitel;Unternehmen;Ort…"/);
    const tsv = runCli(["batch", rel("ats-export.tsv"), "--quote", "none", "--format", "jsonl"]);
    expect(tsv.status, tsv.stderr).toBe(0);
    expect(notes(tsv.stderr)).toEqual([`pmpo: note: ${rel("ats-export.tsv")}: reading fields separated by tab (the file name ends in .tsv; --delimiter overrides)`]);
  });

  it("detects a delimiter on standard input too", () => {
    const ran = runCli(["batch", "-", "--format", "jsonl"], { input: readFileSync(exportFile("excel-semicolon-de.csv")) });
    expect(ran.status).toBe(0);
    expect(notes(ran.stderr)).toEqual(['pmpo: note: <stdin>: reading fields separated by ";" (detected from the header line; --delimiter overrides)']);
    expect(jsonl(ran.stdout).map((r) => r.id)).toEqual(["DE-1", "DE-2"]);
  });
});

describe("quotes in exports", () => {
  it("a TSV cell with quotes inside is a STRAY_QUOTE with a hint to pass --quote none, and --quote none reads it", () => {
    const strict = runCli(["batch", rel("ats-export.tsv"), "--summary"]);
    expect(strict.status).toBe(1);
    const lines = strict.stderr.split("\n");
    expect(lines[1]).toBe(`${rel("ats-export.tsv")}:2: record 1: STRAY_QUOTE: a quote inside an unquoted field in field 4: quote the whole field and double the quotes in it ("")`);
    expect(lines[2]).toBe(`pmpo: note: ${rel("ats-export.tsv")}: if the file does not quote its fields (most TSV files do not), pass --quote none to read every " as an ordinary character`);
    // The hint comes once, however many records have the fault.
    expect(lines.filter((l) => l.includes("--quote none"))).toHaveLength(1);
    const none = runCli(["batch", rel("ats-export.tsv"), "--quote", "none", "--format", "jsonl", "--highlights"]);
    expect(none.status).toBe(0);
    const rows = jsonl(none.stdout) as Array<Row & { inputLength: number }>;
    expect(rows.map((r) => r.id)).toEqual(["T-1", "T-2"]);
    // The quotes are part of the text, not dropped.
    const cells = readFileSync(exportFile("ats-export.tsv"), "utf8").split("\n").slice(1, 3).map((l) => l.split("\t")[3] as string);
    expect(rows.map((r) => r.inputLength)).toEqual(cells.map((c) => c.length));
  });

  it("a space between the comma and an opening quote is named as such, costs only its record, and gets no --quote none hint", () => {
    const rejects = `${tmp}/space-rejects.jsonl`;
    const ran = runCli(["batch", rel("space-before-quote.csv"), "--rejects", rejects]);
    expect(ran.status).toBe(1);
    expect(ran.stderr.split("\n")[0]).toBe(
      `${rel("space-before-quote.csv")}:3: record 2: STRAY_QUOTE: a space before the quote that opens field 3: remove the blanks between the delimiter and the quote, or quote the whole field and double the quotes in it ("")`,
    );
    expect(ran.stderr).not.toContain("--quote none");
    expect(ran.stderr).toMatch(/^pmpo: 3 records read: 2 scored, 1 rejected \(STRAY_QUOTE 1\)/m);
    expect((parse(ran.stdout, { columns: true }) as Array<Record<string, string>>).map((r) => r.id)).toEqual(["Q-1", "Q-3"]);
    expect(JSON.parse(readFileSync(rejects, "utf8")).raw).toMatch(/^Q-2,Product Owner, "/);
  });

  it("--quote none never merges records: a quote that would open a field spanning lines stays in its line", () => {
    const path = `${tmp}/unbalanced.tsv`;
    writeFileSync(path, 'id\tdescription\n1\t"Own the product backlog\n2\tWrite user stories" with the team\n3\tRefine the backlog\n');
    const ran = runCli(["batch", path, "--quote", "none", "--format", "jsonl"]);
    expect(ran.status).toBe(0);
    expect(jsonl(ran.stdout).map((r) => [r.id, r.line])).toEqual([
      ["1", 2],
      ["2", 3],
      ["3", 4],
    ]);
    const strict = runCli(["batch", path, "--summary"]);
    // Read with quoting, the same file has a quote that runs over lines: never read as records silently.
    expect(strict.stderr).toMatch(/UNCLOSED_QUOTE|STRAY_QUOTE|cannot be known/);
  });

  it("refuses an unknown --quote mode", () => {
    const ran = runCli(["batch", "-", "--quote", "relaxed"]);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toContain("argument 'relaxed' is invalid. Allowed choices are csv, none.");
  });
});

describe("--keep-columns", () => {
  it("copies the named columns after pmpo's own in CSV, and into an input object in JSONL", () => {
    const csv = runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "company name, Location"]);
    expect(csv.status).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!).slice(-2)).toEqual(["Company Name", "Location"]);
    expect(rows.map((r) => [r.id, r["Company Name"], r.Location])).toEqual([
      ["3901", "Northwind Pay", "Berlin"],
      ["3902", "Northwind Pay", "Hamburg"],
    ]);
    const json = jsonl(runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "Company Name,Location", "--format", "jsonl"]).stdout);
    expect(json.map((r) => r.input)).toEqual([
      { "Company Name": "Northwind Pay", Location: "Berlin" },
      { "Company Name": "Northwind Pay", Location: "Hamburg" },
    ]);
  });

  it("all copies every column but the ad text; a name pmpo's CSV already has gets an input_ prefix, and stderr says so", () => {
    const ran = runCli(["batch", rel("greenhouse-job-board.csv"), "--keep-columns", "all"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout.split("\n")[0]).toBe(
      "id,record,line,label,confidence,pm_share,title_mismatch,evidence_pm,evidence_po,top_pm_phrases,top_po_phrases,model,other_role,duty_summary,language,input_id,internal_job_id,title,requisition_id,location.name,absolute_url",
    );
    expect(notes(ran.stderr)).toEqual([`pmpo: note: ${rel("greenhouse-job-board.csv")}: --keep-columns: column "id" is written as "input_id" (pmpo's output already has a column of that name)`]);
    const rows = parse(ran.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.input_id, r["location.name"]])).toEqual([
      ["4471001", "Remote"],
      ["4471002", "Munich"],
    ]);
    // JSONL keeps them under their own names: nothing to clash with.
    const json = jsonl(runCli(["batch", rel("greenhouse-job-board.csv"), "--keep-columns", "all", "--format", "jsonl"]).stdout);
    expect(Object.keys(json[0]!.input!)).toEqual(["id", "internal_job_id", "title", "requisition_id", "location.name", "absolute_url"]);
  });

  it("guards kept cells against spreadsheet formulas like the other copied cells", () => {
    const path = `${tmp}/formula.csv`;
    writeFileSync(path, 'id,company,description\n1,"=HYPERLINK(""http://evil.test"")",Own the product backlog and write user stories.\n');
    const rows = parse(runCli(["batch", path, "--keep-columns", "company"]).stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]!.company).toBe(`'=HYPERLINK("http://evil.test")`);
  });

  it("with a worker thread, the kept columns are the same", () => {
    const one = runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "all", "--format", "jsonl"]);
    const two = runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "all", "--format", "jsonl", "--workers", "2"]);
    expect(one.status, one.stderr).toBe(0);
    expect(jsonl(one.stdout).map((r) => r.input?.["Company Name"])).toEqual(["Northwind Pay", "Northwind Pay"]);
    expect(two.stdout).toBe(one.stdout);
  });

  it("a column not in the header is refused with exit 3, naming the header's columns", () => {
    const ran = runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "company name,salary"]);
    expect(ran.status).toBe(3);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toBe(
      `pmpo: ${rel("linkedin-jobs.csv")}: columns to keep: no column "salary"; the header (line 1) has 6 columns: "Job ID", "Job Title", "Company Name", "Location", "Job Description", "Posted Date" (name columns of the header, separated by commas, or pass --keep-columns all)\n`,
    );
    const empty = runCli(["batch", rel("linkedin-jobs.csv"), "--keep-columns", "a,,b"]);
    expect(empty.status).toBe(2);
  });
});
