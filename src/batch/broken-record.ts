import type { RejectCode } from "./outcome.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

// The state of the lenient reading of a record: where a strict CSV reader would stop, it takes
// the offending quote as a literal character and goes on.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
// Just after a quote inside a quoted field: a closing quote, or the first of a doubled pair.
const QUOTE_IN_QUOTED = 3;

/** Where a broken record ends, or why its end cannot be known. */
export type BrokenRecordEnd =
  | {
      kind: "end";
      code: RejectCode;
      message: string;
      /** Absolute offset of the line break that ends the record (the end of input when there is none). */
      breakAt: number;
      /** Absolute offset of the next record. */
      next: number;
      /** Line breaks inside the record, and whether one ends it. */
      innerLines: number;
      endsWithBreak: boolean;
    }
  | { kind: "unknowable"; message: string };

/**
 * Finds the end of one record that a strict CSV reader stopped at (a stray quote, a quote never
 * closed, a record over the size limit), reading bytes as they come and keeping none of them.
 *
 * The record's first byte is a known record boundary. From there:
 * - quote parity decides: a line break ends the record only after an even number of quotes.
 *   A quote inside an unquoted field after its first non-blank character does not count while
 *   nothing else is wrong: every CSV reader takes it literally (`5" monitor`), none as an
 *   opening quote.
 * - two lenient readings check it, each RFC 4180 but for the quote a strict reader refuses:
 *   one takes a quote followed by text as a literal quote inside the field (a writer that did
 *   not double the quotes in `"Own the "backlog" now"`), the other as a closing quote followed
 *   by stray text (what Excel and Python's csv do). A reading that disagrees with parity at a
 *   line break is dropped; when none is left, where the record ends cannot be known, and the
 *   caller must stop rather than guess (a guess reads lines of a field as records).
 * On well-formed CSV all three agree everywhere, so a record that is only too large ends exactly
 * where CSV says. The end of the input ends any record.
 */
export class BrokenRecordScan {
  /** Absolute offset of the next byte to read. */
  position: number;
  /** Line breaks inside the record so far. */
  lines = 0;
  // The lenient readings' states, or -1 once a reading has disagreed with parity.
  private literal = FIELD_START;
  private closing = FIELD_START;
  // Until the first quote that could be read in more than one way, both readings are the strict one.
  private certain = true;
  private odd = false;
  private fieldHasText = false;
  private field = 1;
  private strayAt: { line: number; field: number; inUnquoted: boolean; afterBlanks: boolean } | null = null;
  private openedAt: { line: number; field: number } | null = null;
  private readonly delimiter: Buffer;

  constructor(
    /** Absolute offset of the record's first byte. */
    readonly start: number,
    /** 1-based line of the record's first byte. */
    readonly line: number,
    delimiter: string,
    /** The size limit, when that is why the strict reader stopped (for the message). */
    private readonly tooLargeLimit: number | null,
    /** False when the file is read without quoting: a quote is then an ordinary character. */
    private readonly quoting = true,
  ) {
    this.position = start;
    this.delimiter = Buffer.from(delimiter, "utf8");
  }

  /** Bytes of the record read so far. */
  get bytes(): number {
    return this.position - this.start;
  }

  /**
   * Reads on through `buf` (absolute offsets from `bufStart`). Returns the record's end, or
   * null when more input is needed (`position` then says how far it has read; bytes before it
   * are no longer needed). With `final`, the end of `buf` is the end of the input.
   */
  scan(buf: Buffer, bufStart: number, final: boolean): BrokenRecordEnd | null {
    const n = buf.length;
    const d = this.delimiter;
    const d0 = d[0];
    let i = this.position - bufStart;
    while (i < n) {
      const c = buf[i] as number;
      if (this.certain && this.literal === QUOTED && c !== QUOTE) {
        // Fast path through quoted text: only a quote changes anything; count its line breaks.
        let q = buf.indexOf(QUOTE, i);
        if (q < 0) q = n;
        // A CR at the end of what has arrived may be the first half of a CRLF.
        if (q === n && !final && buf[n - 1] === CR) q = n - 1;
        this.lines += countBreaks(buf, i, q);
        i = q;
        if (q === n - 1 && !final && buf[q] === CR) break;
        continue;
      }
      if (c === QUOTE && this.quoting) {
        if (this.certain && this.literal === UNQUOTED) {
          this.stray(true);
          // After text, a quote is literal in every reading; after blanks it might open a field.
          if (!this.fieldHasText) {
            this.certain = false;
            this.odd = !this.odd;
            if (this.lines > 0) return this.unknowable(bufStart + i);
          }
        } else {
          if (this.certain && this.literal === FIELD_START) this.openedAt = { line: this.line + this.lines, field: this.field };
          this.odd = !this.odd;
          this.literal = onQuote(this.literal);
          this.closing = onQuote(this.closing);
        }
        this.fieldHasText = true;
        i++;
        continue;
      }
      if (c === LF || c === CR) {
        let next = i + 1;
        if (c === CR) {
          if (i + 1 >= n && !final) break;
          if (buf[i + 1] === LF) next = i + 2;
        }
        const ends = !this.odd;
        // A reading survives only if it agrees with parity about this line break.
        if (this.literal >= 0 && (this.literal !== QUOTED) !== ends) this.literal = -1;
        if (this.closing >= 0 && (this.closing !== QUOTED) !== ends) this.closing = -1;
        if (this.literal < 0 && this.closing < 0) return this.unknowable(bufStart + i);
        if (ends) {
          this.position = bufStart + i;
          return this.ended(bufStart + i, bufStart + next, true);
        }
        this.lines++;
        i = next;
        continue;
      }
      if (c === d0 && (this.literal !== QUOTED || this.closing !== QUOTED)) {
        if (i + d.length > n && !final) break;
        if (d.length === 1 || buf.subarray(i, i + d.length).equals(d)) {
          if (this.literal >= 0 && this.literal !== QUOTED) this.literal = FIELD_START;
          if (this.closing >= 0 && this.closing !== QUOTED) this.closing = FIELD_START;
          this.fieldHasText = false;
          this.field++;
          i += d.length;
          continue;
        }
      }
      const blank = c === SPACE || c === TAB;
      if (!blank) this.fieldHasText = true;
      if (this.literal === QUOTE_IN_QUOTED || this.closing === QUOTE_IN_QUOTED) {
        // Text after a closing quote: one reading takes that quote as literal, the other as closing.
        this.stray(false);
        if (this.certain && this.lines > 0) return this.unknowable(bufStart + i);
        this.certain = false;
      }
      this.literal = onText(this.literal, QUOTED);
      this.closing = onText(this.closing, UNQUOTED);
      i++;
    }
    this.position = bufStart + i;
    if (!final || i < n) return null;
    // A line break that is the input's last byte ends a line, not the record.
    const trailingBreak = n > 0 && (buf[n - 1] === LF || buf[n - 1] === CR);
    return this.ended(bufStart + n, bufStart + n, false, trailingBreak);
  }

