import { InputError, UsageError } from "../errors.js";
import { checkOptionKeys, type OptionKeys } from "../option-keys.js";
import type { Model } from "../model/schema.js";
import type { TextEncoding } from "../text/decode.js";
import { readAdRecords, type AdRecord, type AdRecordEvent, type AdReadStats } from "./ad-records.js";
import type { ColumnOverrides } from "./columns.js";
import { CSV_COLUMNS, type CsvFormulas } from "./csv-output.js";
import { decodeCsvBytes, type DecodeInfo } from "./decode-stream.js";
import type { BatchEvent, FormattedBatchEvent, FormattedEvent, RejectedEvent, ScoredEvent } from "./outcome.js";
import { scoreItem, type AdItem, type ReportedAd, type RowFormat, type ScoredAd, type ScoreSettings } from "./score-ad.js";
import { checkShard, type Shard } from "./shard.js";
import { BatchTally } from "./tally.js";
import { WorkerPool } from "./worker-pool.js";
import { DEFAULT_SCHEDULE, scoreInOrder, type Lanes, type Schedule } from "./scheduler.js";

/** Options of `scoreRecords`. */
export interface BatchOptions {
  /** The model to score with (see `loadDefaultModel`). */
  model: Model;
  /** How to read bytes that are not UTF-8 (default utf8; a UTF-16 BOM always wins). */
  encoding?: TextEncoding | undefined;
  /** Field delimiter; left out, it is detected from the header line (`,` `;` TAB `|`). */
  delimiter?: string | undefined;
  /** False reads `"` as an ordinary character (no quoting, as in most TSV files); default true (RFC 4180 quoting). */
  quote?: boolean | undefined;
  /** Input columns to copy into each result: header names, or `all` (every column but the text); see `pickKeptColumns`. */
  keepColumns?: readonly string[] | "all" | undefined;
  /** Largest ad text in UTF-8 bytes (default 1 MiB). */
  maxAdBytes?: number | undefined;
  /** Column names to use instead of the common ones. */
  columns?: ColumnOverrides | undefined;
  /** Names the input in messages (a path, or `<stdin>`). */
  source?: string | undefined;
  /**
   * Threads that classify, this one included (default 1: only this thread). With N > 1, N - 1
   * worker threads classify batches of ads, and this thread, which reads the CSV, classifies a
   * batch itself whenever they all have enough queued. Output order is input order either way.
   */
  workers?: number | undefined;
  /** Keep highlight spans in each result (default true). */
  highlights?: boolean | undefined;
  /** Top phrases per side (default 5). */
  topPhrases?: number | undefined;
  /** CSV lines (`formatRecords`): text cells that start like a formula get a leading `'` (`guard`, the default) or not (`allow`). */
  csvFormulas?: CsvFormulas | undefined;
  /**
   * Read only this shard of the input (`{ index: 2, count: 4 }`: records 2, 6, 10, …, numbered
   * as every run numbers them, rejected ones included): the other records are passed over
   * unclassified and counted only in the summary's `shard.otherShards`. The `count` runs of one
   * input, one per index, give between them every scored and rejected event of one run without
   * a shard, each once.
   */
  shard?: Shard | undefined;
}

const BATCH_OPTION_KEYS = new Set(
  Object.keys({
    model: true,
    encoding: true,
    delimiter: true,
    maxAdBytes: true,
    columns: true,
    source: true,
    workers: true,
    highlights: true,
    topPhrases: true,
    csvFormulas: true,
    quote: true,
    keepColumns: true,
    shard: true,
  } satisfies OptionKeys<BatchOptions>),
);
const COLUMN_KEYS = new Set(Object.keys({ text: true, id: true, title: true } satisfies OptionKeys<ColumnOverrides>));
// What callers write for the column options, and for the classify options batch shares.
const BATCH_OPTION_ALIASES = {
  textColumn: "columns.text",
  text: "columns.text",
  descriptionColumn: "columns.text",
  idColumn: "columns.id",
  id: "columns.id",
  titleColumn: "columns.title",
  title: "columns.title",
  threads: "workers",
  worker: "workers",
  highlight: "highlights",
  maxBytes: "maxAdBytes",
  separator: "delimiter",
  sep: "delimiter",
  formulas: "csvFormulas",
  file: "source",
  path: "source",
  top: "topPhrases",
};
const COLUMN_ALIASES = { textColumn: "text", description: "text", idColumn: "id", titleColumn: "title" };

