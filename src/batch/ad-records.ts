import { isUtf8 } from "node:buffer";
import { InputError } from "../errors.js";
import { firstInvalidUtf8Offset } from "../text/decode.js";
import { pickColumns, pickKeptColumns, type ColumnChoice, type ColumnOverrides, type KeptColumn } from "./columns.js";
import { parseCsvRecords, RAW_LIMIT_BYTES, type CsvReadStats, type CsvRecord } from "./csv-records.js";
import { detectDelimiter, peekHeaderLine } from "./delimiter.js";
import type { HeaderEvent, RecordPlace, RejectCode, RejectedEvent } from "./outcome.js";
import { inShard, type Shard } from "./shard.js";

/** Default largest ad text, in UTF-8 bytes (1 MiB); larger texts are rejected as TEXT_TOO_LARGE. */
export const DEFAULT_MAX_AD_BYTES = 1024 * 1024;

/** Options of `readAdRecords`. */
export interface AdRecordOptions {
  /** Field delimiter; left out, it is detected from the header line (`,` `;` TAB `|`, see `detectDelimiter`). */
  delimiter?: string | undefined;
  /** False reads `"` as an ordinary character (no quoting, as in most TSV files); default true (RFC 4180 quoting). */
  quote?: boolean | undefined;
  /** Input columns to copy into each ad (`kept`): names of the header, or `all` (every column but the text). */
  keep?: readonly string[] | "all" | undefined;
  /** Output names a kept column may not take (it gets an `input_` prefix instead); see `pickKeptColumns`. */
  keepTaken?: readonly string[] | undefined;
  /** Largest ad text in UTF-8 bytes (default 1 MiB). */
  maxAdBytes?: number | undefined;
  /** Column names to use instead of the common ones. */
  columns?: ColumnOverrides | undefined;
  /** Names the input in messages. */
  source?: string | undefined;
  /**
   * File offset of the first byte the reader gets, when the bytes are the file's own (UTF-8
   * passed through; the BOM length); null when they were decoded, so there are no file offsets.
   * Read when a record holds invalid UTF-8, so it may be set after reading starts.
   */
  fileOffset?: () => number | null;
  /**
   * Only the records of this shard are read (checked and yielded); the others are passed over
   * once their end is known, keeping their numbers, so the shards of one input share out its
   * records, rejected ones too, each exactly once. Left out: every record.
   */
  shard?: Shard | undefined;
}

/** A record ready to classify. */
export interface AdRecord extends RecordPlace {
  kind: "ad";
  /** The id column's value, or the record number as text. */
  id: string;
  title: string | null;
  text: string;
  /** The values of the kept columns (`keep`), in the order the header event lists them. */
  kept: string[];
  /** Every field of the record, in header order. */
  fields: readonly string[];
}

/** What `readAdRecords` yields: the header once, then one ad or rejection per record in input order. */
export type AdRecordEvent = HeaderEvent | AdRecord | RejectedEvent;

/** Counts of a finished read; `read === ads + rejected`. */
export interface AdReadStats {
  /** Records of the shard read (every record without a shard). */
  read: number;
  /** Records of other shards passed over (0 without a shard). */
  otherShards: number;
  ads: number;
  rejected: number;
  blankLines: number;
  lines: number;
  bytes: number;
  csv: CsvReadStats;
}

function rawText(raw: Buffer, truncated = false): { raw: string; rawTruncated: boolean } {
  if (raw.length <= RAW_LIMIT_BYTES) return { raw: raw.toString("utf8"), rawTruncated: truncated };
  return { raw: raw.toString("utf8", 0, RAW_LIMIT_BYTES), rawTruncated: true };
}

/**
 * Reads job-ad records from UTF-8 CSV bytes: the first non-blank record is the header, which
 * picks the text, id and title columns (see `pickColumns`); every later record becomes an ad or
 * a rejection (wrong field count, stray or unclosed quote, NUL byte, invalid UTF-8, empty or
 * too large text). Throws `InputError` when there is no header, the header is broken, or there
 * is no text column. Returns counts, and checks that csv-parse's record count, this reader's
 * and the rejections add up.
 */
