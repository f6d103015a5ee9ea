import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classificationMetrics } from "../../src/eval/metrics.js";
import { round4 } from "../../src/eval/report.js";
import { evaluationReportSchema } from "../../src/schemas.js";
import { LABELS } from "../../src/score/result.js";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { HAS_SHARED } from "../helpers/paths.js";

// End to end: spawns the built CLI (npm test builds first), as a user would run it, from the
// repository root, so paths in arguments and messages are the ones a user types.
const JOBADS = "../shared/jobads/jobads.csv";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pmpo(...args: string[]): Run {
  const { stdout, stderr, status } = runCli(args);
  return { code: status, stdout, stderr };
}

const ADS = "fixtures/eval/labelled-ads.csv";
const PHRASES = "fixtures/eval/phrases-small.csv";
const SETTINGS = "fixtures/eval/settings.json";
let dir: string;
let model: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "pmpo-evaluate-"));
  model = join(dir, "small-model.json");
  const trained = pmpo("train", "--phrases", PHRASES, "--settings", SETTINGS, "--out", model);
  expect(trained.code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pmpo evaluate on labelled ads", () => {
  const small = () => ["--model", model, "--phrases", PHRASES];

  it("prints a JSON report with all three classifiers, measured against gold labels and titles", () => {
    const run = pmpo("evaluate", ADS, "--label-column", "gold_label", "--title-column", "title", ...small(), "--format", "json", "--misses", "2");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = evaluationReportSchema.parse(JSON.parse(run.stdout));
    if (report.mode !== "ads") throw new Error("expected an ads report");
    expect(report.source).toBe(ADS);
    expect(report.masked).toBe(true);
    expect(report.columns).toEqual({ text: "description", gold: "gold_label", title: "title" });
    expect(report.rows).toEqual({ read: 10, classified: 9, skippedNoText: 1 });
    expect(report.gold).toMatchObject({ rows: 8, skippedNoLabel: 1 });
    expect(report.titles).toMatchObject({ rows: 9, productManager: 5, productOwner: 4 });
    // The keyword counter needs no model: its figures are fixed and worked out by hand.
    expect(report.gold!.classifiers.keywords).toMatchObject({ accuracy: 0.875, macroF1: 0.8667, aucLeaning: 1 });
    expect(report.titles!.classifiers.keywords).toMatchObject({ auc: 0.6, leaningAccuracy: 0.4444, balancedAccuracy: 0.45 });
    expect(Object.keys(report.gold!.classifiers)).toEqual(["pmpo", "keywords", "bayes"]);
    expect(report.misses.length).toBe(Math.min(2, report.missed));
  });

  it("prints the same side by side as text", () => {
    const run = pmpo("evaluate", ADS, "-l", "gold_label", "-t", "title", ...small(), "--misses", "1");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`pmpo evaluate: ${ADS}\n`);
    expect(run.stdout).toContain('Gold labels (column "gold_label"): 8 rows, 1 skipped without a label\n');
    expect(run.stdout).toContain('Titles (column "title"): 9 rows (5 product manager, 4 product owner), 0 skipped naming both roles or neither\n');
    expect(run.stdout).toMatch(/^ {2}accuracy +\S+ +0\.875 +\S+$/m);
    expect(run.stdout).toMatch(/^ {2}ROC AUC pmShare, PM vs PO +\S+ +0\.600 +\S+$/m);
    expect(run.stdout).toMatch(/^Worst misses against gold labels: 1 of \d+$/m);
  });

  it("measures against titles alone", () => {
    const run = pmpo("evaluate", ADS, "--title-column", "title", ...small(), "--format", "json", "--misses", "3");
    expect(run.code).toBe(0);
    const report = evaluationReportSchema.parse(JSON.parse(run.stdout));
    if (report.mode !== "ads") throw new Error("expected an ads report");
    expect(report.gold).toBeNull();
    expect(report.titles?.rows).toBe(9);
    for (const miss of report.misses) expect(miss.against).toBe("title");
  });

  it("says so when role names are not masked", () => {
    const run = pmpo("evaluate", ADS, "-l", "gold_label", ...small(), "--no-mask", "--format", "json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).masked).toBe(false);
  });

  it("runs with the shipped model and phrases by default", () => {
    const run = pmpo("evaluate", ADS, "-l", "gold_label", "-t", "title", "--format", "json");
    expect(run.code).toBe(0);
    // A model not yet retrained on edited phrases earns a warning, never a failure.
    expect(run.stderr).toMatch(/^(pmpo: warning: [^\n]*\n)*$/);
    const report = evaluationReportSchema.parse(JSON.parse(run.stdout));
    expect(report.mode).toBe("ads");
  });
});