/** Checks the option keys of one `scoreRecords` call (never per record): unknown keys are a `UsageError` naming the option meant. */
function checkBatchOptions(options: BatchOptions): void {
  if (typeof options !== "object" || options === null) throw new UsageError("scoreRecords: options must be an object with a model (see loadDefaultModel)");
  checkOptionKeys("scoreRecords: options", options, BATCH_OPTION_KEYS, BATCH_OPTION_ALIASES);
  if (options.model === undefined) throw new UsageError("scoreRecords: options.model is missing", "pass the model from loadModel or loadDefaultModel");
  if (typeof options.columns === "object" && options.columns !== null) checkOptionKeys("scoreRecords: options.columns", options.columns, COLUMN_KEYS, COLUMN_ALIASES);
  if (options.shard !== undefined) checkShard("scoreRecords: options.shard", options.shard);
}

/** Every event either kind of run yields. */
type AnyBatchEvent = BatchEvent | FormattedBatchEvent;

// Names of the kept columns, set from the header event before any ad is read.
type KeptNames = { names: readonly string[] };

function keptPairs(ad: AdRecord, kept: KeptNames): Array<[string, string]> {
  return ad.kept.map((value, i) => [kept.names[i] as string, value]);
}

function itemOf(ad: AdRecord, kept: KeptNames): AdItem {
  const place = { id: ad.id, record: ad.record, line: ad.line };
  return { text: ad.text, title: ad.title, place: ad.kept.length > 0 ? { ...place, kept: keptPairs(ad, kept) } : place };
}

// A batch asks for no reports (see `AdItem.report`): a record scores as its result or its line.
type RecordScored = Exclude<ScoredAd, ReportedAd>;

function scoredEvent(ad: AdRecord, scored: RecordScored, kept: KeptNames): ScoredEvent | FormattedEvent {
  if ("row" in scored) return { kind: "formatted", record: ad.record, line: ad.line, label: scored.label, row: scored.row };
  return { kind: "scored", record: ad.record, line: ad.line, id: ad.id, title: ad.title, result: scored, kept: keptPairs(ad, kept) };
}

/**
 * Scores every record of a CSV source in one streaming pass: yields the header event, then one
 * `scored` or `rejected` event per record in input order, then a `summary` whose counts satisfy
 * read = scored + rejected. `source` is any async iterable of bytes (a Node Readable, a web
 * stream's reader, a generator). Nothing is collected: stop iterating and any workers are
 * stopped and the source released. (With `workers` > 1, results are handed on while the next
 * record is still being read; stop then, and the source is released once that read ends: destroy
 * a stream from a slow producer to end it at once, as `pmpo batch` does.) Throws `InputError` for
 * input that cannot be read as CSV at all (empty, binary, not UTF-8 at the start, no header, no
 * text column), and `UsageError` at once, before any reading, for an unknown option key.
 */
export function scoreRecords(source: AsyncIterable<unknown>, options: BatchOptions): AsyncGenerator<BatchEvent, void, undefined> {
  // Checked here, at the call, not when iteration starts: a misspelt option fails where it was written.
  checkBatchOptions(options);
  // Without a format every scored ad comes back as its classification, so every event is a BatchEvent.
  return scoreStream(source, options, undefined) as AsyncGenerator<BatchEvent, void, undefined>;
}

/** How a run is carried out, for the callers inside pmpo (the CLI, the server, tests). */
export interface RunControls {
  /** How batches are handed to the worker threads (default `DEFAULT_SCHEDULE`). */
  schedule?: Schedule | undefined;
  /**
   * The tally the run counts its records into as it yields them: a caller that shows progress
   * or says how far an interrupted run got reads this one rather than counting again. Pass a
   * new one: the run checks at its end that it counted every record it read.
   */
  tally?: BatchTally | undefined;
}

/**
 * `scoreRecords` for a caller that writes each scored record as one line of CSV or JSONL: each
 * comes as a `formatted` event holding the line `formatCsvRow` or `formatJsonlRow` gives (with
 * highlights when `highlights` is set), made in the thread that scored it. A line costs far less
 * than a whole result to pass back from a worker. `pmpo batch` reads its input this way.
 */
export function formatRecords(
  source: AsyncIterable<unknown>,
  options: BatchOptions,
  format: RowFormat,
  controls: RunControls = {},
): AsyncGenerator<FormattedBatchEvent, void, undefined> {
  // With a format every scored ad comes back as its line, so every event is a FormattedBatchEvent.
  return scoreStream(source, options, format, controls) as AsyncGenerator<FormattedBatchEvent, void, undefined>;
}

