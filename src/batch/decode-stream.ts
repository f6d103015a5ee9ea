import { isUtf8 } from "node:buffer";
import { InputError } from "../errors.js";
import { decodeWindows1252, detectBom, firstInvalidUtf8Offset, LATIN1_HINT, sniffBinary, type TextEncoding } from "../text/decode.js";

/** Bytes at the start of a file that must be UTF-8, or the whole file is refused (64 KiB); later bad bytes cost only their record. */
export const SNIFF_BYTES = 64 * 1024;
// Bytes read before the first decision (binary signature, BOM); a slow pipe is not waited on for more.
const HEAD_BYTES = 16;

/** Options of `decodeCsvBytes`. */
export interface DecodeOptions {
  /** How to read bytes that are not UTF-8 (default utf8). A UTF-16 BOM always wins. */
  encoding?: TextEncoding;
  /** Names the input in messages (a path, or `<stdin>`). */
  source?: string;
}

/** What the start of the input turned out to be; `utf8Passthrough` means bytes go on unchanged. */
export interface DecodeInfo {
  /** The encoding the bytes were read as. */
  encoding: "utf-8" | "utf-16le" | "utf-16be" | "latin1";
  /** Length of the byte-order mark removed, 0 when there was none. */
  bomLength: number;
  /** True when the input bytes are handed on unchanged (UTF-8), so output offsets are file offsets minus the BOM. */
  utf8Passthrough: boolean;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new TypeError(`expected bytes from the CSV source, got ${typeof chunk}`);
}

// Length of an incomplete UTF-8 sequence at the end of `bytes` (0..3), so a window that cuts a
// character in two is not called invalid.
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function countNul(bytes: Uint8Array): number {
  let n = 0;
  let i = bytes.indexOf(0);
  while (i >= 0) {
    n++;
    i = bytes.indexOf(0, i + 1);
  }
  return n;
}

/**
 * Turns the raw bytes of a CSV source into UTF-8 bytes for the parser, checking the first
 * 64 KiB before anything is passed on: refuses binary files (gzip, xlsx, xls, ...) and
 * NUL-laced text (UTF-16 without a BOM), drops a UTF-8 BOM, decodes UTF-16 LE/BE with a BOM,
 * decodes `latin1` (Windows-1252) when asked, and refuses input whose first 64 KiB are not
 * UTF-8, naming the byte offset. Later invalid bytes pass through: the record reader rejects
 * just the records that hold them. Throws `InputError` (INPUT_EMPTY, INPUT_BINARY, INPUT_ENCODING).
 * `onInfo` is told what the input was read as before the first chunk is yielded.
 */
export async function* decodeCsvBytes(
  chunks: AsyncIterable<unknown>,
  options: DecodeOptions = {},
  onInfo?: (info: DecodeInfo) => void,
): AsyncGenerator<Buffer, void, undefined> {
  const source = options.source ?? "<input>";
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < HEAD_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = toBuffer(next.value);
      head.push(chunk);
      headLength += chunk.length;
    }
    const window = head.length === 1 ? (head[0] as Buffer) : Buffer.concat(head, headLength);
    if (window.length === 0) throw new InputError("INPUT_EMPTY", `${source}: is empty (0 bytes)`, "pass a CSV file with a header line");
    const binary = sniffBinary(window);
    if (binary) throw new InputError("INPUT_BINARY", `${source}: looks like ${binary}, not a CSV file`, hintFor(binary));
    const bom = detectBom(window);
    const bomLength = bom?.length ?? 0;
    const body = window.subarray(bomLength);
    if (body.length === 0) throw new InputError("INPUT_EMPTY", `${source}: is empty (only a byte-order mark)`, "pass a CSV file with a header line");

    if (bom && bom.encoding !== "utf-8") {
      onInfo?.({ encoding: bom.encoding, bomLength, utf8Passthrough: false });
      const decoder = new TextDecoder(bom.encoding);
      yield Buffer.from(decoder.decode(body, { stream: !ended }), "utf8");
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const text = decoder.decode(toBuffer(next.value), { stream: true });
        if (text.length > 0) yield Buffer.from(text, "utf8");
      }
      const rest = decoder.decode();
      if (rest.length > 0) yield Buffer.from(rest, "utf8");
      return;
    }

    // NUL bytes are never text; many of them in the first bytes means UTF-16 without a BOM or a
    // binary file. A few are left to the record reader, which rejects the records holding them.
    const nul = countNul(body);
    if (nul > 0 && nul * 4 >= body.length) {
      throw new InputError(
        "INPUT_BINARY",
        `${source}: ${nul} of the first ${body.length} bytes are NUL, so this is not UTF-8 or Latin-1 text (UTF-16 without a byte-order mark, or a binary file)`,
        "save the file as CSV UTF-8",
      );
    }

    if (options.encoding === "latin1") {
      onInfo?.({ encoding: "latin1", bomLength, utf8Passthrough: false });
      yield Buffer.from(decodeWindows1252(body), "utf8");
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield Buffer.from(decodeWindows1252(toBuffer(next.value)), "utf8");
      }
      return;
    }

    // The first SNIFF_BYTES must be UTF-8: a file that is not is refused whole, naming the byte.
    // A character cut by a chunk boundary is carried to the next chunk before it is judged.
    let carry: Buffer = Buffer.alloc(0);
    let offset = bomLength;
    const check = (chunk: Buffer, final: boolean) => {
      if (offset - carry.length >= SNIFF_BYTES) return;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const start = offset - carry.length;
      const complete = final ? data.length : data.length - incompleteTail(data);
      // Up to the window's end, and on to the end of a character the window's end cuts.
      let limit = Math.min(complete, SNIFF_BYTES - start);
      while (limit < complete && ((data[limit] as number) & 0xc0) === 0x80) limit++;
      const part = data.subarray(0, limit);
      if (!isUtf8(part)) {
        throw new InputError(
          "INPUT_ENCODING",
          `${source}: not valid UTF-8 at byte ${start + firstInvalidUtf8Offset(part)}`,
          LATIN1_HINT,
          "encoding",
        );
      }
      carry = Buffer.from(data.subarray(complete));
      offset += chunk.length;
    };
    check(body, ended);
    onInfo?.({ encoding: "utf-8", bomLength, utf8Passthrough: true });
    yield body;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = toBuffer(next.value);
      check(chunk, false);
      yield chunk;
    }
    // A character still cut at the end of the input is invalid.
    check(Buffer.alloc(0), true);
  } finally {
    // Stops (and for a Node stream, destroys) the source when the reader stops early.
    await iterator.return?.();
  }
}

function hintFor(binary: string): string {
  if (binary.includes("gzip")) return "decompress it first (for example with gunzip -c FILE)";
  if (binary.includes("xlsx") || binary.includes(".xls")) return "open it in a spreadsheet and save it as CSV UTF-8";
  return "pass a CSV file";
}
