import type { Classification, Label } from "../score/result.js";
import type { ColumnChoice, KeptColumn } from "./columns.js";

/** Why a record was not scored; stable, for scripts to branch on. */
export type RejectCode =
  /** The record has more or fewer fields than the header. */
  | "FIELD_COUNT"
  /** A quote inside an unquoted field, or text after a closing quote. */
  | "STRAY_QUOTE"
  /** A quoted field that is never closed (it would swallow the rest of the file). */
  | "UNCLOSED_QUOTE"
  /** The text field is empty or only white space. */
  | "EMPTY_TEXT"
  /** The text field is larger than `maxAdBytes`. */
  | "TEXT_TOO_LARGE"
  /** The record grew past `maxAdBytes` plus 64 KiB without ending (most often an unclosed quote). */
  | "RECORD_TOO_LARGE"
  /** The record holds a NUL byte. */
  | "NUL_BYTE"
  /** The record holds bytes that are not UTF-8 (past the first 64 KiB, which are checked up front). */
  | "INVALID_UTF8"
  /** Any other error csv-parse reports for the record. */
  | "CSV_ERROR";

/** All reject codes, in the order summaries list them. */
export const REJECT_CODES: readonly RejectCode[] = [
  "FIELD_COUNT",
  "STRAY_QUOTE",
  "UNCLOSED_QUOTE",
  "EMPTY_TEXT",
  "TEXT_TOO_LARGE",
  "RECORD_TOO_LARGE",
  "NUL_BYTE",
  "INVALID_UTF8",
  "CSV_ERROR",
];

/** Where a record sits in the input: its number among data records (1-based, header not counted) and its first line (1-based, header is line 1). */
export interface RecordPlace {
  record: number;
  line: number;
}

/** The header was read and the columns chosen; comes once, before any record. */
export interface HeaderEvent {
  kind: "header";
  columns: ColumnChoice;
  /** The field delimiter the records are read with. */
  delimiter: string;
  /** True when the delimiter was detected from the header line, false when the caller gave it. */
  delimiterDetected: boolean;
  /** False when `"` is read as an ordinary character (no quoting). */
  quote: boolean;
  /** The input columns copied into each result, with their output names (empty unless asked for). */
  kept: KeptColumn[];
}

/** A record that was classified. */
export interface ScoredEvent extends RecordPlace {
  kind: "scored";
  /** The id column's value, or the record number as text when there is no id column. */
  id: string;
  /** The title column's value, or null without a title column. */
  title: string | null;
  /** The classification (with the `highlights: false` option, its `highlights` list is empty). */
  result: Classification;
  /** The kept input columns as [output name, value] pairs, in header order (empty unless asked for). */
  kept?: ReadonlyArray<readonly [string, string]> | undefined;
}

/** A record that was classified and written as its output line where it was scored (`formatRecords`). */
export interface FormattedEvent extends RecordPlace {
  kind: "formatted";
  label: Label;
  /** The output line, with its line break. */
  row: string;
}

/** A record that was not classified, with why and its raw text. */
export interface RejectedEvent extends RecordPlace {
  kind: "rejected";
  code: RejectCode;
  /** One line saying what is wrong and what was expected. */
  message: string;
  /** The record's text as it stood in the input (its first line only for quote errors), at most 64 Ki characters. */
  raw: string;
  /** True when `raw` was cut at 64 Ki characters. */
  rawTruncated: boolean;
}

/** Counts of a run; `read === scored + rejected` always holds for a finished run. */
export interface BatchSummary {
  /** Data records read (the header and blank lines are not records). */
  read: number;
  /** Records classified. */
  scored: number;
  /** Records rejected. */
  rejected: number;
  /** Scored records per label. */
  labels: Record<Label, number>;
  /** Rejected records per code (codes with none are left out). */
  rejects: Partial<Record<RejectCode, number>>;
  /** Lines that were empty and skipped (not records). */
  blankLines: number;
  /** Lines read, header included. */
  lines: number;
  /** Bytes of UTF-8 handed to the parser (after decoding). */
  bytes: number;
  /**
   * With the `shard` option: which shard was read, and how many records of other shards were
   * passed over (counted in none of the figures above but `lines` and `bytes`). Left out without it.
   */
  shard?: { index: number; count: number; otherShards: number };
}

/** The last event of a finished run. */
export interface SummaryEvent {
  kind: "summary";
  summary: BatchSummary;
}

/** What `scoreRecords` yields: a header, then one event per record in input order, then a summary. */
export type BatchEvent = HeaderEvent | ScoredEvent | RejectedEvent | SummaryEvent;

/** What `formatRecords` yields: the same as `scoreRecords`, with each scored record as its output line. */
export type FormattedBatchEvent = HeaderEvent | FormattedEvent | RejectedEvent | SummaryEvent;