describe("pmpo evaluate by language", () => {
  const LANGUAGE_ADS = "fixtures/eval/languages-ads.csv";
  const rows = () => parse(readFileSync(LANGUAGE_ADS, "utf8"), { columns: true, bom: true }) as Array<{ id: string; language: string }>;

  it("breaks pmpo's figures down by the language column, as the predictions give them", () => {
    const run = pmpo("evaluate", LANGUAGE_ADS, "-l", "gold_label", "--format", "json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = evaluationReportSchema.parse(JSON.parse(run.stdout));
    if (report.mode !== "ads") throw new Error("expected an ads report");
    expect(report.languages?.column).toBe("language");
    const figures = report.languages!.figures;
    // "FR" and "fr" are one language; the row without a language counts in "all" only.
    expect(figures.map((f) => [f.language, f.ads, f.labelled])).toEqual([
      ["de", 2, 1],
      ["en", 2, 2],
      ["fr", 3, 3],
      ["all", 8, 7],
    ]);
    // f3 is English text under "fr": the one detection miss.
    expect(figures.map((f) => f.detectedRight)).toEqual([2, 2, 2, 6]);
    // Accuracy and macro-F1 are those of the report's own predictions, grouped by the column.
    const languageOf = new Map(rows().map((row) => [row.id, row.language.toLowerCase()]));
    for (const f of figures) {
      const labelled = report.predictions.filter((p) => p.gold !== null && (f.language === "all" || languageOf.get(p.id) === f.language));
      const metrics = classificationMetrics(
        labelled.map((p) => p.gold!),
        labelled.map((p) => p.pmpo.label),
        LABELS,
      );
      expect([f.language, f.accuracy, f.macroF1]).toEqual([f.language, round4(metrics.accuracy), round4(metrics.macroF1)]);
    }
  });

  it("prints the breakdown as a table in the text report", () => {
    const run = pmpo("evaluate", LANGUAGE_ADS, "-l", "gold_label");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\nBy language (column "language"), pmpo; accuracy and macro-F1 on the labelled ads, detection on all\n  language  ads  labelled  accuracy  macro-F1  detected right\n  de          2         1');
    expect(run.stdout).toMatch(/^ {2}fr {10}3 {9}3 +\S+ +\S+ {2}2\/3$/m);
    expect(run.stdout).toMatch(/^ {2}all {9}8 {9}7 +\S+ +\S+ {2}6\/8$/m);
  });

  it("gives no breakdown for a CSV without a language column", () => {
    const run = pmpo("evaluate", ADS, "-l", "gold_label", "--format", "json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).languages).toBeNull();
    expect(pmpo("evaluate", ADS, "-l", "gold_label").stdout).not.toContain("By language");
  });

  it("reads the column --language-column names, and refuses one the file does not have", () => {
    const named = pmpo("evaluate", LANGUAGE_ADS, "-l", "gold_label", "--language-column", "Language", "--format", "json");
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).languages.column).toBe("language");
    const missing = pmpo("evaluate", ADS, "-l", "gold_label", "--language-column", "language");
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe(`pmpo: ${ADS}: no language column "language"; the header has 4 columns: "id", "title", "description", "gold_label" (check --language-column)\n`);
    expect(missing.code).toBe(3);
  });
});

describe("pmpo evaluate --folds", () => {
  const args = ["evaluate", "--phrases", PHRASES, "--settings", SETTINGS, "--folds", "4", "--format", "json"];

  it("cross-validates the phrases, the same way every time", () => {
    const [first, second] = [pmpo(...args), pmpo(...args)];
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("");
    expect(second.stdout).toBe(first.stdout);
    const report = evaluationReportSchema.parse(JSON.parse(first.stdout));
    if (report.mode !== "cross-validation") throw new Error("expected a cross-validation report");
    expect(report).toMatchObject({ source: PHRASES, folds: 4, seed: 1, phrases: { productManager: 16, productOwner: 16, neutral: 8 } });
  });

  it("prints text with the three classifiers", () => {
    const run = pmpo("evaluate", "--phrases", PHRASES, "--settings", SETTINGS, "-k", "3", "--seed", "5");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`pmpo evaluate: 3-fold cross-validation on ${PHRASES} (`);
    expect(run.stdout).toContain("Product manager vs product owner phrases (32)\n");
    expect(run.stdout).toContain("Neutral phrases (8)\n");
  });
});