  private stray(inUnquoted: boolean): void {
    this.strayAt ??= { line: this.line + this.lines, field: this.field, inUnquoted, afterBlanks: inUnquoted && !this.fieldHasText };
  }

  private span(endsWithBreak: boolean, trailingBreak = false): string {
    const last = this.line + this.lines - (trailingBreak ? 1 : 0);
    const lines = last === this.line ? `line ${this.line}` : `lines ${this.line}-${last}`;
    return `${this.bytes} bytes on ${lines}${endsWithBreak ? "" : ", to the end of the input"}`;
  }

  private ended(breakAt: number, next: number, endsWithBreak: boolean, trailingBreak = false): BrokenRecordEnd {
    const base = { kind: "end" as const, breakAt, next, innerLines: this.lines, endsWithBreak };
    if (this.odd) {
      const at = this.openedAt ?? this.strayAt ?? { line: this.line, field: this.field };
      return {
        ...base,
        code: "UNCLOSED_QUOTE",
        message: `the quote opened in field ${at.field} on line ${at.line} is never closed: the record swallows ${this.span(false, trailingBreak)}`,
      };
    }
    if (this.strayAt) {
      const at = this.strayAt;
      const where = at.line === this.line ? "" : ` on line ${at.line}`;
      const spans = this.lines > 0 ? `; the record is ${this.span(endsWithBreak, trailingBreak)}` : "";
      return {
        ...base,
        code: "STRAY_QUOTE",
        message: at.afterBlanks
          ? `a space before the quote that opens field ${at.field}${where}: remove the blanks between the delimiter and the quote, or quote the whole field and double the quotes in it ("")${spans}`
          : at.inUnquoted
          ? `a quote inside an unquoted field in field ${at.field}${where}: quote the whole field and double the quotes in it ("")${spans}`
          : `text after the closing quote in field ${at.field}${where}: a quote inside a quoted field must be doubled ("")${spans}`,
      };
    }
    return {
      ...base,
      code: "RECORD_TOO_LARGE",
      message: `the record is ${this.span(endsWithBreak, trailingBreak)}, more than the limit of ${this.tooLargeLimit ?? 0} bytes (the largest ad text plus 64 KiB); skipped to its end`,
    };
  }

  private unknowable(at: number): BrokenRecordEnd {
    this.position = at;
    const stray = this.strayAt ?? { line: this.line, field: this.field, inUnquoted: false, afterBlanks: false };
    const what = `${stray.inUnquoted ? "a quote inside an unquoted field" : "text after the closing quote"} in field ${stray.field} on line ${stray.line}`;
    const why =
      stray.line > this.line
        ? `after the record has run on from line ${this.line} inside a quoted field, so a quote opened there may never have been closed`
        : `and the quotes after it pair up in more than one way (the line break after line ${this.line + this.lines} ends the record in one reading and not in another)`;
    return {
      kind: "unknowable",
      message: `${what}, ${why}: where this record ends cannot be known, and reading stopped rather than read lines of a field as records`,
    };
  }
}

/** Line breaks (CRLF, LF or CR) in `buf[from, to)`; searches only that range, however long the buffer. */
function countBreaks(buf: Buffer, from: number, to: number): number {
  const part = buf.subarray(from, to);
  let count = 0;
  for (let i = part.indexOf(LF); i >= 0; i = part.indexOf(LF, i + 1)) count++;
  // A CR is a line break of its own unless an LF follows (the byte after the range is a quote or the end).
  for (let i = part.indexOf(CR); i >= 0; i = part.indexOf(CR, i + 1)) if (buf[from + i + 1] !== LF) count++;
  return count;
}

// A reading's next state after a quote.
function onQuote(state: number): number {
  if (state === FIELD_START) return QUOTED;
  if (state === QUOTED) return QUOTE_IN_QUOTED;
  if (state === QUOTE_IN_QUOTED) return QUOTED;
  return state;
}

// A reading's next state after text (not a quote, delimiter or line break); `afterQuote` says
// how it reads text after a closing quote.
function onText(state: number, afterQuote: number): number {
  if (state === FIELD_START) return UNQUOTED;
  if (state === QUOTE_IN_QUOTED) return afterQuote;
  return state;
}
