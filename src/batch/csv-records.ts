import { Parser, type CsvError } from "csv-parse";
import { BrokenRecordScan } from "./broken-record.js";
import type { RejectCode } from "./outcome.js";

/** Options of `parseCsvRecords`. */
export interface CsvRecordOptions {
  /** Field delimiter, one character or a short string (default ","). */
  delimiter?: string;
  /** A record that grows past this many bytes without ending is broken off (RECORD_TOO_LARGE); default 1 MiB + 64 KiB. */
  maxRecordBytes?: number;
  /** False reads `"` as an ordinary character (files written without quoting, as most TSV are); default true (RFC 4180 quoting). */
  quote?: boolean;
}

/** A record csv-parse read cleanly. `raw` is a view into the reader's buffer: valid until the next record is requested. */
export interface CsvFieldsRecord {
  kind: "fields";
  fields: string[];
  /** First line of the record, 1-based. */
  line: number;
  /** Byte offset of the record's first byte in the parser's input. */
  offset: number;
  /** The record's bytes without its line break. */
  raw: Buffer;
}

/** A line that is empty: not a record. */
export interface CsvBlankLine {
  kind: "blank";
  line: number;
}

/** A record csv-parse could not read, read to its end without its fields; reading goes on at the next record unless `fatal`. */
export interface CsvBrokenRecord {
  kind: "broken";
  code: RejectCode;
  message: string;
  /** csv-parse's own error code (for example CSV_INVALID_CLOSING_QUOTE). */
  parserCode: string;
  line: number;
  offset: number;
  /** The broken record's bytes without its line break, at most `RAW_LIMIT_BYTES` (then `rawTruncated`). */
  raw: Buffer;
  rawTruncated: boolean;
  /** The record's end cannot be known: it is the last thing the reader yields, and the input cannot be read on. */
  fatal: boolean;
}

/** One step of the reader: a record, a blank line, or a broken record. */
export type CsvRecord = CsvFieldsRecord | CsvBlankLine | CsvBrokenRecord;

/** Counts kept while reading, for checking that nothing was dropped or merged. */
export interface CsvReadStats {
  /** Records csv-parse itself reported (summed over the parsers started after each broken record), blank lines included. */
  parserRecords: number;
  /** Records that csv-parse emitted and this reader yielded as `fields` or `blank`: must equal `parserRecords`. */
  yieldedParsed: number;
  /** Broken records yielded. */
  broken: number;
  /** Lines read (line breaks plus a last line without one). */
  lines: number;
  /** Bytes read (UTF-8, after decoding); bytes parsed again after a broken record count once. */
  bytes: number;
  /** Times a new parser was started after a broken record. */
  restarts: number;
}

/** The most bytes of a broken record kept for its `raw` text. */
export const RAW_LIMIT_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

// The first RAW_LIMIT_BYTES of a broken line read in pieces.
function keepHead(head: Buffer | null, more: Buffer): Buffer {
  const have = head?.length ?? 0;
  if (have >= RAW_LIMIT_BYTES) return head as Buffer;
  const take = more.subarray(0, RAW_LIMIT_BYTES - have);
  return head ? Buffer.concat([head, take]) : Buffer.from(take);
}

/** Number of line breaks (CRLF, LF or CR) in `bytes`. */
export function countLineBreaks(bytes: Uint8Array): number {
  let count = 0;
  let lf = bytes.indexOf(LF);
  let cr = bytes.indexOf(CR);
  while (lf >= 0 || cr >= 0) {
    count++;
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      // CRLF counts once.
      const after = cr + 1;
      if (lf === after) lf = bytes.indexOf(LF, after + 1);
      cr = bytes.indexOf(CR, after);
    } else {
      lf = bytes.indexOf(LF, lf + 1);
    }
  }
  return count;
}

/** `bytes` without one trailing line break. */
function withoutLineBreak(bytes: Buffer): Buffer {
  const n = bytes.length;
  if (n > 0 && bytes[n - 1] === LF) return bytes.subarray(0, n >= 2 && bytes[n - 2] === CR ? n - 2 : n - 1);
  if (n > 0 && bytes[n - 1] === CR) return bytes.subarray(0, n - 1);
  return bytes;
}

