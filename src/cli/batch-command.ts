import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { extname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { Command, Option } from "commander";
import { lazySchemas } from "../zod.js";
import { describeSystemError, IoError, PmpoError, UsageError } from "../errors.js";
import { loadDefaultModel, loadModel } from "../model/io.js";
import type { Model } from "../model/schema.js";
import type { TextEncoding } from "../text/decode.js";
import { isSameFile, openAtomicFile, type AtomicFile } from "../batch/atomic-file.js";
import { DEFAULT_MAX_AD_BYTES } from "../batch/ad-records.js";
import { formatCsvHeader } from "../batch/csv-output.js";
import { terminalSafe } from "../highlight/terminal-safe.js";
import { formatRejectRow } from "../batch/jsonl-output.js";
import { REJECT_CODES, type BatchSummary, type HeaderEvent, type RejectCode, type RejectedEvent } from "../batch/outcome.js";
import { TITLE_COLUMN_NAMES } from "../batch/columns.js";
import { renderProgress } from "../batch/progress.js";
import { formatShard, MAX_SHARDS, parseShard, type Shard } from "../batch/shard.js";
import { formatRecords } from "../batch/score-batch.js";
import { BatchTally } from "../batch/tally.js";
import { TextSink } from "../batch/text-sink.js";
import { EXIT, exitCodeForSignal, writeOut, type CliIo, type StopSignal } from "./io.js";
import { chooseDelimiter, CSV_DELIMITERS, CSV_QUOTES, delimiterNote, openCsvInput } from "./csv-input.js";
import { checkMemoryFor, MEMORY_BYTES_PER_AD_BYTE, parseByteSize } from "./size-flags.js";

/** Output formats of `pmpo batch`. */
export const BATCH_FORMATS = ["csv", "jsonl"] as const;
/** Delimiters `--delimiter` takes (`tab` for a TAB). */
export const BATCH_DELIMITERS = CSV_DELIMITERS;
/** How `--quote` reads double quotes: `csv` as RFC 4180 quoting, `none` as ordinary characters. */
export const BATCH_QUOTES = CSV_QUOTES;
// Names of standard output: written as standard output, never opened.
const STDOUT_PATHS = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

/** Reject lines printed per code before the rest are only counted. */
export const REJECT_LINES_PER_CODE = 20;

interface BatchFlags {
  out?: string;
  format?: (typeof BATCH_FORMATS)[number];
  textColumn?: string;
  idColumn?: string;
  titleColumn?: string;
  delimiter?: string;
  quote: (typeof BATCH_QUOTES)[number];
  keepColumns?: string;
  encoding: TextEncoding;
  maxAdBytes: string;
  rejects?: string;
  summary?: boolean;
  workers: string;
  shard?: string;
  model?: string;
  highlights?: boolean;
  csvFormulas: "guard" | "allow";
}

function formatFromPath(path: string): (typeof BATCH_FORMATS)[number] | null {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  return null;
}

interface Settings {
  format: (typeof BATCH_FORMATS)[number];
  /** Undefined: detected from the header line. */
  delimiter: string | undefined;
  /** Why the delimiter is what it is, when pmpo chose it from the file name. */
  delimiterFrom: "flag" | "extension" | "header";
  keep: readonly string[] | "all" | undefined;
  maxAdBytes: number;
  workers: number;
  shard: Shard | undefined;
}

// The flags commander leaves as strings, checked and converted by one schema; the message of
// each check is the whole usage error.
const scalarFlagsSchema = lazySchemas((z) =>
  z.object({
    maxAdBytes: z.string().transform((text, ctx) => {
      const bytes = parseByteSize(text);
      if (bytes === null) ctx.addIssue({ code: "custom", message: "not a size" });
      return bytes ?? 0;
    }),
    workers: z.union([z.literal("auto"), z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(64))]),
    shard: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const shard = parseShard(text);
        if (shard === null) ctx.addIssue({ code: "custom", message: "not a shard" });
        return shard ?? undefined;
      }),
  }),
);