async function* scoreStream(
  source: AsyncIterable<unknown>,
  options: BatchOptions,
  format: RowFormat | undefined,
  { schedule = DEFAULT_SCHEDULE, tally = new BatchTally() }: RunControls = {},
): AsyncGenerator<AnyBatchEvent, void, undefined> {
  let info: DecodeInfo | null = null;
  const utf8 = decodeCsvBytes(source, { encoding: options.encoding ?? "utf8", source: options.source ?? "<input>" }, (i) => {
    info = i;
  });
  const records = readAdRecords(utf8, {
    delimiter: options.delimiter,
    quote: options.quote,
    keep: options.keepColumns,
    // CSV lines have pmpo's columns beside the kept ones; a JSONL line keeps them in an object of their own.
    keepTaken: format === "csv" ? CSV_COLUMNS : [],
    maxAdBytes: options.maxAdBytes,
    columns: options.columns,
    source: options.source,
    fileOffset: () => (info && info.utf8Passthrough ? info.bomLength : null),
    shard: options.shard,
  });
  const settings: ScoreSettings = { highlights: options.highlights ?? true, topPhrases: options.topPhrases, format, csvFormulas: options.csvFormulas };
  const threads = Math.max(1, Math.floor(options.workers ?? 1));
  const kept: KeptNames = { names: [] };
  const read = notingKeptNames(records, kept);
  const events = threads === 1 ? scoreHere(read, options.model, settings, kept) : scoreWithWorkers(read, options.model, settings, threads - 1, schedule, kept);
  const stats = yield* counted(events, tally);
  if (tally.read !== stats.read || tally.scored !== stats.ads || tally.rejected !== stats.rejected) {
    throw new Error(`record accounting failed: read ${stats.read}, yielded ${tally.scored} scored and ${tally.rejected} rejected`);
  }
  const shard = options.shard === undefined ? {} : { shard: { index: options.shard.index, count: options.shard.count, otherShards: stats.otherShards } };
  yield { kind: "summary", summary: tally.summary({ blankLines: stats.blankLines, lines: stats.lines, bytes: stats.bytes, ...shard }) };
}

async function* scoreHere(
  records: AsyncGenerator<AdRecordEvent, AdReadStats>,
  model: Model,
  settings: ScoreSettings,
  kept: KeptNames,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  try {
    for (let next = await records.next(); ; next = await records.next()) {
      if (next.done) return next.value;
      const event = next.value;
      yield event.kind === "ad" ? scoredEvent(event, scoreItem(itemOf(event, kept), model, settings) as RecordScored, kept) : event;
    }
  } finally {
    await records.return(undefined as never);
  }
}

/** Hands on a run's events, counting each as it goes: the one place a batch run counts its records. */
async function* counted<Done>(events: AsyncGenerator<AnyBatchEvent, Done>, tally: BatchTally): AsyncGenerator<AnyBatchEvent, Done, undefined> {
  try {
    for (let next = await events.next(); ; next = await events.next()) {
      if (next.done) return next.value;
      tally.add(next.value);
      yield next.value;
    }
  } finally {
    // Stopped early: the run's own clean-up (workers, the source) runs now.
    await events.return(undefined as never);
  }
}

// The records as read, noting the kept columns' names from the header before any ad is scored.
async function* notingKeptNames(records: AsyncGenerator<AdRecordEvent, AdReadStats>, kept: KeptNames): AsyncGenerator<AdRecordEvent, AdReadStats, undefined> {
  try {
    for (let next = await records.next(); ; next = await records.next()) {
      if (next.done) return next.value;
      if (next.value.kind === "header") kept.names = next.value.kept.map((k) => k.name);
      yield next.value;
    }
  } finally {
    await records.return(undefined as never);
  }
}

/**
 * Scores with `workers` worker threads beside this one, which reads the CSV (see `scoreInOrder`
 * for how batches are handed out). On 2 cores, 1 worker with this thread helping beats 2
 * workers with this thread only reading: it takes about 5% less CPU time in all (three busy
 * threads on two cores cost more than two) and one worker's heap and model less memory.
 */
async function* scoreWithWorkers(
  records: AsyncGenerator<AdRecordEvent, AdReadStats>,
  model: Model,
  settings: ScoreSettings,
  workers: number,
  schedule: Schedule,
  kept: KeptNames,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  const pool = new WorkerPool(workers, model, settings);
  const lanes: Lanes<AdRecordEvent, AnyBatchEvent> = {
    isWork: (event) => event.kind === "ad",
    size: (event) => (event as AdRecord).text.length,
    here: (event) => scoredEvent(event as AdRecord, scoreItem(itemOf(event as AdRecord, kept), model, settings) as RecordScored, kept),
    away: async (events) => {
      const ads = events as AdRecord[];
      const results = await pool.score(ads.map((ad) => itemOf(ad, kept)));
      return ads.map((ad, k) => scoredEvent(ad, results[k] as RecordScored, kept));
    },
    pass: (event) => event as AnyBatchEvent,
    handOnBefore: (error) => error instanceof InputError,
  };
  try {
    return yield* scoreInOrder(records, lanes, workers, schedule);
  } finally {
    await pool.close();
  }
}
