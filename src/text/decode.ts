import { InputError } from "../errors.js";

/** The hint of a not-UTF-8 error, in library terms (the CLI names its flag instead; see `PmpoError.option`). */
export const LATIN1_HINT = "if the file is Latin-1 or Windows-1252, read it with encoding latin1 (the encoding option); otherwise convert it to UTF-8";

/** What the first bytes of a file say it is, when it is not text. */
export function sniffBinary(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x1f, 0x8b)) return "a gzip archive";
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "a zip archive (an .xlsx, .docx or .zip file)";
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return "an old Office file (.xls or .doc)";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "a PDF document";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "a PNG image";
  if (starts(0xff, 0xd8, 0xff)) return "a JPEG image";
  if (starts(0x42, 0x5a, 0x68)) return "a bzip2 archive";
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "an xz archive";
  return null;
}

// Windows-1252 characters for bytes 0x80..0x9f (ISO-8859-1 has invisible C1 controls there);
// files called "Latin-1" are nearly always Windows-1252, with curly quotes and dashes in this range.
const CP1252 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const C1 = /[\u0080-\u009f]/;
const C1_ALL = /[\u0080-\u009f]/g;

/** Decodes Windows-1252 bytes (Latin-1 with printable characters in 0x80..0x9f); one byte is one character, so chunks need no state. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(bytes);
  return C1.test(text) ? text.replace(C1_ALL, (c) => CP1252.charAt(c.charCodeAt(0) - 0x80)) : text;
}

/** Encodings pmpo decodes; UTF-16 is recognised by its byte-order mark. */
export type TextEncoding = "utf8" | "latin1";

/** The encoding a byte-order mark announces, and the mark's length in bytes. */
export function detectBom(bytes: Uint8Array): { encoding: "utf-8" | "utf-16le" | "utf-16be"; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

/** Byte offset of the first byte that is not valid UTF-8, or -1 when all of it is. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Turns the bytes of one ad into text: refuses binary files and NUL bytes, decodes UTF-16 with
 * a BOM, drops a UTF-8 BOM, and refuses bytes that are not UTF-8 unless `latin1` is asked for.
 * `source` names the input in messages.
 */
export function decodeAd(bytes: Uint8Array, source: string, encoding: TextEncoding = "utf8"): string {
  const binary = sniffBinary(bytes);
  if (binary) throw new InputError("INPUT_BINARY", `${source}: looks like ${binary}, not text`, "pass the ad as plain text");
  const bom = detectBom(bytes);
  let text: string;
  if (bom && bom.encoding !== "utf-8") {
    text = new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length));
  } else if (encoding === "latin1") {
    text = decodeWindows1252(bytes);
  } else {
    const body = bom ? bytes.subarray(bom.length) : bytes;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      // The fast decoder only says "invalid"; find where, for the message.
      const bad = firstInvalidUtf8Offset(body) + (bom ? bom.length : 0);
      throw new InputError("INPUT_ENCODING", `${source}: not valid UTF-8 at byte ${bad}`, LATIN1_HINT, "encoding");
    }
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw new InputError("INPUT_BINARY", `${source}: contains a NUL byte at character ${nul}, so it is not plain text`, "pass the ad as plain text");
  if (text.trim() === "") throw new InputError("INPUT_EMPTY", `${source}: is empty${text.length > 0 ? " (only white space)" : ""}`, "pass the text of a job ad");
  return text;
}
