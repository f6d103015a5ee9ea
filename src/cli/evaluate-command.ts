import { Command, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { readAdRecords } from "../batch/ad-records.js";
import { listColumns, TEXT_COLUMN_NAMES } from "../batch/columns.js";
import { decodeCsvBytes } from "../batch/decode-stream.js";
import { REJECT_CODES, type RejectCode } from "../batch/outcome.js";
import type { TextEncoding } from "../text/decode.js";
import { terminalSafe } from "../highlight/terminal-safe.js";
import { chooseDelimiter, CSV_QUOTES, delimiterNote, openCsvInput } from "./csv-input.js";
import { InputError, UsageError } from "../errors.js";
import { crossValidate } from "../eval/crossval.js";
import { evaluateAds, type EvaluationRow } from "../eval/evaluate.js";
import { renderEvaluationText } from "../eval/render.js";
import { reportSchemas, type EvaluationReport } from "../eval/report.js";
import { DEFAULT_PHRASES_PATH, DEFAULT_SETTINGS_PATH, loadDefaultModel, loadModel, readPhrasesFile, readSettingsFile } from "../model/io.js";
import { LABELS, resultSchemas, type Label } from "../score/result.js";
import { EXIT, writeOut, type CliIo } from "./io.js";

/** The column `pmpo evaluate` breaks its figures down by, when the CSV has it and no --language-column names another. */
export const LANGUAGE_COLUMN = "language";

/** Output formats of `pmpo evaluate`. */
export const EVALUATE_FORMATS = ["text", "json"] as const;

interface EvaluateFlags {
  labelColumn?: string;
  titleColumn?: string;
  textColumn?: string;
  languageColumn?: string;
  phrases?: string;
  settings?: string;
  folds?: number;
  seed: number;
  model?: string;
  format: (typeof EVALUATE_FORMATS)[number];
  mask: boolean;
  misses: number;
  delimiter?: string;
  quote: (typeof CSV_QUOTES)[number];
  encoding: TextEncoding;
}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

/** `pmpo evaluate [file]`: pmpo and two baselines measured on labelled ads, or cross-validated on phrases. */
export function evaluateCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("evaluate")
    .description("measure pmpo against labelled ads (gold labels and/or titles) or by cross-validation on training phrases, next to two baselines")
    .argument("[file]", "CSV of job ads with a header row (- reads standard input); leave out with --folds")
    .option("-l, --label-column <name>", `column of gold labels (${LABELS.join(", ")}); rows with an empty label are skipped and counted`)
    .option("-t, --title-column <name>", "column of job titles: the role a title names (product manager or product owner) is a weak label; reports the ROC AUC of pmShare")
    .option("--text-column <name>", `column of ad text (default: found as batch finds it, first of ${TEXT_COLUMN_NAMES.slice(0, 5).join(", ")} and other common names)`)
    .option("--language-column <name>", `column of each ad's language (en, de, nl, fr...): pmpo's figures and its language detection per language (default: a column named "${LANGUAGE_COLUMN}", when there is one)`)
    .option("-d, --delimiter <delimiter>", 'field delimiter: tab, ",", ";" or "|" (default: tab for a .tsv file, else detected from the header line)')
    .addOption(new Option("--quote <mode>", 'csv reads double quotes as CSV quoting; none reads " as an ordinary character (TSV without quoting)').choices(CSV_QUOTES).default("csv"))
    .addOption(new Option("--encoding <encoding>", "how to read bytes that are not UTF-8 (a UTF-16 file with a BOM is always read as UTF-16)").choices(["utf8", "latin1"]).default("utf8"))
    .option("-m, --model <path>", "model file (default: the shipped models/default.json)")
    .option("-p, --phrases <path>", "training phrases CSV: what the Bayes baseline learns from, and what --folds cross-validates (default: models/phrases.csv)")
    .option("-k, --folds <n>", "cross-validate on the phrases with N folds instead of reading ads", integer(2))
    .option("-s, --settings <path>", "training settings for --folds (default: models/settings.json)")
    .option("--seed <n>", "seed of the fold split for --folds", integer(0), 1)
    .option("--no-mask", "keep role names (product owner, PM, Produktmanager:in, chef de produit, ...) in the text; by default they are masked, in English, German, Dutch and French, so scores measure duties, not titles")
    .option("--misses <n>", "list pmpo's N worst misses with the evidence it saw", integer(0), 0)
    .addOption(new Option("-f, --format <format>", "output format").choices(EVALUATE_FORMATS).default("text"))
    .addHelpText(
      "after",
      `
Every run scores pmpo and two baselines on the same rows: a plain keyword counter, and
natural's BayesClassifier trained on the same phrases as the model. For each it reports
accuracy, per-class precision/recall/F1, macro-F1 (over the labels present in gold), a
confusion matrix and, with titles, the ROC AUC of pmShare separating product manager titles
from product owner titles. With gold labels and titles both, it also sorts the title pairs each
classifier orders the wrong way by what the gold labels say of them, and gives the highest title
AUC a score that orders ads as their gold labels do could reach, and the same title AUC on the
ads with duties (gold not insufficient-evidence). With gold labels it also gives pmpo's
reliability table (confidence in five bins against how often it was right) and Brier score;
on any ads, its coverage: the share of statements that carry any evidence, per section.
With a language column (one named "language", or --language-column), pmpo's accuracy and
macro-F1 per language (on the rows with a gold label) and how often its detected language
equals the column (on all rows), then the same over all rows.
Titles are never shown to the classifiers. These are in-sample figures for the shipped model;
npm run tune gives the out-of-fold ones (folds grouped by source).

The CSV is read as pmpo batch reads it: the same column names, delimiters, encodings and
quoting options. A record batch would reject (wrong field count, a stray quote...) is named on
stderr as "file:line: record N: CODE: message", left out of the figures and counted in the
report's warnings; a record with an empty text is counted as skipped without text.

Exit codes: 0 evaluated; 1 evaluated, some records rejected (see stderr); 2 usage, I/O or model
error; 3 input that cannot be read (not CSV, no text column, a named column missing, an
unknown gold label).

Examples:
  pmpo evaluate labelled.csv --label-column gold_label
  pmpo evaluate listings.csv --title-column title
  pmpo evaluate jobads.csv --label-column gold_label --title-column title --misses 10
  pmpo evaluate jobads.csv -l gold_label --format json > report.json
  pmpo evaluate multilingual.csv -l gold_label --language-column language
  pmpo evaluate --phrases models/phrases.csv --folds 5`,
    )
    .action(async (file: string | undefined, flags: EvaluateFlags) => {
      const { report, rejected } = flags.folds !== undefined ? { report: runCrossValidation(file, flags, io), rejected: 0 } : await runOnAds(file, flags, io);
      const checked = reportSchemas().evaluationReportSchema.parse(report);
      for (const warning of checked.warnings) await writeOut(io.stderr, `pmpo: warning: ${warning}\n`);
      await writeOut(io.stdout, flags.format === "json" ? `${JSON.stringify(checked, null, 2)}\n` : renderEvaluationText(checked));
      setExit(rejected > 0 ? EXIT.rejected : EXIT.ok);
    });
}

