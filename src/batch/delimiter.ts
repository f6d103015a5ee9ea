/** Delimiters pmpo detects from a header line, in the order a tie is settled. */
export const DETECTED_DELIMITERS = [",", "\t", ";", "|"] as const;

/** How messages name a delimiter: `tab` for a TAB, else the character quoted. */
export function delimiterName(delimiter: string): string {
  return delimiter === "\t" ? "tab" : JSON.stringify(delimiter);
}

/**
 * The delimiter of a header line: whichever of `,` TAB `;` `|` occurs most often outside
 * double quotes (a tie goes to the earlier in that order); `,` when none occurs (a header of
 * one column).
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DETECTED_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) as number) + 1);
  }
  let best: string = ",";
  for (const d of DETECTED_DELIMITERS) if ((counts.get(d) as number) > (counts.get(best) as number)) best = d;
  return best;
}

/**
 * The first non-blank line of `text` (without its line break), reading a line break inside
 * double quotes as part of the line; null when no line break ends it yet.
 */
export function firstLine(text: string): string | null {
  let start = 0;
  while (start < text.length && (text[start] === "\n" || text[start] === "\r")) start++;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) return text.slice(start, i);
  }
  return null;
}

/** The most bytes read to find the header line before taking what has come as the line. */
export const HEADER_PEEK_BYTES = 64 * 1024;

/**
 * Reads `source` until its first non-blank line has ended (or `HEADER_PEEK_BYTES` have come, or
 * the input ends) and returns that line with an iterable that gives every byte again, the
 * ones read here first. The source is released when that iterable ends or is stopped.
 */
export async function peekHeaderLine(source: AsyncIterable<Buffer>): Promise<{ line: string; chunks: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let total = 0;
  let ended = false;
  let line: string | null = null;
  while (line === null && total < HEADER_PEEK_BYTES) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    seen.push(next.value);
    total += next.value.length;
    line = firstLine(Buffer.concat(seen).toString("utf8"));
  }
  if (line === null) {
    const text = Buffer.concat(seen).toString("utf8").replace(/^[\r\n]+/, "");
    line = text;
  }
  async function* replay(): AsyncGenerator<Buffer, void, undefined> {
    let finished = ended;
    try {
      for (const chunk of seen) yield chunk;
      while (!finished) {
        const next = await it.next();
        if (next.done) finished = true;
        else yield next.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  return { line, chunks: replay() };
}