describe("pmpo evaluate refuses what it cannot measure", () => {
  it.each<{ name: string; args: string[]; code: number; stderr: string | RegExp }>([
    {
      name: "a gold label that is not one of the four",
      args: ["fixtures/eval/unknown-label.csv", "-l", "gold_label"],
      code: 3,
      stderr:
        'pmpo: fixtures/eval/unknown-label.csv:3: record 2: gold_label is "pm", not a label (use one of product-manager-leaning, product-owner-leaning, hybrid, insufficient-evidence, or leave it empty)\n',
    },
    {
      name: "a CSV without a text column (found as batch finds it)",
      args: ["fixtures/eval/no-text-column.csv", "-l", "gold_label"],
      code: 3,
      stderr:
        'pmpo: fixtures/eval/no-text-column.csv: no text column: found none of description, job_description, text, body, content, job_posting_description, posting_description, ad_text, job_ad, job_details, details, stellenbeschreibung, beschreibung; the header (line 1) has 4 columns: "id", "title", "summary", "gold_label" (name the column of ad text with --text-column NAME (the first line must be the header))\n',
    },
    {
      name: "a label column the file does not have",
      args: [ADS, "--label-column", "gold"],
      code: 3,
      stderr: `pmpo: ${ADS}: no label column "gold"; the header has 4 columns: "id", "title", "description", "gold_label" (check --label-column)\n`,
    },
    {
      name: "a title column the file does not have",
      args: [ADS, "--title-column", "job"],
      code: 3,
      stderr: `pmpo: ${ADS}: no title column "job"; the header (line 1) has 4 columns: "id", "title", "description", "gold_label" (check --title-column)\n`,
    },
    {
      name: "nothing to measure against",
      args: [ADS],
      code: 2,
      stderr: "pmpo: nothing to measure against: pass --label-column (gold labels) and/or --title-column (job titles)\n",
    },
    {
      name: "no file and no --folds",
      args: ["-l", "gold_label"],
      code: 2,
      stderr: "pmpo: no input: pass a CSV of labelled ads, or --folds N to cross-validate the phrases (see pmpo evaluate --help)\n",
    },
    {
      name: "a file with --folds",
      args: [ADS, "--folds", "5"],
      code: 2,
      stderr: "pmpo: --folds cross-validates training phrases and reads no ads (leave out the file, --label-column and --title-column, or leave out --folds)\n",
    },
    {
      name: "one fold",
      args: ["--folds", "1"],
      code: 2,
      stderr: /^error: option '-k, --folds <n>' argument '1' is invalid\. expected a whole number of at least 2\n/,
    },
    {
      name: "more folds than phrases on a side",
      args: ["--phrases", PHRASES, "--settings", SETTINGS, "--folds", "17"],
      code: 2,
      stderr: "pmpo: --folds 17: the smaller side has only 16 phrases (use at most 16 folds)\n",
    },
    {
      name: "a file that does not exist",
      args: ["fixtures/eval/missing.csv", "-l", "gold_label"],
      code: 2,
      stderr: "pmpo: fixtures/eval/missing.csv: no such file (check the path, or pass - to read standard input)\n",
    },
  ])("$name: exit $code", ({ args, code, stderr }) => {
    const run = pmpo("evaluate", ...args);
    expect(run.stdout).toBe("");
    if (typeof stderr === "string") expect(run.stderr).toBe(stderr);
    else expect(run.stderr).toMatch(stderr);
    expect(run.code).toBe(code);
  });

  it("documents itself in --help", () => {
    const run = pmpo("evaluate", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: pmpo evaluate [options] [file]");
    expect(run.stdout).toContain("pmpo evaluate --phrases models/phrases.csv --folds 5");
    expect(run.stdout).toContain("--no-mask");
  });
});

describe("pmpo evaluate on the real job ads", () => {
  // The lead sets the goals; this only checks that the run completes and its report is well-formed.
  it.skipIf(!HAS_SHARED)(`evaluates ${JOBADS} (skipped when ../shared is absent)`, () => {
    const run = pmpo("evaluate", JOBADS, "--label-column", "gold_label", "--title-column", "title", "--misses", "10", "--format", "json");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^(pmpo: warning: [^\n]*\n)*$/);
    const report = evaluationReportSchema.parse(JSON.parse(run.stdout));
    if (report.mode !== "ads") throw new Error("expected an ads report");
    expect(report.masked).toBe(true);
    expect(report.rows.read).toBeGreaterThan(0);
    expect(report.rows.classified + report.rows.skippedNoText).toBe(report.rows.read);
    expect(report.gold!.rows + report.gold!.skippedNoLabel).toBe(report.rows.classified);
    expect(report.titles!.productManager + report.titles!.productOwner).toBe(report.titles!.rows);
    expect(report.predictions).toHaveLength(report.rows.classified);
    expect(report.misses).toHaveLength(Math.min(10, report.missed));
    for (const name of ["pmpo", "keywords", "bayes"] as const) {
      const matrix = report.gold!.classifiers[name].confusion.matrix;
      expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(report.gold!.rows);
    }
  });
});