/**
 * Reads CSV records from UTF-8 bytes with csv-parse in strict quoting mode (no relaxed quotes,
 * no skipped records), yielding each record with its first line. When csv-parse stops at a
 * broken record (a stray or unclosed quote, a record over `maxRecordBytes`), the record is
 * read to its end by `BrokenRecordScan` without keeping its bytes (beyond the first
 * `RAW_LIMIT_BYTES`), yielded as one `broken` record, and a new parser starts at the next
 * record: a broken record costs only itself, and no line inside one is ever read as a record.
 * When the end of a broken record cannot be known, a last `broken` record with `fatal` is
 * yielded and reading stops. Field counts are not checked here (csv-parse runs with
 * `relax_column_count`): the caller compares them with the header. Memory is bounded by
 * `maxRecordBytes` plus one chunk. Returns read counts in which `parserRecords ===
 * yieldedParsed`; a mismatch throws, since it would mean a lost record.
 */
export async function* parseCsvRecords(
  chunks: AsyncIterable<Buffer>,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord, CsvReadStats, undefined> {
  const delimiter = options.delimiter ?? ",";
  const quoting = options.quote ?? true;
  const maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024 + 64 * 1024;
  const stats: CsvReadStats = { parserRecords: 0, yieldedParsed: 0, broken: 0, lines: 0, bytes: 0, restarts: 0 };

  // Bytes not yet given back as a record: buf holds absolute offsets [bufStart, bufStart + buf.length).
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = 0;
  // Chunks read after buf, not yet joined onto it; the first `pendingFed` of them have been fed
  // to the parser. A record that spans many chunks is joined once, when a record or an error
  // comes out, instead of being copied again with every chunk: that was quadratic in the
  // record's length (a 40 MB record spent 42% of its time in Buffer.concat).
  let pending: Buffer[] = [];
  let pendingFed = 0;
  // Start of the record being read (everything before it has been yielded).
  let recordStart = 0;
  let line = 1;
  let lastLineOpen = false;

  // Records emitted by the running parser during one write, as [fields, absolute end offset].
  let emitted: Array<{ fields: string[]; end: number }> = [];
  let parser: Parser | null = null;
  let parserStart = 0;
  let parserFed = 0;

  const startParser = (at: number) => {
    parserStart = at;
    parserFed = 0;
    const p = new Parser({
      delimiter,
      quote: quoting ? '"' : false,
      escape: '"',
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      max_record_size: maxRecordBytes,
      // Records are taken here, synchronously, and kept out of the stream's own buffer. The
      // context csv-parse passes says how many bytes it has read once the record ends (the
      // `info` option would only build the same context a second time).
      on_record: (record: unknown, context: unknown) => {
        emitted.push({ fields: record as string[], end: parserStart + (context as { bytes: number }).bytes });
        return undefined;
      },
    });
    // Errors are read from `errored` right after each write; the listener keeps them from being thrown.
    p.on("error", () => {});
    parser = p;
  };

  // Writes bytes to the parser and returns its error, if any. csv-parse's Transform runs
  // synchronously on write and end; anything else would break the record accounting, so check.
  const drive = (data: Buffer | null): CsvError | null => {
    const p = parser as Parser;
    if (data) {
      p.write(data);
      parserFed += data.length;
    } else {
      p.end();
    }
    const error = (p.errored as CsvError | null) ?? null;
    if (!error && p.writableLength !== 0) throw new Error("csv-parse did not read its input synchronously; the record accounting cannot be trusted");
    if (error || data === null) {
      // csv-parse's own count, not ours: the check at the end compares the two.
      stats.parserRecords += (p as unknown as { info: { records: number } }).info.records;
      parser = null;
    }
    return error;
  };

  // Makes buf hold every byte from the record being read on, pending chunks included.
  const join = () => {
    if (pending.length === 0) return;
    const keep = buf.subarray(recordStart - bufStart);
    buf = keep.length === 0 && pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat([keep, ...pending]);
    bufStart = recordStart;
    pending = [];
    pendingFed = 0;
  };

  // Feeds the parser every byte it has not seen (the rest of buf, then the pending chunks) and
  // returns its error, if any. Records and errors are read from buf, so one coming out joins
  // the pending chunks onto it first.
  const feed = (): CsvError | null => {
    for (;;) {
      const fedTo = parserStart + parserFed;
      let piece: Buffer;
      if (fedTo < bufStart + buf.length) piece = buf.subarray(fedTo - bufStart);
      else if (pendingFed < pending.length) piece = pending[pendingFed++] as Buffer;
      else return null;
      const error = drive(piece);
      if (error || emitted.length > 0) join();
      if (error) return error;
    }
  };

  function* takeEmitted(): Generator<CsvRecord> {
    const records = emitted;
    emitted = [];
    for (const { fields, end } of records) {
      const bytes = buf.subarray(recordStart - bufStart, end - bufStart);
      const raw = withoutLineBreak(bytes);
      const place = { line, offset: recordStart };
      const breaks = countLineBreaks(bytes);
      line += breaks;
      lastLineOpen = raw.length === bytes.length && bytes.length > 0;
      recordStart = end;
      stats.yieldedParsed++;
      if (raw.length === 0 && fields.length === 1 && fields[0] === "") yield { kind: "blank", line: place.line };
      else yield { kind: "fields", fields, line: place.line, offset: place.offset, raw };
    }
  }

  // A broken record being read to its end.
  let scan: BrokenRecordScan | null = null;
  let scanHead: Buffer | null = null;
  let scanParserCode = "";
  let stopped = false;

  // After csv-parse stopped at the record starting at `recordStart`: read that record to its end
  // and yield it as broken, then restart the parser after it. Returns false when its end has not
  // been read yet (the bytes it has read are let go, all but the first RAW_LIMIT_BYTES).
  function* breakOff(error: CsvError | null, final: boolean): Generator<CsvRecord, boolean> {
    if (error) {
      scan = new BrokenRecordScan(recordStart, line, delimiter, error.code === "CSV_MAX_RECORD_SIZE" ? maxRecordBytes : null, quoting);
      scanHead = null;
      scanParserCode = error.code;
    }
    const s = scan!;
    const from = s.position;
    const end = s.scan(buf, bufStart, final);
    const upTo = end === null ? s.position : end.kind === "end" ? end.breakAt : s.position;
    scanHead = keepHead(scanHead, buf.subarray(from - bufStart, upTo - bufStart));
    const head = scanHead;
    const offset = s.start;
    const rawTruncated = upTo - s.start > RAW_LIMIT_BYTES;
    if (end === null) {
      // Everything before the scan's position has been read: let it go.
      recordStart = s.position;
      return false;
    }
    scan = null;
    scanHead = null;
    stats.broken++;
    if (end.kind === "unknowable") {
      yield { kind: "broken", code: "CSV_ERROR", message: end.message, parserCode: scanParserCode, line: s.line, offset, raw: head, rawTruncated, fatal: true };
      stopped = true;
      return true;
    }
    yield { kind: "broken", code: end.code, message: end.message, parserCode: scanParserCode, line: s.line, offset, raw: head, rawTruncated, fatal: false };
    line += end.innerLines + (end.endsWithBreak ? 1 : 0);
    // At the end of the input, a line break inside the record's last field still ends its line.
    const last = buf[buf.length - 1];
    lastLineOpen = !end.endsWithBreak && end.breakAt > offset && last !== 0x0a && last !== 0x0d;
    recordStart = end.next;
    stats.restarts++;
    startParser(recordStart);
    return true;
  }

  // Feeds the parser every byte it has not seen, yielding records; when it stops at a
  // broken record, breaks that record off and starts a new parser after it, until the bytes
  // are used up (or, on the last call, the input is finished).
  function* pump(final: boolean): Generator<CsvRecord> {
    for (;;) {
      if (stopped) return;
      if (scan) {
        join();
        if (!(yield* breakOff(null, final))) return;
      }
      if (stopped) return;
      const p = parser as Parser | null;
      if (!p) throw new Error("csv reader: no parser running");
      let error = feed();
      yield* takeEmitted();
      if (!error) {
        if (!final) return;
        join();
        const fed = parserFed;
        error = drive(null);
        yield* takeEmitted();
        if (!error) {
          const read = (p as unknown as { info: { bytes: number } }).info.bytes;
          if (read !== fed) throw new Error(`csv-parse stopped at byte ${read} of ${fed} without an error`);
          return;
        }
      }
      if (!(yield* breakOff(error, final))) return;
    }
  }

  startParser(0);
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    stats.bytes += chunk.length;
    pending.push(chunk);
    yield* pump(false);
    if (stopped) break;
  }
  if (!stopped) yield* pump(true);

  stats.lines = line - (lastLineOpen ? 0 : 1);
  if (stats.parserRecords !== stats.yieldedParsed) {
    throw new Error(`record accounting failed: csv-parse read ${stats.parserRecords} records, the reader yielded ${stats.yieldedParsed}`);
  }
  return stats;
}