export async function* readAdRecords(
  utf8: AsyncIterable<Buffer>,
  options: AdRecordOptions = {},
): AsyncGenerator<AdRecordEvent, AdReadStats, undefined> {
  const source = options.source ?? "<input>";
  const maxAdBytes = options.maxAdBytes ?? DEFAULT_MAX_AD_BYTES;
  let delimiter = options.delimiter;
  let bytes: AsyncIterable<Buffer> = utf8;
  const detected = delimiter === undefined;
  if (delimiter === undefined) {
    const peeked = await peekHeaderLine(utf8);
    delimiter = detectDelimiter(peeked.line);
    bytes = peeked.chunks;
  }
  const quote = options.quote ?? true;
  // Room for the other fields of a record whose text is just under the limit.
  const records = parseCsvRecords(bytes, { delimiter, quote, maxRecordBytes: maxAdBytes + 64 * 1024 });
  let columns: ColumnChoice | null = null;
  let kept: KeptColumn[] = [];
  let headerRecords = 0;
  // Every data record's number, the records of other shards included.
  let recordNumber = 0;
  let read = 0;
  let otherShards = 0;
  let ads = 0;
  let rejected = 0;
  let blankLines = 0;

  const reject = (place: RecordPlace, code: RejectCode, message: string, raw: { raw: string; rawTruncated: boolean }): RejectedEvent => {
    rejected++;
    return { kind: "rejected", ...place, code, message, ...raw };
  };

  let next = await records.next();
  try {
    for (; !next.done; next = await records.next()) {
      const record: CsvRecord = next.value;
      if (record.kind === "blank") {
        blankLines++;
        continue;
      }
      if (columns === null) {
        if (record.kind === "broken") {
          throw new InputError("CSV_FORMAT", `${source}:${record.line}: the header line is not valid CSV: ${record.message}`, "the first line must be the header");
        }
        if (record.raw.indexOf(0) >= 0 || !isUtf8(record.raw)) {
          throw new InputError("CSV_FORMAT", `${source}:${record.line}: the header line holds a NUL byte or bytes that are not UTF-8`, "save the file as CSV UTF-8");
        }
        headerRecords++;
        columns = pickColumns(record.fields, options.columns, source);
        kept = options.keep === undefined ? [] : pickKeptColumns(record.fields, options.keep, columns, options.keepTaken ?? [], source);
        yield { kind: "header", columns, delimiter, delimiterDetected: detected, quote, kept };
        continue;
      }
      recordNumber++;
      // A record whose end cannot be known stops every shard, as it stops a run without shards:
      // no shard can tell where the records after it start.
      if (record.kind === "broken" && record.fatal) {
        throw new InputError(
          "CSV_FORMAT",
          `${source}:${record.line}: record ${recordNumber}: ${record.message} (${recordNumber - 1} records before it were read)`,
          "fix the quotes of this record: a quote inside a field must be doubled (\"\") and the field quoted; if the file does not quote its fields at all (most TSV files), read it with quoting off (the quote option set to none)",
          "quote",
        );
      }
      if (options.shard !== undefined && !inShard(recordNumber, options.shard)) {
        otherShards++;
        continue;
      }
      read++;
      const place: RecordPlace = { record: recordNumber, line: record.line };
      if (record.kind === "broken") {
        yield reject(place, record.code, record.message, rawText(record.raw, record.rawTruncated));
        continue;
      }
      const raw = record.raw;
      const nul = raw.indexOf(0);
      if (nul >= 0) {
        yield reject(place, "NUL_BYTE", `holds a NUL byte (at byte ${nul} of the record), so it is not text`, rawText(raw));
        continue;
      }
      if (!isUtf8(raw)) {
        const base = options.fileOffset?.() ?? null;
        const at = firstInvalidUtf8Offset(raw);
        const where = base === null ? `at byte ${at} of the record` : `at byte ${base + record.offset + at}`;
        yield reject(place, "INVALID_UTF8", `not valid UTF-8 ${where} (if the file is Latin-1 or Windows-1252, read it with encoding latin1)`, rawText(raw));
        continue;
      }
      const fields = record.fields;
      if (fields.length !== columns.header.length) {
        yield reject(place, "FIELD_COUNT", `has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${columns.header.length}`, rawText(raw));
        continue;
      }
      const text = fields[columns.text] as string;
      if (text.trim() === "") {
        yield reject(place, "EMPTY_TEXT", `the text column "${columns.header[columns.text]}" is empty`, rawText(raw));
        continue;
      }
      // A record no longer than the limit cannot hold a longer text; only measure the rare big ones.
      if (raw.length > maxAdBytes) {
        const bytes = Buffer.byteLength(text, "utf8");
        if (bytes > maxAdBytes) {
          yield reject(place, "TEXT_TOO_LARGE", `the text is ${bytes} bytes, more than the limit of ${maxAdBytes}`, rawText(raw));
          continue;
        }
      }
      ads++;
      yield {
        kind: "ad",
        ...place,
        id: columns.id === null ? String(recordNumber) : (fields[columns.id] as string),
        title: columns.title === null ? null : (fields[columns.title] as string),
        text,
        kept: kept.map((k) => fields[k.index] as string),
        fields,
      };
    }
  } finally {
    // Releases the parser and, through it, the source when the caller stops early.
    if (!next.done) await records.return(undefined as never);
  }
  const csv = next.value;
  if (columns === null) {
    throw new InputError("INPUT_EMPTY", `${source}: has no header line (${blankLines > 0 ? "only blank lines" : "no records"})`, "the first line must be the header");
  }
  // Independent check: csv-parse's count (header and blank lines included) plus broken records
  // must give the records read. It fails only on a bug, never on bad input.
  const expected = csv.parserRecords + csv.broken - headerRecords - blankLines;
  if (read !== ads + rejected || recordNumber !== read + otherShards || recordNumber !== expected) {
    throw new Error(`record accounting failed: read ${read}, scored-to-be ${ads}, rejected ${rejected}, other shards ${otherShards}, csv-parse says ${expected}`);
  }
  return { read, otherShards, ads, rejected, blankLines, lines: csv.lines, bytes: csv.bytes, csv };
}