function runCrossValidation(file: string | undefined, flags: EvaluateFlags, io: CliIo): EvaluationReport {
  if (file !== undefined || flags.labelColumn !== undefined || flags.titleColumn !== undefined) {
    throw new UsageError("--folds cross-validates training phrases and reads no ads", "leave out the file, --label-column and --title-column, or leave out --folds");
  }
  const folds = flags.folds as number;
  const phrasesPath = flags.phrases ? resolve(io.cwd, flags.phrases) : DEFAULT_PHRASES_PATH;
  const { phrases } = readPhrasesFile(phrasesPath);
  const settings = readSettingsFile(flags.settings ? resolve(io.cwd, flags.settings) : DEFAULT_SETTINGS_PATH);
  const smallest = Math.min(...(["product-manager", "product-owner"] as const).map((side) => phrases.filter((p) => p.label === side).length));
  if (folds > smallest) throw new UsageError(`--folds ${folds}: the smaller side has only ${smallest} phrases`, `use at most ${smallest} folds`);
  return crossValidate(phrases, { folds, seed: flags.seed, settings, source: flags.phrases ?? "models/phrases.csv" });
}

async function runOnAds(file: string | undefined, flags: EvaluateFlags, io: CliIo): Promise<{ report: EvaluationReport; rejected: number }> {
  if (file === undefined) throw new UsageError("no input: pass a CSV of labelled ads, or --folds N to cross-validate the phrases", "see pmpo evaluate --help");
  if (flags.labelColumn === undefined && flags.titleColumn === undefined) {
    throw new UsageError("nothing to measure against: pass --label-column (gold labels) and/or --title-column (job titles)");
  }
  const choice = chooseDelimiter(file, flags.delimiter);
  const input = await openCsvInput(file, io);
  const source = input.name;
  // Read as batch reads it: the same decoding, delimiters, quoting, columns and rejects.
  const utf8 = decodeCsvBytes(input.stream, { encoding: flags.encoding, source });
  const records = readAdRecords(utf8, { delimiter: choice.delimiter, quote: flags.quote !== "none", columns: { text: flags.textColumn, title: flags.titleColumn }, source });
  let header: readonly string[] = [];
  let textAt = -1;
  let titleAt = -1;
  let idAt = -1;
  let goldAt = -1;
  let languageAt = -1;
  const rows: EvaluationRow[] = [];
  const rejects = new Map<RejectCode, number>();
  let rejected = 0;
  try {
    for await (const event of records) {
      if (event.kind === "header") {
        header = event.columns.header;
        textAt = event.columns.text;
        titleAt = event.columns.title ?? -1;
        idAt = event.columns.id ?? -1;
        const note = delimiterNote(source, event, choice.from);
        if (note !== null) await writeOut(io.stderr, `pmpo: note: ${terminalSafe(note)}\n`);
        if (flags.labelColumn !== undefined) {
          const wanted = flags.labelColumn.trim().toLowerCase();
          goldAt = header.findIndex((name) => name.trim().toLowerCase() === wanted);
          if (goldAt < 0) {
            throw new InputError("CSV_FORMAT", `${source}: no label column "${flags.labelColumn}"; the header has ${header.length} columns: ${listColumns(header)}`, "check --label-column");
          }
        }
        languageAt = findLanguageColumn(header, flags.languageColumn, source);
        continue;
      }
      const rowName = `row ${event.record}`;
      if (event.kind === "rejected") {
        // An empty text is a row without text, as before; any other reject leaves the row out, said on stderr.
        if (event.code === "EMPTY_TEXT") {
          rows.push({ id: rowName, text: "", gold: null, title: null });
          continue;
        }
        rejected++;
        rejects.set(event.code, (rejects.get(event.code) ?? 0) + 1);
        await writeOut(io.stderr, `${terminalSafe(`${source}:${event.line}: record ${event.record}: ${event.code}: ${event.message}`)}\n`);
        continue;
      }
      const cell = (at: number) => (at >= 0 ? (event.fields[at] ?? "") : "");
      let gold: Label | null = null;
      if (goldAt >= 0) {
        const value = cell(goldAt).trim();
        if (value !== "") {
          const parsed = resultSchemas().labelSchema.safeParse(value);
          if (!parsed.success) {
            throw new InputError(
              "CSV_FORMAT",
              `${source}:${event.line}: record ${event.record}: ${flags.labelColumn} is "${value.slice(0, 40)}", not a label`,
              `use one of ${LABELS.join(", ")}, or leave it empty`,
            );
          }
          gold = parsed.data;
        }
      }
      const id = cell(idAt).trim();
      rows.push({
        id: id === "" ? rowName : id,
        text: event.text,
        gold,
        title: titleAt >= 0 ? cell(titleAt).trim() || null : null,
        language: languageAt >= 0 ? cell(languageAt).trim() || null : null,
      });
    }
  } finally {
    input.stream.destroy();
  }
  if (rows.length === 0 && rejected === 0) throw new InputError("INPUT_EMPTY", `${source}: has a header but no rows`, "pass a CSV with one ad per row");

  const model = flags.model ? loadModel(resolve(io.cwd, flags.model)) : loadDefaultModel();
  const { phrases } = readPhrasesFile(flags.phrases ? resolve(io.cwd, flags.phrases) : DEFAULT_PHRASES_PATH);
  const report = evaluateAds(rows, {
    model,
    phrases,
    mask: flags.mask,
    misses: flags.misses,
    source,
    columns: {
      text: header[textAt] ?? "",
      gold: goldAt >= 0 ? (header[goldAt] ?? null) : null,
      // A title column found by name still shows in misses; only --title-column makes titles a label.
      title: flags.titleColumn === undefined ? null : (header[titleAt] ?? null),
    },
    languageColumn: languageAt >= 0 ? (header[languageAt] ?? null) : null,
  });
  if (rejected > 0) {
    const counts = REJECT_CODES.filter((code) => rejects.has(code)).map((code) => `${code} ${rejects.get(code)}`);
    report.warnings.push(`${rejected} record${rejected === 1 ? "" : "s"} of ${source} rejected and left out of these figures (${counts.join(", ")}); each is named above`);
  }
  return { report, rejected };
}

// The language column: the one --language-column names (it must exist), else one named "language", else none (-1).
function findLanguageColumn(header: readonly string[], asked: string | undefined, source: string): number {
  const wanted = (asked ?? LANGUAGE_COLUMN).trim().toLowerCase();
  const at = header.findIndex((name) => name.trim().toLowerCase() === wanted);
  if (at < 0 && asked !== undefined) {
    throw new InputError("CSV_FORMAT", `${source}: no language column "${asked}"; the header has ${header.length} columns: ${listColumns(header)}`, "check --language-column");
  }
  return at;
}
