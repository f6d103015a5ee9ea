import { Command, Option } from "commander";
import { loadDefaultModel, loadModel } from "../model/io.js";
import { classify } from "../score/classify.js";
import { decodeAd, type TextEncoding } from "../text/decode.js";
import { renderText } from "../highlight/render-text.js";
import { renderReport } from "../highlight/render-report.js";
import { PmpoError, UsageError } from "../errors.js";
import { escapeMarkdown } from "../highlight/markdown-escape.js";
import { terminalSafe } from "../highlight/terminal-safe.js";
import type { Model } from "../model/schema.js";
import { EXIT, useColor, writeOut, type CliIo } from "./io.js";
import { exitCodeFor } from "./exit-codes.js";
import { readInputBytes } from "./read-input.js";
import { resolve } from "node:path";

/** Output formats of `pmpo classify`. */
export const CLASSIFY_FORMATS = ["text", "json", "markdown", "html"] as const;

interface ClassifyFlags {
  format: (typeof CLASSIFY_FORMATS)[number];
  title?: string;
  model?: string;
  encoding: TextEncoding;
}

/** What `pmpo classify` says on stderr before it waits for an ad typed or pasted on a terminal. */
export const STDIN_PROMPT = "pmpo: reading the ad from stdin; end with Ctrl-D";

/** Whether to say `STDIN_PROMPT`: standard input is read and it is a terminal (a pipe or file needs no prompt). */
export function shouldPromptForStdin(files: readonly string[], stdin: { isTTY?: boolean }): boolean {
  return stdin.isTTY === true && files.includes("-");
}

/** `pmpo classify [files...]`: one ad in, a label and its evidence out; several files give one result each. */
export function classifyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("classify")
    .description("classify one job ad: a label, the duty summary, a calibrated confidence, what would change the label, and the ad with its evidence highlighted")
    .argument("[files...]", "the ad as a text, Markdown or HTML file; - or nothing reads standard input; several files give one result each")
    .addOption(new Option("-f, --format <format>", "output format").choices(CLASSIFY_FORMATS).default("text"))
    .option("-t, --title <title>", "the job title, to flag a title that names the other role")
    .option("-m, --model <path>", "model file (default: the shipped models/default.json)")
    .addOption(new Option("--encoding <encoding>", "how to read bytes that are not UTF-8").choices(["utf8", "latin1"]).default("utf8"))
    .addHelpText(
      "after",
      `
The ad is read statement by statement (a bullet, a line or a sentence): each leans product
manager, product owner, both, another role (Scrum Master, project manager, product marketing,
QA, business analyst, software engineer, UX designer, data analyst) or none, and the label
follows from those duties. Reports open with the duty summary ("9 of 24 statements state a
duty: 7 read as product manager, 2 as product owner"), the confidence (the probability that
the label is right, calibrated on real ads) and the smallest set of duties whose removal would
change the label. --format json adds every
statement (duties), the other role and its evidence (otherRole) and that set (flips).

With several files, each gets its result in turn: --format json prints one JSON line per file
(JSONL: {"file": ..., then the result's fields}, or {"file": ..., "error": {code, message}}),
text and markdown a header naming the file before each report (html takes one file). A file
that cannot be read or classified gets its error on stderr and the others still print.

Reading standard input on a terminal, pmpo says so on stderr; end the ad with Ctrl-D.

English, German, Dutch and French ads are read, each with its own words (the language is
decided by the duties and given as "language" in JSON); an ad in another language pmpo
recognises (Spanish, Italian, Portuguese) is insufficient-evidence with a summary naming it.

Exit codes: 0 classified; 1 several files, some could not be classified (each has its error);
2 usage, I/O (a write error on standard output too) or model error; 3 input that cannot be
classified (empty, binary, not UTF-8). A model file over 16 MiB is refused before it is read.

Examples:
  pmpo classify fixtures/ads/snap-payments-pm.txt
  pbpaste | pmpo classify -
  pmpo classify ad.txt --format json --title "Product Owner"
  pmpo classify ad.html --format html > report.html
  pmpo classify ads/*.txt --format json > results.jsonl`,
    )
    .action(async (given: string[], flags: ClassifyFlags) => {
      const files = given.length === 0 ? ["-"] : given;
      if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) is named more than once", "name it once");
      if (files.length > 1 && flags.format === "html") throw new UsageError("--format html writes one report: pass one file", "run pmpo classify once per file, or use --format json, text or markdown");
      const model = flags.model ? loadModel(resolve(io.cwd, flags.model)) : loadDefaultModel();
      if (files.length === 1) {
        const text = await readAd(files[0] as string, flags, io);
        const result = classify(text, { model, title: flags.title });
        await writeOut(io.stdout, render(text, result, flags.format, io));
        setExit(EXIT.ok);
        return;
      }
      setExit(await classifyEach(files, model, flags, io));
    });
}

async function readAd(file: string, flags: ClassifyFlags, io: CliIo): Promise<string> {
  if (shouldPromptForStdin([file], io.stdin)) await writeOut(io.stderr, `${STDIN_PROMPT}\n`);
  return decodeAd(await readInputBytes(file, io), file === "-" ? "<stdin>" : file, flags.encoding);
}

// Several files: one result each, in order; a file that fails gets its error and the rest go on.
async function classifyEach(files: readonly string[], model: Model, flags: ClassifyFlags, io: CliIo): Promise<number> {
  let failed = 0;
  for (const [index, file] of files.entries()) {
    const name = file === "-" ? "<stdin>" : file;
    let text: string;
    let result: ReturnType<typeof classify>;
    try {
      text = await readAd(file, flags, io);
      result = classify(text, { model, title: flags.title });
    } catch (error) {
      // Only known errors (unreadable or unclassifiable input) are the file's; anything else is a bug.
      if (!(error instanceof PmpoError)) throw error;
      failed++;
      await writeOut(io.stderr, `pmpo: ${terminalSafe(error.toLine())}\n`);
      if (flags.format === "json") await writeOut(io.stdout, `${JSON.stringify({ file: name, error: { code: error.code, message: error.message } })}\n`);
      else await writeOut(io.stdout, `${fileHeader(name, index, flags.format)}pmpo could not classify this file (exit code ${exitCodeFor(error)}): see standard error\n`);
      continue;
    }
    if (flags.format === "json") await writeOut(io.stdout, `${JSON.stringify({ file: name, ...result })}\n`);
    else await writeOut(io.stdout, fileHeader(name, index, flags.format) + render(text, result, flags.format, io));
  }
  return failed > 0 ? EXIT.rejected : EXIT.ok;
}

// The line naming the file before its report, with a blank line before every one but the first.
function fileHeader(name: string, index: number, format: ClassifyFlags["format"]): string {
  const gap = index === 0 ? "" : "\n";
  return format === "markdown" ? `${gap}## ${escapeMarkdown(name, true)}\n\n` : `${gap}==> ${terminalSafe(name)} <==\n`;
}

function render(text: string, result: ReturnType<typeof classify>, format: ClassifyFlags["format"], io: CliIo): string {
  return format === "text" ? renderText(text, result, { color: useColor(io.stdout, io.env) }) : renderReport(text, result, format);
}