const SCALAR_FLAG_ERRORS: Record<string, (value: string) => UsageError> = {
  maxAdBytes: (v) => new UsageError(`--max-ad-bytes ${JSON.stringify(v)} is not a size`, "give bytes, or a number with k, M or G, e.g. 1M"),
  workers: (v) => new UsageError(`--workers ${JSON.stringify(v)} must be auto or a whole number from 1 to 64`),
  shard: (v) =>
    new UsageError(
      `--shard ${JSON.stringify(v)} must be i/n: shard i of n, whole numbers with 1 <= i <= n <= ${MAX_SHARDS.toLocaleString("en-US")}`,
      "e.g. --shard 2/4 for the second of 4 shards: records 2, 6, 10, …",
    ),
};

// Below this size one thread is done before worker threads have loaded the model.
const AUTO_PARALLEL_MIN_BYTES = 1024 * 1024;
// More threads than this gain little: the reading thread parses every record.
const AUTO_MAX_WORKERS = 8;

/**
 * Threads `--workers auto` uses: 1 for an input under 1 MiB (workers would start after one
 * thread is done), else one per core up to 8. `inputBytes` is null when the size is not known
 * (stdin).
 */
export function autoWorkers(inputBytes: number | null, cores: number): number {
  if (inputBytes !== null && inputBytes < AUTO_PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(cores, AUTO_MAX_WORKERS));
}

// The size of a regular input file; null for stdin, pipes and files that cannot be read (their
// error comes when they are opened).
function inputBytes(file: string): number | null {
  if (file === "-") return null;
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

function checkFlags(file: string, flags: BatchFlags, io: CliIo): Settings {
  const parsed = scalarFlagsSchema().safeParse(flags);
  if (!parsed.success) {
    const flag = String(parsed.error.issues[0]?.path[0]);
    throw SCALAR_FLAG_ERRORS[flag]!(String(flags[flag as keyof BatchFlags]));
  }
  const { maxAdBytes, shard } = parsed.data;
  const workers = parsed.data.workers === "auto" ? autoWorkers(shareOfInput(inputBytes(file), shard), io.cores ?? availableParallelism()) : parsed.data.workers;
  const { delimiter, from: delimiterFrom } = chooseDelimiter(file, flags.delimiter);
  const keep = parseKeepColumns(flags.keepColumns);
  checkMemoryFor("--max-ad-bytes", maxAdBytes);
  let format = flags.format;
  if (flags.out !== undefined) {
    const fromPath = formatFromPath(flags.out);
    if (format === undefined) {
      if (fromPath === null) throw new UsageError(`--out ${flags.out}: cannot tell the format from the extension`, "name the file .csv or .jsonl, or pass --format csv|jsonl");
      format = fromPath;
    } else if (fromPath !== null && fromPath !== format) {
      throw new UsageError(`--out ${flags.out} has a .${fromPath === "csv" ? "csv" : "jsonl"} name but --format is ${format}`, "make them agree");
    }
  }
  format ??= "csv";
  if (flags.highlights && format !== "jsonl") throw new UsageError("--highlights needs JSONL output", "pass --format jsonl or an --out file ending in .jsonl");
  return { format, delimiter, delimiterFrom, keep, maxAdBytes, workers, shard };
}

// A shard classifies about 1/n of the input's bytes, which is what decides whether worker threads pay.
function shareOfInput(bytes: number | null, shard: Shard | undefined): number | null {
  return bytes === null || shard === undefined ? bytes : bytes / shard.count;
}

/** The columns `--keep-columns` names: `all`, or names separated by commas (blanks around them dropped). */
export function parseKeepColumns(value: string | undefined): readonly string[] | "all" | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === "all") return "all";
  const names = value.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new UsageError(`--keep-columns ${JSON.stringify(value)} names an empty column`, "separate header names with commas (--keep-columns company,location), or pass --keep-columns all");
  }
  return names;
}