describe("pmpo evaluate reads CSV as batch does", () => {
  const small = () => ["--model", model, "--phrases", PHRASES, "--label-column", "gold_label", "--title-column", "title", "--format", "json"];
  const records = () => parse(readFileSync(ADS, "utf8"), { bom: true }) as string[][];
  const write = (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  // Without quoting, a field cannot hold a line break: flat() joins the lines of each field.
  const flat = () => records().map((r) => r.map((f) => f.replace(/\s*\n\s*/g, " ")));
  const delimited = (d: string, quote = true, rows = records()) =>
    `${rows
      .map((r) => r.map((f) => (quote && /[";\n\t,|]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(d))
      .join("\n")}\n`;
  // The report but for where it was read from.
  const figures = (stdout: string) => {
    const report = JSON.parse(stdout) as Record<string, unknown>;
    delete report.source;
    return report;
  };

  it("detects a semicolon delimiter and gives the same report as the comma file, saying which delimiter it used", () => {
    const comma = pmpo("evaluate", ADS, ...small());
    const path = write("ads-semicolon.csv", delimited(";"));
    const semi = pmpo("evaluate", path, ...small());
    expect(semi.stderr).toBe(`pmpo: note: ${path}: reading fields separated by ";" (detected from the header line; --delimiter overrides)\n`);
    expect(semi.code).toBe(0);
    expect(figures(semi.stdout)).toEqual(figures(comma.stdout));
    // --delimiter overrides: read as commas, the file has no text column.
    expect(pmpo("evaluate", path, ...small(), "--delimiter", ",").code).toBe(3);
  });

  it("reads a TSV with quotes in its cells with --quote none, and Latin-1 with --encoding latin1", () => {
    // A quote inside a cell, as an unquoted TSV writes it.
    const rows = flat().map((r, i) => (i === 1 ? r.map((f, j) => (j === 2 ? `Own the "product backlog". ${f}` : f)) : r));
    const comma = figures(pmpo("evaluate", write("ads-flat.csv", delimited(",", true, rows)), ...small()).stdout);
    const tsv = write("ads.tsv", delimited("\t", false, rows));
    const strict = pmpo("evaluate", tsv, ...small());
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${tsv}:2: record 1: STRAY_QUOTE: a quote inside an unquoted field in field 3`);
    const none = pmpo("evaluate", tsv, ...small(), "--quote", "none");
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toBe(`pmpo: note: ${tsv}: reading fields separated by tab (the file name ends in .tsv; --delimiter overrides)\n`);
    expect(figures(none.stdout)).toEqual(comma);
    const latin = write("ads-latin1.csv", Buffer.from(readFileSync(ADS, "utf8").replace("Write user stories", "Écrire user stories"), "latin1"));
    expect(pmpo("evaluate", latin, ...small()).stderr).toMatch(/not valid UTF-8 at byte \d+.*--encoding latin1/);
    const read = pmpo("evaluate", latin, ...small(), "--encoding", "latin1");
    expect(read.code, read.stderr).toBe(0);
  });

  it("a broken record costs only itself: named on stderr as batch names it, counted in the warnings, exit 1", () => {
    const lines = readFileSync(ADS, "utf8").split("\n");
    lines.splice(2, 0, "x1,Product Owner,one field too many,product-owner-leaning,extra");
    const path = write("ads-broken.csv", lines.join("\n"));
    const run = pmpo("evaluate", path, ...small());
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")[0]).toBe(`${path}:3: record 2: FIELD_COUNT: has 5 fields, the header has 4`);
    expect(run.stderr).toContain(`pmpo: warning: 1 record of ${path} rejected and left out of these figures (FIELD_COUNT 1); each is named above\n`);
    const report = JSON.parse(run.stdout) as { rows: unknown };
    expect(report.rows).toEqual({ read: 10, classified: 9, skippedNoText: 1 });
  });
});
