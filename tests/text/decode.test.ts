import { describe, expect, it } from "vitest";
import { decodeAd, firstInvalidUtf8Offset, sniffBinary } from "../../src/text/decode.js";
import { InputError } from "../../src/errors.js";

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("sniffBinary", () => {
  it.each([
    ["gzip", bytes(0x1f, 0x8b, 8, 0), /gzip/],
    ["xlsx", bytes(0x50, 0x4b, 3, 4, 20), /xlsx/],
    ["xls", bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), /xls/],
    ["pdf", utf8("%PDF-1.7"), /PDF/],
  ])("recognises %s", (_name, input, pattern) => {
    expect(sniffBinary(input)).toMatch(pattern);
  });
  it("says nothing of text", () => expect(sniffBinary(utf8("Own the backlog"))).toBeNull());
});

describe("firstInvalidUtf8Offset", () => {
  it.each([
    ["valid ASCII", utf8("abc"), -1],
    ["valid multibyte", utf8("é€😀"), -1],
    ["a stray continuation byte", bytes(0x61, 0x80), 1],
    ["latin1 é", bytes(0x63, 0x61, 0x66, 0xe9), 3],
    ["an overlong encoding", bytes(0xc0, 0xaf), 0],
    ["a truncated sequence", bytes(0x61, 0xe2, 0x82), 1],
    ["an encoded surrogate", bytes(0xed, 0xa0, 0x80), 0],
  ])("%s", (_name, input, offset) => {
    expect(firstInvalidUtf8Offset(input)).toBe(offset);
  });
});

describe("decodeAd", () => {
  it("drops a UTF-8 byte-order mark", () => {
    expect(decodeAd(bytes(0xef, 0xbb, 0xbf, ...utf8("ad")), "a.txt")).toBe("ad");
  });
  it("decodes UTF-16 LE and BE with a byte-order mark", () => {
    expect(decodeAd(bytes(0xff, 0xfe, 0x61, 0, 0x64, 0), "le.txt")).toBe("ad");
    expect(decodeAd(bytes(0xfe, 0xff, 0, 0x61, 0, 0x64), "be.txt")).toBe("ad");
  });
  it("reads latin1 when asked", () => {
    expect(decodeAd(bytes(0x63, 0x61, 0x66, 0xe9), "l.txt", "latin1")).toBe("café");
  });
  it.each([
    ["empty", new Uint8Array(0), "INPUT_EMPTY", "e.txt: is empty (pass the text of a job ad)"],
    ["white space", utf8(" \n\t "), "INPUT_EMPTY", "e.txt: is empty (only white space) (pass the text of a job ad)"],
    ["NUL bytes", utf8("ab\u0000cd"), "INPUT_BINARY", "e.txt: contains a NUL byte at character 2, so it is not plain text (pass the ad as plain text)"],
    ["gzip", bytes(0x1f, 0x8b, 8, 0), "INPUT_BINARY", "e.txt: looks like a gzip archive, not text (pass the ad as plain text)"],
    ["invalid UTF-8", bytes(0x63, 0x61, 0x66, 0xe9), "INPUT_ENCODING", "e.txt: not valid UTF-8 at byte 3 (if the file is Latin-1 or Windows-1252, read it with encoding latin1 (the encoding option); otherwise convert it to UTF-8)"],
  ])("refuses %s with a clear message", (_name, input, code, line) => {
    const error = errorOf(() => decodeAd(input, "e.txt"));
    expect(error.code).toBe(code);
    expect(error.toLine()).toBe(line);
  });
});

describe("latin1", () => {
  it("reads bytes 0x80..0x9f as Windows-1252, like batch does", () => {
    expect(decodeAd(Uint8Array.from([0x93, 0x61, 0x64, 0x94, 0x20, 0x80]), "l.txt", "latin1")).toBe("\u201cad\u201d \u20ac");
  });
});
