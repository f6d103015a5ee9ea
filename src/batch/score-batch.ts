import { InputError, UsageError } from "../errors.js";
import { checkOptionKeys, type OptionKeys } from "../option-keys.js";
import type { Model } from "../model/schema.js";
import type { TextEncoding } from "../text/decode.js";
import { readAdRecords, type AdRecord, type AdRecordEvent, type AdReadStats } from "./ad-records.js";
import type { ColumnOverrides } from "./columns.js";
import { CSV_COLUMNS, type CsvFormulas } from "./csv-output.js";
import { decodeCsvBytes, type DecodeInfo } from "./decode-stream.js";
import type { BatchEvent, FormattedBatchEvent, FormattedEvent, RejectedEvent, ScoredEvent } from "./outcome.js";
import { scoreItem, type AdItem, type RowFormat, type ScoredAd, type ScoreSettings } from "./score-ad.js";
import { checkShard, type Shard } from "./shard.js";
import { BatchTally } from "./tally.js";
import { WorkerPool } from "./worker-pool.js";

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

/** How a run with worker threads hands out ads; tests shrink it so that every path runs. */
export interface Schedule {
  /** Ads per message to a worker (a batch also closes at `batchBytes` of text). */
  batchAds: number;
  batchBytes: number;
  /** Batches each worker may have queued; beyond that, the reading thread scores the next batch itself. */
  queuePerWorker: number;
}

// Enough queued to keep a worker busy while the reading thread parses, little enough that memory
// stays flat (at most about 1 MiB of ad text per worker). Results are handed on in input order,
// so with several workers one that is ahead keeps its finished batches until the one before
// them is back: with few queued it soon sat idle waiting for the other (2 workers on 2 cores:
// 3 batches of 32 left 8-10% of CPU time idle; 16 batches of 16 about 3.5%).
export const DEFAULT_SCHEDULE: Schedule = { batchAds: 16, batchBytes: 64 * 1024, queuePerWorker: 16 };

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

function scoredEvent(ad: AdRecord, scored: ScoredAd, kept: KeptNames): ScoredEvent | FormattedEvent {
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
  schedule: Schedule = DEFAULT_SCHEDULE,
): AsyncGenerator<FormattedBatchEvent, void, undefined> {
  // With a format every scored ad comes back as its line, so every event is a FormattedBatchEvent.
  return scoreStream(source, options, format, schedule) as AsyncGenerator<FormattedBatchEvent, void, undefined>;
}

async function* scoreStream(
  source: AsyncIterable<unknown>,
  options: BatchOptions,
  format: RowFormat | undefined,
  schedule: Schedule = DEFAULT_SCHEDULE,
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
  const tally = new BatchTally();
  const stats: AdReadStats =
    threads === 1 ? yield* scoreHere(records, options.model, settings, tally, kept) : yield* scoreWithWorkers(records, options.model, settings, threads - 1, tally, schedule, kept);
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
  tally: BatchTally,
  kept: KeptNames,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  try {
    for (let next = await records.next(); ; next = await records.next()) {
      if (next.done) return next.value;
      const event = next.value;
      if (event.kind === "header") kept.names = event.kept.map((k) => k.name);
      const out: AnyBatchEvent = event.kind === "ad" ? scoredEvent(event, scoreItem(itemOf(event, kept), model, settings), kept) : event;
      tally.add(out);
      yield out;
    }
  } finally {
    await records.return(undefined as never);
  }
}

/** A batch a worker is scoring; `settled` turns true once its results are back (or it failed). */
type WorkerSlot = { batch: Promise<AnyBatchEvent[]>; settled: boolean };
/** An event ready to hand on, or a worker's batch. */
type Slot = { ready: AnyBatchEvent } | WorkerSlot;

/**
 * Scores with `workers` worker threads beside this one, which reads the CSV: batches go to the
 * workers, and when each already has `queuePerWorker` batches queued this thread scores the
 * next batch itself instead of waiting. On 2 cores, 1 worker with this thread helping beats 2
 * workers with this thread only reading: it takes about 5% less CPU time in all (three busy
 * threads on two cores cost more than two) and one worker's heap and model less memory.
 * Batches go out full, or at once when a worker would otherwise sit idle; while the next
 * record is on its way, results are handed on as workers return them, so a slow producer sees
 * its results as soon as one thread would have given them.
 */