/** Refuses outputs that would overwrite an input (the CSV, the model) or each other, however the paths are spelled. */
async function checkOutputs(file: string, flags: BatchFlags, io: CliIo): Promise<void> {
  const inputs: Array<[string, string]> = [];
  if (file !== "-") inputs.push(["the input file", file]);
  if (flags.model !== undefined) inputs.push(["the --model file", flags.model]);
  const outputs: Array<[string, string]> = [];
  if (flags.out !== undefined) outputs.push(["--out", flags.out]);
  if (flags.rejects !== undefined) outputs.push(["--rejects", flags.rejects]);
  for (const [flag, path] of outputs) {
    for (const [what, input] of inputs) {
      if (await isSameFile(resolve(io.cwd, path), resolve(io.cwd, input))) {
        throw new UsageError(`${flag} ${path} is ${what} (${input}): writing it would destroy it`, "write the results elsewhere");
      }
    }
  }
  if (flags.out !== undefined && flags.rejects !== undefined && (await isSameFile(resolve(io.cwd, flags.out), resolve(io.cwd, flags.rejects)))) {
    throw new UsageError("--rejects and --out name the same file");
  }
}

/** Counts the bytes a stream yields, for the progress line. */
async function* counted(stream: Readable, onBytes: (n: number) => void): AsyncGenerator<unknown, void, undefined> {
  for await (const chunk of stream) {
    onBytes((chunk as { length: number }).length);
    yield chunk;
  }
}

/**
 * What the header decided that the user did not say: a delimiter other than "," chosen by pmpo,
 * a missing title column (so title_mismatch stays empty), kept columns written under another name.
 */
export function headerNotes(source: string, event: HeaderEvent, settings: Pick<Settings, "format" | "delimiterFrom">, flags: Pick<BatchFlags, "titleColumn">): string[] {
  const notes: string[] = [];
  const delimiter = delimiterNote(source, event, settings.delimiterFrom);
  if (delimiter !== null) notes.push(delimiter);
  if (event.columns.title === null && flags.titleColumn === undefined) {
    const field = settings.format === "csv" ? "title_mismatch is left empty" : "titleMismatch is null";
    notes.push(`${source}: no title column (tried ${TITLE_COLUMN_NAMES.join(", ")}): ${field}; name the column of job titles with --title-column NAME`);
  }
  for (const kept of event.kept) {
    const own = event.columns.header[kept.index] as string;
    if (kept.name !== own) notes.push(`${source}: --keep-columns: column "${own}" is written as "${kept.name}" (pmpo's output already has a column of that name)`);
  }
  return notes;
}

/** The one-line summary printed on stderr without --summary. */
export function renderSummary(summary: Pick<BatchSummary, "read" | "scored" | "rejected" | "labels" | "rejects" | "shard">): string {
  const rejects = REJECT_CODES.filter((code) => (summary.rejects[code] ?? 0) > 0).map((code) => `${code} ${summary.rejects[code]}`);
  const labels = Object.entries(summary.labels)
    .map(([label, n]) => `${label} ${n}`)
    .join(", ");
  const shard = summary.shard ? `; shard ${formatShard(summary.shard)} (${summary.shard.otherShards} record${summary.shard.otherShards === 1 ? "" : "s"} of other shards passed over)` : "";
  return `${summary.read} records read: ${summary.scored} scored, ${summary.rejected} rejected${rejects.length > 0 ? ` (${rejects.join(", ")})` : ""}; ${labels}${shard}`;
}

