import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { UsageError } from "../errors.js";
import { delimiterName } from "../batch/delimiter.js";
import type { HeaderEvent } from "../batch/outcome.js";
import type { CliIo } from "./io.js";
import { openError } from "./read-input.js";

/** Delimiters `--delimiter` takes (`tab` for a TAB). */
export const CSV_DELIMITERS = ["tab", ",", ";", "|"] as const;
/** How `--quote` reads double quotes: `csv` as RFC 4180 quoting, `none` as ordinary characters. */
export const CSV_QUOTES = ["csv", "none"] as const;

/** The delimiter to read with, and where it came from: the flag, a `.tsv` name, or (undefined) the header line. */
export interface DelimiterChoice {
  delimiter: string | undefined;
  from: "flag" | "extension" | "header";
}

/** The `--delimiter` value as a character (`tab` and `\t` for a TAB); a `.tsv` file without the flag is tab-separated; else detected later. */
export function chooseDelimiter(file: string, flag: string | undefined): DelimiterChoice {
  if (flag !== undefined) {
    const d = flag === "tab" || flag === "\\t" ? "\t" : flag;
    if (![",", ";", "|", "\t"].includes(d)) throw new UsageError(`--delimiter ${JSON.stringify(flag)} is not supported`, 'use tab, ",", ";" or "|"');
    return { delimiter: d, from: "flag" };
  }
  if (file !== "-" && extname(file).toLowerCase() === ".tsv") return { delimiter: "\t", from: "extension" };
  return { delimiter: undefined, from: "header" };
}

/** The note saying which delimiter pmpo chose when the user did not name one and it is not ","; null otherwise. */
export function delimiterNote(source: string, event: Pick<HeaderEvent, "delimiter">, from: DelimiterChoice["from"]): string | null {
  if (from === "extension") return `${source}: reading fields separated by tab (the file name ends in .tsv; --delimiter overrides)`;
  if (from === "header" && event.delimiter !== ",") return `${source}: reading fields separated by ${delimiterName(event.delimiter)} (detected from the header line; --delimiter overrides)`;
  return null;
}

/** A CSV input opened for streaming: the file, or standard input for "-"; `size` is null when unknown. */
export async function openCsvInput(file: string, io: CliIo): Promise<{ stream: Readable; name: string; size: number | null }> {
  if (file === "-") return { stream: io.stdin, name: "<stdin>", size: null };
  const full = resolve(io.cwd, file);
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    const stream = createReadStream(full, { highWaterMark: 64 * 1024 });
    await new Promise<void>((done, fail) => {
      stream.once("open", () => done());
      stream.once("error", fail);
    });
    return { stream, name: file, size: info.isFile() ? info.size : null };
  } catch (error) {
    throw openError(file, error, "CSV file");
  }
}