async function* scoreWithWorkers(
  records: AsyncGenerator<AdRecordEvent, AdReadStats>,
  model: Model,
  settings: ScoreSettings,
  workers: number,
  tally: BatchTally,
  schedule: Schedule,
  kept: KeptNames,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  const pool = new WorkerPool(workers, model, settings);
  const queueLimit = workers * schedule.queuePerWorker;
  // Events scored here wait behind the oldest worker batch; past this many, reading waits for it.
  const waitingLimit = queueLimit * schedule.batchAds;
  const slots: Slot[] = [];
  let inFlight = 0;
  // Ads and rejections since the last batch went out, in input order.
  let gathered: Array<AdRecord | RejectedEvent> = [];
  let gatheredAds = 0;
  let gatheredBytes = 0;

  const send = () => {
    if (gathered.length === 0) return;
    const items = gathered;
    gathered = [];
    gatheredAds = 0;
    gatheredBytes = 0;
    if (inFlight >= queueLimit || !items.some((item) => item.kind === "ad")) {
      // The workers have enough to do (or there is nothing to score): this thread scores the batch.
      for (const item of items) slots.push({ ready: item.kind === "ad" ? scoredEvent(item, scoreItem(itemOf(item, kept), model, settings), kept) : item });
      return;
    }
    inFlight++;
    const ads = items.filter((item): item is AdRecord => item.kind === "ad");
    const batch = pool.score(ads.map((ad) => itemOf(ad, kept))).then((results) => {
      let k = 0;
      return items.map((item): AnyBatchEvent => (item.kind === "ad" ? scoredEvent(item, results[k++] as ScoredAd, kept) : item));
    });
    const slot: WorkerSlot = { batch, settled: false };
    // Awaited later, in order; this also keeps a worker crash from being an unhandled rejection
    // meanwhile, and ends a wait for the next record so the results can be handed on.
    const settle = () => {
      slot.settled = true;
      wake?.();
    };
    batch.then(settle, settle);
    slots.push(slot);
  };

  async function* release(): AsyncGenerator<AnyBatchEvent, void, undefined> {
    const slot = slots.shift() as Slot;
    if ("ready" in slot) {
      tally.add(slot.ready);
      yield slot.ready;
      return;
    }
    const events = await slot.batch;
    inFlight--;
    for (const event of events) {
      tally.add(event);
      yield event;
    }
  }

  const settled = (slot: Slot) => "ready" in slot || slot.settled;

  // The read of the next record while it is under way, and what ends the wait for it early.
  let reading: Promise<IteratorResult<AdRecordEvent, AdReadStats>> | null = null;
  let wake: (() => void) | null = null;

  // The next record. While it is on its way, results are handed on as the workers return them,
  // and gathered ads go out as soon as a worker has nothing to do. (A wait that either side can
  // end, rather than a Promise.race per record: a race costs about 3% of the run.)
  async function* nextRecord(): AsyncGenerator<AnyBatchEvent, IteratorResult<AdRecordEvent, AdReadStats>, undefined> {
    let outcome: { value: IteratorResult<AdRecordEvent, AdReadStats> } | { error: unknown } | null = null;
    const read = records.next();
    reading = read;
    read.then(
      (value) => {
        outcome = { value };
        wake?.();
      },
      (error: unknown) => {
        outcome = { error };
        wake?.();
      },
    );
    for (;;) {
      if (outcome === null) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      const got = outcome as { value: IteratorResult<AdRecordEvent, AdReadStats> } | { error: unknown } | null;
      if (got !== null) {
        reading = null;
        if ("error" in got) throw got.error;
        return got.value;
      }
      while (slots.length > 0 && settled(slots[0] as Slot)) yield* release();
      if (inFlight < workers) send();
    }
  }

  try {
    for (;;) {
      let next: IteratorResult<AdRecordEvent, AdReadStats>;
      try {
        next = yield* nextRecord();
      } catch (error) {
        // Input that cannot be read on (a record whose end cannot be known): the records before
        // it are handed on, in order, as with one thread, and then the error.
        if (error instanceof InputError) {
          send();
          while (slots.length > 0) yield* release();
        }
        throw error;
      }
      if (next.done) {
        send();
        while (slots.length > 0) yield* release();
        return next.value;
      }
      const event = next.value;
      if (event.kind === "header") {
        kept.names = event.kept.map((k) => k.name);
        slots.push({ ready: event });
      } else {
        gathered.push(event);
        if (event.kind === "ad") {
          gatheredAds++;
          gatheredBytes += event.text.length;
        }
        const full = gatheredAds >= schedule.batchAds || gatheredBytes >= schedule.batchBytes || gathered.length >= 4 * schedule.batchAds;
        if (full || inFlight < workers) send();
      }
      // Hand on everything already settled; wait for the oldest batch only when too much waits behind it.
      while (slots.length > 0 && (settled(slots[0] as Slot) || slots.length > waitingLimit)) yield* release();
    }
  } finally {
    await pool.close();
    // Stopped while a record was being read (a slow source): the reader is released once that
    // read ends, which it does when the source is destroyed, sends more or ends.
    const pending = reading as Promise<unknown> | null;
    if (pending) pending.then(() => records.return(undefined as never)).catch(() => {});
    else await records.return(undefined as never);
  }
}