/** `pmpo batch <file|->`: score every listing of a CSV in one streaming pass. */
export function batchCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("batch")
    .description("score every listing of a CSV file in one streaming pass; every record is scored or rejected with a reason")
    .argument("<file>", "the CSV (or TSV) file of listings; - reads standard input")
    .option("-o, --out <file>", "write results here (.csv or .jsonl) instead of standard output; written under a temporary name and renamed when the run succeeds")
    .addOption(new Option("-f, --format <format>", "output format (default: from the --out extension, else csv)").choices(BATCH_FORMATS))
    .option("--text-column <name>", "column holding the ad text (default: description, job_description, text, body or content)")
    .option("--id-column <name>", "column holding the listing id (default: id, job_id or listing_id when present, else the record number)")
    .option("--title-column <name>", "column holding the job title, for the title-mismatch flag (default: title, job_title, position and other common names when present; without one, title_mismatch is left empty)")
    .option("-d, --delimiter <delimiter>", 'field delimiter: tab, ",", ";" or "|" (default: tab for a .tsv file, else detected from the header line)')
    .addOption(new Option("--quote <mode>", 'csv reads double quotes as CSV quoting (RFC 4180); none reads " as an ordinary character, for TSV and other files written without quoting').choices(BATCH_QUOTES).default("csv"))
    .option("--keep-columns <names>", "copy these input columns into every result (names separated by commas, or all: every column but the ad text); CSV: after pmpo's columns, a name pmpo's output already has gets an input_ prefix; JSONL: in an \"input\" object")
    .addOption(new Option("--encoding <encoding>", "how to read bytes that are not UTF-8 (a UTF-16 file with a BOM is always read as UTF-16)").choices(["utf8", "latin1"]).default("utf8"))
    .option("--max-ad-bytes <size>", `reject ad texts larger than this (bytes, or with k, M or G); a size this heap could not classify (about ${MEMORY_BYTES_PER_AD_BYTE} bytes of memory per byte) is refused`, String(DEFAULT_MAX_AD_BYTES))
    .option("--rejects <file>", "also write every rejected record to this JSONL file (line, record, code, message, raw)")
    .option("--summary", "print the summary (on stderr, after any reject lines) as one line of JSON instead of text")
    .option("-w, --workers <n>", "threads that classify: auto is 1 for an input under 1 MiB (with --shard i/n, its n-th share) and one per core (up to 8) otherwise or on stdin; 1 is this thread alone; n > 1 adds n - 1 worker threads, and the thread reading the CSV helps when they are busy (output keeps input order)", "auto")
    .option("--shard <i/n>", "read only shard i of n: records i, i + n, i + 2n, … (rejected ones too), numbered and reported as in a run over the whole file; n runs, one per i (on n machines, or with xargs -P), share out every record of one file, each once")
    .option("-m, --model <path>", "model file (default: the shipped models/default.json)")
    .option("--highlights", "add every highlighted span to each JSONL result")
    .addOption(
      new Option("--csv-formulas <mode>", "CSV output: guard prefixes ' to a cell copied from the input (id, phrases) that starts with = + - @, a tab or a CR, so spreadsheets show it as text; allow writes it as it is")
        .choices(["guard", "allow"])
        .default("guard"),
    )
    .addHelpText(
      "after",
      `
Each output row carries the record number and the line where the record starts, so a result
can be traced back. Records read = records scored + records rejected, always. A rejected
record is reported on stderr as "file:line: record N: CODE: message" (at most ${REJECT_LINES_PER_CODE} lines
per code, then a count) and, with --rejects, kept with its raw text. Codes: FIELD_COUNT,
STRAY_QUOTE, UNCLOSED_QUOTE, EMPTY_TEXT, TEXT_TOO_LARGE, RECORD_TOO_LARGE, NUL_BYTE,
INVALID_UTF8, CSV_ERROR. A bad record costs only itself: it is read to its end as CSV defines
it (a record over the limit is skipped to its end, a quote never closed runs to the end of the
input) and reading goes on at the next record, so later record numbers are unchanged. When a
stray quote leaves it unknowable where a record ends, pmpo stops (exit 3) rather than read lines
of a quoted field as listings.

With --shard i/n, every run reads the header and the whole file, but checks, classifies and
counts only its own records (record number mod n = i mod n); the others are passed over, and
the summary ends with "shard i/n (N records of other shards passed over)". The outputs and
rejects of the n runs together are those of one run without --shard, each record once.

Columns are found by name, compared after normalising case, spaces, punctuation, camelCase
and a last html/text word (Job Description, jobTitle, description_html, Requisition ID...).
Without a title column, stderr says so and title_mismatch is left empty (JSONL: null). The
delimiter is --delimiter, else tab for .tsv, else detected from the header line (said on
stderr when it is not ","). --quote none reads " as an ordinary character.

Input: a header line, then one listing per record. A UTF-8 BOM is dropped, UTF-16 with a BOM
is decoded. Bytes that are not UTF-8 in the first 64 KiB refuse the file (try --encoding
latin1); later ones reject only their record. Gzip, xlsx and xls files are refused: export a
CSV first.

Exit codes: 0 every record scored; 1 finished, some records rejected; 2 usage, I/O (a write
error too) or model error; 3 input that cannot be read as listings (empty, binary, no header,
no text column, a record whose end cannot be known); 130 interrupted (Ctrl-C), 143 stopped by
SIGTERM, 129 by SIGHUP. With --out or --rejects, a failed or stopped run leaves no file (nor
a temporary one). --out and --rejects write through a
symlink to its target, and straight to a device or pipe (/dev/stdout, /dev/null); an output that
is an input (however the path is spelled, hard links included) is refused.

Examples:
  pmpo batch listings.csv                                 results as CSV on stdout
  pmpo batch listings.csv --out results.jsonl             JSONL in a file
  cat listings.csv | pmpo batch - --format jsonl | head   stops cleanly when head has enough
  pmpo batch listings.csv --text-column job_description --id-column job_id --title-column title
  pmpo batch listings.tsv --delimiter tab --workers 4
  pmpo batch listings.csv --shard 2/4 --out part-2.csv    the second of 4 runs over one file
  pmpo batch excel-export.csv                             ; , tab or | detected from the header line
  pmpo batch export.tsv --quote none                      a TSV written without quoting
  pmpo batch listings.csv --keep-columns company,location copy input columns into the results
  pmpo batch export.csv --encoding latin1 --rejects rejects.jsonl --summary`,
    )
    .action(async (file: string, flags: BatchFlags) => {
      const settings = checkFlags(file, flags, io);
      await checkOutputs(file, flags, io);
      const model = flags.model ? loadModel(resolve(io.cwd, flags.model)) : loadDefaultModel();
      const input = await openCsvInput(file, io);
      const files: AtomicFile[] = [];
      try {
        // --out /dev/stdout is standard output itself (which cannot be opened again when it is a socket).
        const out = flags.out === undefined || STDOUT_PATHS.has(resolve(io.cwd, flags.out)) ? null : await openAtomicFile(resolve(io.cwd, flags.out));
        if (out) files.push(out);
        const rejectsFile = flags.rejects === undefined ? null : await openAtomicFile(resolve(io.cwd, flags.rejects));
        if (rejectsFile) files.push(rejectsFile);
        const code = await runBatch(io, input, settings, flags, model, out, rejectsFile);
        setExit(code);
      } finally {
        // Anything not committed by a successful run is removed; committed files are left alone.
        await Promise.all(files.map((f) => f.discard()));
      }
    });
}

