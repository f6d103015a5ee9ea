import { Command, Option } from "commander";
import { loadDefaultModel, loadModel } from "../model/io.js";
import { classify } from "../score/classify.js";
import { decodeAd, type TextEncoding } from "../text/decode.js";
import { renderText } from "../highlight/render-text.js";
import { renderMarkdown } from "../highlight/render-markdown.js";
import { renderHtml } from "../highlight/render-html.js";
import { EXIT, useColor, writeOut, type CliIo } from "./io.js";
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

/** `pmpo classify [file]`: one ad in, a label and its evidence out. */
export function classifyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("classify")
    .description("classify one job ad: a label, the duty summary, a calibrated confidence, what would change the label, and the ad with its evidence highlighted")
    .argument("[file]", "the ad as a text, Markdown or HTML file; - or nothing reads standard input", "-")
    .addOption(new Option("-f, --format <format>", "output format").choices(CLASSIFY_FORMATS).default("text"))
    .option("-t, --title <title>", "the job title, to flag a title that names the other role")
    .option("-m, --model <path>", "model file (default: the shipped models/default.json)")
    .addOption(new Option("--encoding <encoding>", "how to read bytes that are not UTF-8").choices(["utf8", "latin1"]).default("utf8"))
    .addHelpText(
      "after",
      `
The ad is read statement by statement (a bullet, a line or a sentence): each leans product
manager, product owner, both, another role (Scrum Master, project manager, product marketing,
QA, business analyst) or none, and the label follows from those duties. Reports open with the
duty summary ("9 of 24 statements state a duty: 7 read as product manager, 2 as product owner"),
the confidence (the probability that the label is right, calibrated on real ads) and the
smallest set of duties whose removal would change the label. --format json adds every
statement (duties), the other role and its evidence (otherRole) and that set (flips).

English, German, Dutch and French ads are read, each with its own words (the language is
decided by the duties and given as "language" in JSON); an ad in another language pmpo
recognises (Spanish, Italian, Portuguese) is insufficient-evidence with a summary naming it.

Exit codes: 0 classified; 2 usage, I/O (a write error on standard output too) or model
error; 3 input that cannot be classified (empty, binary, not UTF-8). A model file over 16 MiB
is refused before it is read.

Examples:
  pmpo classify fixtures/ads/snap-payments-pm.txt
  pbpaste | pmpo classify -
  pmpo classify ad.txt --format json --title "Product Owner"
  pmpo classify ad.html --format html > report.html`,
    )
    .action(async (file: string, flags: ClassifyFlags) => {
      const model = flags.model ? loadModel(resolve(io.cwd, flags.model)) : loadDefaultModel();
      const source = file === "-" ? "<stdin>" : file;
      const text = decodeAd(await readInputBytes(file, io), source, flags.encoding);
      const result = classify(text, { model, title: flags.title });
      await writeOut(io.stdout, render(text, result, flags.format, io));
      setExit(EXIT.ok);
    });
}

function render(text: string, result: ReturnType<typeof classify>, format: ClassifyFlags["format"], io: CliIo): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(text, result);
    case "html":
      return renderHtml(text, result);
    default:
      return renderText(text, result, { color: useColor(io.stdout, io.env) });
  }
}
