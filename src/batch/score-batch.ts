import type { Model } from "../model/schema.js";
import type { TextEncoding } from "../text/decode.js";
import { readAdRecords, type AdRecord, type AdRecordEvent, type AdReadStats } from "./ad-records.js";
import type { ColumnOverrides } from "./columns.js";
import { decodeCsvBytes, type DecodeInfo } from "./decode-stream.js";
import type { BatchEvent, FormattedBatchEvent, FormattedEvent, RejectedEvent, ScoredEvent } from "./outcome.js";
import { scoreItem, type AdItem, type RowFormat, type ScoredAd, type ScoreSettings } from "./score-ad.js";
import { BatchTally } from "./tally.js";
import { WorkerPool } from "./worker-pool.js";

/** Options of `scoreRecords`. */
export interface BatchOptions {
  /** The model to score with (see `loadDefaultModel`). */
  model: Model;
  /** How to read bytes that are not UTF-8 (default utf8; a UTF-16 BOM always wins). */
  encoding?: TextEncoding | undefined;
  /** Field delimiter (default ","). */
  delimiter?: string | undefined;
  /** Largest ad text in UTF-8 bytes (default 1 MiB). */
  maxAdBytes?: number | undefined;
  /** Column names to use instead of the common ones. */
  columns?: ColumnOverrides | undefined;
  /** Names the input in messages (a path, or `<stdin>`). */
  source?: string | undefined;
  /** Worker threads that classify (default 1: classify in this thread). Output order is input order either way. */
  workers?: number | undefined;
  /** Keep highlight spans in each result (default true). */
  highlights?: boolean | undefined;
  /** Top phrases per side (default 5). */
  topPhrases?: number | undefined;
}

// Ads per message to a worker, and how many messages may be in flight per worker: enough to keep
// workers busy while the main thread parses, few enough that memory stays flat (at most about
// 1 MiB of ad text per worker). Results are handed on in input order, so a worker that is
// ahead keeps its finished batches in flight until the one before them is back: with few in
// flight it soon sat idle waiting for the other. On 2 cores with 2 workers, 3 batches of 32 left
// 8-10% of CPU time idle; 16 batches of 16 leave about 3.5%.
const BATCH_ADS = 16;
const BATCH_BYTES = 64 * 1024;
const IN_FLIGHT_PER_WORKER = 16;

/** Every event either kind of run yields. */
type AnyBatchEvent = BatchEvent | FormattedBatchEvent;

function itemOf(ad: AdRecord): AdItem {
  return { text: ad.text, title: ad.title, place: { id: ad.id, record: ad.record, line: ad.line } };
}

function scoredEvent(ad: AdRecord, scored: ScoredAd): ScoredEvent | FormattedEvent {
  if ("row" in scored) return { kind: "formatted", record: ad.record, line: ad.line, label: scored.label, row: scored.row };
  return { kind: "scored", record: ad.record, line: ad.line, id: ad.id, title: ad.title, result: scored };
}

/**
 * Scores every record of a CSV source in one streaming pass: yields the header event, then one
 * `scored` or `rejected` event per record in input order, then a `summary` whose counts satisfy
 * read = scored + rejected. `source` is any async iterable of bytes (a Node Readable, a web
 * stream's reader, a generator). Nothing is collected: stop iterating and the source is released
 * and any workers stopped. Throws `InputError` for input that cannot be read as CSV at all
 * (empty, binary, not UTF-8 at the start, no header, no text column).
 */
export function scoreRecords(source: AsyncIterable<unknown>, options: BatchOptions): AsyncGenerator<BatchEvent, void, undefined> {
  // Without a format every scored ad comes back as its classification, so every event is a BatchEvent.
  return scoreStream(source, options, undefined) as AsyncGenerator<BatchEvent, void, undefined>;
}

/**
 * `scoreRecords` for a caller that writes each scored record as one line of CSV or JSONL: each
 * comes as a `formatted` event holding the line `formatCsvRow` or `formatJsonlRow` gives (with
 * highlights when `highlights` is set), made in the thread that scored it. A line costs far less
 * than a whole result to pass back from a worker. `pmpo batch` reads its input this way.
 */