async function runBatch(
  io: CliIo,
  input: { stream: Readable; name: string; size: number | null },
  settings: Settings,
  flags: BatchFlags,
  model: Model,
  out: AtomicFile | null,
  rejectsFile: AtomicFile | null,
): Promise<number> {
  const started = Date.now();
  // When the reader of stdout goes away (`| head`), stop reading: it is not an error. The input
  // is closed at once, since a live input may have nothing more to send for a long time.
  const output = new TextSink(out ? out.stream : io.stdout, {
    onFailure: (error) => {
      if (error.code === "EPIPE") input.stream.destroy();
    },
  });
  const rejectsOut = rejectsFile ? new TextSink(rejectsFile.stream) : null;
  // The engine counts every record into this tally as it hands it on; progress and the message of an interrupted run read it.
  const tally = new BatchTally();
  const shownPerCode = new Map<RejectCode, number>();
  let quoteHinted = false;
  let delimiter = settings.delimiter ?? ",";
  let bytesRead = 0;
  let interrupted = false;
  let summary: BatchSummary | null = null;

  const progressOn = io.stderr.isTTY === true;
  let progressShown = false;
  let lastProgress = 0;
  const clearProgress = () => {
    if (progressShown) io.stderr.write("\r\x1b[K");
    progressShown = false;
  };
  const showProgress = () => {
    const now = Date.now();
    if (now - lastProgress < 200) return;
    lastProgress = now;
    const width = (io.stderr as { columns?: number }).columns ?? 80;
    io.stderr.write(`\r\x1b[K${renderProgress({ records: tally.read, seconds: (now - started) / 1000, bytes: bytesRead, totalBytes: input.size, width })}`);
    progressShown = true;
  };

  let stoppedBy: StopSignal = "SIGINT";
  const stop = (signal: StopSignal) => {
    stoppedBy = signal;
    interrupted = true;
    output.cancel();
    rejectsOut?.cancel();
    input.stream.destroy();
  };
  const removeInterrupt = io.onInterrupt(stop);
  const outputGone = () => output.failure !== null && output.failure.code === "EPIPE";

  const reportReject = async (event: RejectedEvent) => {
    const shown = shownPerCode.get(event.code) ?? 0;
    shownPerCode.set(event.code, shown + 1);
    if (shown < REJECT_LINES_PER_CODE) {
      clearProgress();
      // The file name and the message (which may quote a header name) come from the input: made safe for a terminal.
      await writeOut(io.stderr, terminalSafe(`${input.name}:${event.line}: record ${event.record}: ${event.code}: ${event.message}`) + "\n");
    }
    await rejectsOut?.write(formatRejectRow(event));
    // The sign of a file written without quoting: a quote inside a field that does not start with one (or any quote error in TSV).
    const unquotedFile = (event.code === "STRAY_QUOTE" && event.message.startsWith("a quote inside an unquoted field")) || (delimiter === "\t" && (event.code === "STRAY_QUOTE" || event.code === "UNCLOSED_QUOTE"));
    if (!quoteHinted && flags.quote === "csv" && unquotedFile) {
      quoteHinted = true;
      await writeOut(io.stderr, `pmpo: note: ${terminalSafe(input.name)}: if the file does not quote its fields (most TSV files do not), pass --quote none to read every " as an ordinary character\n`);
    }
  };

  try {
    // Each record comes already written as its output line, by the thread that scored it.
    const events = formatRecords(
      counted(input.stream, (n) => {
        bytesRead += n;
      }),
      {
        model,
        encoding: flags.encoding,
        delimiter: settings.delimiter,
        quote: flags.quote !== "none",
        keepColumns: settings.keep,
        maxAdBytes: settings.maxAdBytes,
        columns: { text: flags.textColumn, id: flags.idColumn, title: flags.titleColumn },
        source: input.name,
        workers: settings.workers,
        shard: settings.shard,
        highlights: flags.highlights === true,
        csvFormulas: flags.csvFormulas,
      },
      settings.format,
      { tally },
    );
    for await (const event of events) {
      if (interrupted || outputGone()) break;
      switch (event.kind) {
        case "formatted":
          await output.write(event.row);
          break;
        case "rejected":
          await reportReject(event);
          break;
        case "summary":
          summary = event.summary;
          break;
        case "header":
          delimiter = event.delimiter;
          for (const note of headerNotes(input.name, event, settings, flags)) await writeOut(io.stderr, `pmpo: note: ${terminalSafe(note)}\n`);
          // Written only once the columns are known, so a file without a text column prints nothing on stdout.
          if (settings.format === "csv") await output.write(formatCsvHeader(event.kept.map((k) => k.name), { formulas: flags.csvFormulas }));
          break;
      }
      if (output.failure && !outputGone()) throw new IoError(`${out ? out.path : "standard output"}: cannot write: ${describeSystemError(output.failure)}`);
      if (progressOn) showProgress();
    }
  } catch (error) {
    // Destroying the input on Ctrl-C or when the reader of stdout has gone ends the read with an
    // error of its own: that is the stop, not a failure.
    if (!interrupted && !outputGone()) {
      const code = (error as NodeJS.ErrnoException).code;
      // A system error while reading (EIO, EISDIR on a pipe...) is I/O; anything else is a bug and keeps its stack.
      if (!(error instanceof PmpoError) && typeof code === "string" && /^E[A-Z]+$/.test(code)) {
        throw new IoError(`${input.name}: cannot read: ${(error as Error).message}`);
      }
      // Out of memory in a string or buffer (the heap itself aborts the process; see checkMemoryFor).
      if (error instanceof RangeError || code === "ERR_STRING_TOO_LONG" || code === "ERR_BUFFER_TOO_LARGE") {
        throw new IoError(
          `${input.name}: ran out of memory after record ${tally.lastRecord} (line ${tally.lastLine}): ${(error as Error).message}`,
          `lower --max-ad-bytes (now ${settings.maxAdBytes}), or raise the heap with NODE_OPTIONS=--max-old-space-size=MB`,
        );
      }
      // Input that cannot be read on (a record whose end cannot be known): the results before it
      // stand, so they reach standard output; an --out file is not written.
      if (error instanceof PmpoError && !out) await output.flush();
      throw error;
    }
  } finally {
    removeInterrupt();
    clearProgress();
    // The run is over however it ended: a read still waiting on a slow source must not keep the process alive.
    input.stream.destroy();
  }

  if (interrupted) {
    await output.flush();
    output.detach();
    rejectsOut?.detach();
    const where = tally.lastLine > 0 ? ` (last record read started on line ${tally.lastLine})` : "";
    const how = stoppedBy === "SIGINT" ? "interrupted" : `stopped by ${stoppedBy}`;
    const unwritten = [out ? flags.out : null, rejectsFile ? flags.rejects : null].filter((f) => f !== null);
    await writeOut(
      io.stderr,
      `pmpo: ${how} after ${tally.read} records${settings.shard ? ` of shard ${formatShard(settings.shard)}` : ""}${where}: ${tally.scored} scored, ${tally.rejected} rejected${unwritten.length > 0 ? `; ${unwritten.join(" and ")} ${unwritten.length === 1 ? "was" : "were"} not written` : ""}\n`,
    );
    return exitCodeForSignal(stoppedBy);
  }
  if (outputGone()) {
    output.detach();
    rejectsOut?.detach();
    return EXIT.ok;
  }

  await output.flush();
  if (rejectsOut) await rejectsOut.flush();
  if (output.failure && !outputGone()) throw new IoError(`${out ? out.path : "standard output"}: cannot write: ${describeSystemError(output.failure)}`);
  if (rejectsOut?.failure) throw new IoError(`${flags.rejects}: cannot write: ${describeSystemError(rejectsOut.failure)}`);
  output.detach();
  rejectsOut?.detach();
  await out?.commit();
  await rejectsFile?.commit();

  for (const code of REJECT_CODES) {
    const count = shownPerCode.get(code) ?? 0;
    if (count > REJECT_LINES_PER_CODE) {
      const more = count - REJECT_LINES_PER_CODE;
      await writeOut(io.stderr, `pmpo: ${more} more ${code} reject${more === 1 ? "" : "s"} not shown${flags.rejects ? ` (all are in ${flags.rejects})` : " (pass --rejects FILE to keep them all)"}\n`);
    }
  }
  const final = summary ?? tally.summary({ blankLines: 0, lines: 0, bytes: 0 });
  if (flags.summary) {
    const seconds = (Date.now() - started) / 1000;
    await writeOut(io.stderr, `${JSON.stringify({ file: input.name, ...final, seconds, output: flags.out ?? null, rejectsFile: flags.rejects ?? null })}\n`);
  } else {
    await writeOut(io.stderr, `pmpo: ${renderSummary(final)}\n`);
  }
  return final.rejected > 0 ? EXIT.rejected : EXIT.ok;
}
