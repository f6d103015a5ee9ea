import { Parser, type CsvError } from "csv-parse";
import type { RejectCode } from "./outcome.js";

/** Options of `parseCsvRecords`. */
export interface CsvRecordOptions {
  /** Field delimiter, one character or a short string (default ","). */
  delimiter?: string;
  /** A record that grows past this many bytes without ending is broken off (RECORD_TOO_LARGE); default 1 MiB + 64 KiB. */
  maxRecordBytes?: number;
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

/** A record csv-parse could not read; only its first line is taken, and reading goes on from the next line. */
export interface CsvBrokenRecord {
  kind: "broken";
  code: RejectCode;
  message: string;
  /** csv-parse's own error code (for example CSV_INVALID_CLOSING_QUOTE). */
  parserCode: string;
  line: number;
  offset: number;
  /** The first line of the broken record, at most `RAW_LIMIT_BYTES` (then `rawTruncated`). */
  raw: Buffer;
  rawTruncated: boolean;
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

/** Position just past the first line break at or after `from`, or -1 when there is none yet (a CR at the very end waits for a possible LF unless `final`). */
function lineEndAfter(buf: Buffer, from: number, final: boolean): { breakAt: number; next: number } | null {
  const lf = buf.indexOf(LF, from);
  const cr = buf.indexOf(CR, from);
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    if (cr + 1 < buf.length) return { breakAt: cr, next: buf[cr + 1] === LF ? cr + 2 : cr + 1 };
    return final ? { breakAt: cr, next: cr + 1 } : null;
  }
  return lf >= 0 ? { breakAt: lf, next: lf + 1 } : null;
}

function describe(error: CsvError, maxRecordBytes: number, spansLines: boolean): { code: RejectCode; message: string } {
  const column = (error as unknown as { column?: unknown }).column;
  const field = typeof column === "number" ? ` in field ${column + 1}` : "";
  switch (error.code) {
    case "INVALID_OPENING_QUOTE":
      return { code: "STRAY_QUOTE", message: `a quote inside an unquoted field${field}: quote the whole field and double the quotes in it ("")` };
    case "CSV_INVALID_CLOSING_QUOTE":
      return spansLines
        ? {
            code: "STRAY_QUOTE",
            message: `a quoted field opened on this line does not close properly (text after a quote${field} on a later line; an unclosed quote?); reading went on from the next line`,
          }
        : { code: "STRAY_QUOTE", message: `text after the closing quote${field}: a quote inside a quoted field must be doubled ("")` };
    case "CSV_QUOTE_NOT_CLOSED":
      return { code: "UNCLOSED_QUOTE", message: `the quote opened${field} is never closed; reading went on from the next line` };
    case "CSV_MAX_RECORD_SIZE":
      return {
        code: "RECORD_TOO_LARGE",
        message: `the record runs past ${maxRecordBytes} bytes without ending (an unclosed quote?); reading went on from the next line`,
      };
    default:
      return { code: "CSV_ERROR", message: error.message };
  }
}

/**
 * Reads CSV records from UTF-8 bytes with csv-parse in strict quoting mode (no relaxed quotes,
 * no skipped records), yielding each record with its first line. When csv-parse stops at a
 * broken record, the record's first line is yielded as `broken` and a new parser starts at the
 * next line, so a stray or unclosed quote costs one line and never swallows the rest of the
 * file. Field counts are not checked here (csv-parse runs with `relax_column_count`, which only
 * lets records of any length through): the caller compares them with the header. Memory is
 * bounded by `maxRecordBytes` plus one chunk. Returns read counts in which
 * `parserRecords === yieldedParsed`; a mismatch throws, since it would mean a lost record.
 */
export async function* parseCsvRecords(
  chunks: AsyncIterable<Buffer>,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord, CsvReadStats, undefined> {
  const delimiter = options.delimiter ?? ",";
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
  let parserLine = 1;

  const startParser = (at: number) => {
    parserStart = at;
    parserFed = 0;
    parserLine = line;
    const p = new Parser({
      delimiter,
      quote: '"',
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

  // A broken record waiting for the end of its first line, which has not arrived yet.
  let waiting: { code: RejectCode; message: string; parserCode: string; line: number; offset: number; head: Buffer | null } | null = null;

  // After csv-parse stopped at the record starting at `recordStart`: yield that record's first line
  // as broken once the line is complete, then restart the parser after it. Returns false when
  // the line's end has not been read yet.
  function* breakOff(error: CsvError | null, final: boolean): Generator<CsvRecord, boolean> {
    if (error) {
      // csv-parse counts lines from its own start; past the record's first line means the record ran on.
      const errorLine = (error as unknown as { lines?: unknown }).lines;
      const spansLines = typeof errorLine === "number" && errorLine > line - parserLine + 1;
      const { code, message } = describe(error, maxRecordBytes, spansLines);
      waiting = { code, message, parserCode: error.code, line, offset: recordStart, head: null };
    }
    const w = waiting!;
    const from = recordStart - bufStart;
    const end = lineEndAfter(buf, from, final);
    if (!end && !final) {
      // Keep at most RAW_LIMIT_BYTES of a long broken line, so a huge line cannot fill memory.
      if (buf.length - from > maxRecordBytes) {
        w.head = keepHead(w.head, buf.subarray(from));
        bufStart += buf.length;
        buf = Buffer.alloc(0);
        recordStart = bufStart;
      }
      return false;
    }
    const breakAt = end ? end.breakAt : buf.length;
    const next = end ? end.next : buf.length;
    const lineBytes = buf.subarray(from, breakAt);
    const rawTruncated = (w.head?.length ?? 0) + lineBytes.length > RAW_LIMIT_BYTES;
    const raw = w.head ? keepHead(w.head, lineBytes) : lineBytes.subarray(0, RAW_LIMIT_BYTES);
    waiting = null;
    stats.broken++;
    yield { kind: "broken", code: w.code, message: w.message, parserCode: w.parserCode, line: w.line, offset: w.offset, raw, rawTruncated };
    line += end ? 1 : 0;
    lastLineOpen = !end && breakAt > from;
    recordStart = bufStart + next;
    stats.restarts++;
    startParser(recordStart);
    return true;
  }

  // Feeds the parser every byte it has not seen, yielding records; when it stops at a
  // broken record, breaks that record off and starts a new parser after it, until the bytes
  // are used up (or, on the last call, the input is finished).
  function* pump(final: boolean): Generator<CsvRecord> {
    for (;;) {
      if (waiting) {
        join();
        if (!(yield* breakOff(null, final))) return;
      }
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
  }
  yield* pump(true);

  stats.lines = line - (lastLineOpen ? 0 : 1);
  if (stats.parserRecords !== stats.yieldedParsed) {
    throw new Error(`record accounting failed: csv-parse read ${stats.parserRecords} records, the reader yielded ${stats.yieldedParsed}`);
  }
  return stats;
}