export function formatRecords(source: AsyncIterable<unknown>, options: BatchOptions, format: RowFormat): AsyncGenerator<FormattedBatchEvent, void, undefined> {
  // With a format every scored ad comes back as its line, so every event is a FormattedBatchEvent.
  return scoreStream(source, options, format) as AsyncGenerator<FormattedBatchEvent, void, undefined>;
}

async function* scoreStream(source: AsyncIterable<unknown>, options: BatchOptions, format: RowFormat | undefined): AsyncGenerator<AnyBatchEvent, void, undefined> {
  let info: DecodeInfo | null = null;
  const utf8 = decodeCsvBytes(source, { encoding: options.encoding ?? "utf8", source: options.source ?? "<input>" }, (i) => {
    info = i;
  });
  const records = readAdRecords(utf8, {
    delimiter: options.delimiter,
    maxAdBytes: options.maxAdBytes,
    columns: options.columns,
    source: options.source,
    fileOffset: () => (info && info.utf8Passthrough ? info.bomLength : null),
  });
  const settings: ScoreSettings = { highlights: options.highlights ?? true, topPhrases: options.topPhrases, format };
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const tally = new BatchTally();
  const stats: AdReadStats = workers === 1 ? yield* scoreHere(records, options.model, settings, tally) : yield* scoreInWorkers(records, options.model, settings, workers, tally);
  if (tally.read !== stats.read || tally.scored !== stats.ads || tally.rejected !== stats.rejected) {
    throw new Error(`record accounting failed: read ${stats.read}, yielded ${tally.scored} scored and ${tally.rejected} rejected`);
  }
  yield { kind: "summary", summary: tally.summary({ blankLines: stats.blankLines, lines: stats.lines, bytes: stats.bytes }) };
}

async function* scoreHere(
  records: AsyncGenerator<AdRecordEvent, AdReadStats>,
  model: Model,
  settings: ScoreSettings,
  tally: BatchTally,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  try {
    for (let next = await records.next(); ; next = await records.next()) {
      if (next.done) return next.value;
      const event = next.value;
      const out: AnyBatchEvent = event.kind === "ad" ? scoredEvent(event, scoreItem(itemOf(event), model, settings)) : event;
      tally.add(out);
      yield out;
    }
  } finally {
    await records.return(undefined as never);
  }
}

type Slot = { ready: AnyBatchEvent } | { batch: Promise<AnyBatchEvent[]> };

async function* scoreInWorkers(
  records: AsyncGenerator<AdRecordEvent, AdReadStats>,
  model: Model,
  settings: ScoreSettings,
  workers: number,
  tally: BatchTally,
): AsyncGenerator<AnyBatchEvent, AdReadStats, undefined> {
  const pool = new WorkerPool(workers, model, settings);
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
    const ads = items.filter((item): item is AdRecord => item.kind === "ad");
    if (ads.length === 0) {
      for (const item of items) slots.push({ ready: item as RejectedEvent });
      return;
    }
    inFlight++;
    const batch = pool.score(ads.map(itemOf)).then((results) => {
      let k = 0;
      return items.map((item): AnyBatchEvent => (item.kind === "ad" ? scoredEvent(item, results[k++] as ScoredAd) : item));
    });
    // Awaited later, in order; this keeps a worker crash from being an unhandled rejection meanwhile.
    batch.catch(() => {});
    slots.push({ batch });
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

  try {
    let next = await records.next();
    for (; !next.done; next = await records.next()) {
      const event = next.value;
      if (event.kind === "header") {
        slots.push({ ready: event });
      } else {
        gathered.push(event);
        if (event.kind === "ad") {
          gatheredAds++;
          gatheredBytes += event.text.length;
        }
        if (gatheredAds >= BATCH_ADS || gatheredBytes >= BATCH_BYTES || gathered.length >= 4 * BATCH_ADS) send();
      }
      // Hand back everything already settled, and wait when the workers have enough to do.
      while (slots.length > 0 && ("ready" in (slots[0] as Slot) || inFlight >= workers * IN_FLIGHT_PER_WORKER)) yield* release();
    }
    send();
    while (slots.length > 0) yield* release();
    return next.value;
  } finally {
    await pool.close();
    await records.return(undefined as never);
  }
}
