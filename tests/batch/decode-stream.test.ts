import { describe, expect, it } from "vitest";
import { decodeCsvBytes, SNIFF_BYTES, type DecodeInfo } from "../../src/batch/decode-stream.js";
import { InputError } from "../../src/errors.js";
import { chunked, drain } from "./helpers.js";

async function decode(bytes: Uint8Array, options: Parameters<typeof decodeCsvBytes>[1] = {}, size = 5) {
  let info: DecodeInfo | null = null;
  const { items } = await drain(decodeCsvBytes(chunked(bytes, size), { source: "in.csv", ...options }, (i) => (info = i)));
  return { text: Buffer.concat(items).toString("utf8"), info: info as DecodeInfo | null };
}

async function failure(bytes: Uint8Array, options: Parameters<typeof decodeCsvBytes>[1] = {}): Promise<InputError> {
  try {
    await decode(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

const utf16 = (text: string, endian: "le" | "be") => {
  const le = Buffer.from(`\ufeff${text}`, "utf16le");
  if (endian === "le") return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return be;
};

describe("decodeCsvBytes", () => {
  it("passes UTF-8 through and drops a UTF-8 BOM", async () => {
    const { text, info } = await decode(Buffer.from("\ufeffa,b\né,ü\n"));
    expect(text).toBe("a,b\né,ü\n");
    expect(info).toEqual({ encoding: "utf-8", bomLength: 3, utf8Passthrough: true });
  });

  it.each(["le", "be"] as const)("decodes UTF-16 %s with a BOM, across odd chunk boundaries", async (endian) => {
    const { text, info } = await decode(utf16("id,description\n1,Größe 😀\n", endian), {}, 3);
    expect(text).toBe("id,description\n1,Größe 😀\n");
    expect(info?.encoding).toBe(endian === "le" ? "utf-16le" : "utf-16be");
  });

  it("decodes Latin-1 (Windows-1252) when asked", async () => {
    const { text } = await decode(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x93, 0x71, 0x94]), { encoding: "latin1" });
    expect(text).toBe("café,\u201cq\u201d");
  });

  it("names the byte offset of the first invalid UTF-8 byte and suggests latin1", async () => {
    const error = await failure(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(error.code).toBe("INPUT_ENCODING");
    expect(error.message).toBe("in.csv: not valid UTF-8 at byte 7");
    expect(error.hint).toBe("if the file is Latin-1 or Windows-1252, read it with encoding latin1 (the encoding option); otherwise convert it to UTF-8");
    expect(error.option).toBe("encoding");
  });

  it("counts the BOM in the offset", async () => {
    const error = await failure(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff]));
    expect(error.message).toContain("at byte 4");
  });

  it("does not call a character cut by the end of the sniff window invalid", async () => {
    const text = `${"x".repeat(SNIFF_BYTES - 1)}é\n`;
    const { text: out } = await decode(Buffer.from(text), {}, SNIFF_BYTES);
    expect(out).toBe(text);
  });

  it("leaves invalid bytes after the first 64 KiB to the record reader", async () => {
    const bytes = Buffer.concat([Buffer.from(`a\n${"x".repeat(SNIFF_BYTES)}\n`), Buffer.from([0xff, 0x0a])]);
    const { text } = await decode(bytes, {}, 4096);
    expect(Buffer.byteLength(text)).toBeGreaterThan(SNIFF_BYTES);
  });

  it.each([
    ["gzip", [0x1f, 0x8b, 0x08, 0x00], "gzip archive"],
    ["xlsx", [0x50, 0x4b, 0x03, 0x04, 0x14], "zip archive (an .xlsx"],
    ["xls", [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0], ".xls"],
  ])("refuses %s by its first bytes", async (_name, bytes, says) => {
    const error = await failure(Buffer.from(bytes));
    expect(error.code).toBe("INPUT_BINARY");
    expect(error.message).toContain(says);
  });

  it("refuses NUL-laced text (UTF-16 without a BOM)", async () => {
    const error = await failure(Buffer.from("id,description\n1,text\n", "utf16le"));
    expect(error.code).toBe("INPUT_BINARY");
    expect(error.message).toContain("UTF-16 without a byte-order mark");
  });

  it.each([
    ["nothing", []],
    ["only a BOM", [0xef, 0xbb, 0xbf]],
  ])("refuses an empty input (%s)", async (_name, bytes) => {
    expect((await failure(Buffer.from(bytes))).code).toBe("INPUT_EMPTY");
  });

  it("stops the source when the reader stops early", async () => {
    let finished = false;
    async function* source() {
      try {
        for (let i = 0; i < 100; i++) yield Buffer.alloc(SNIFF_BYTES, 0x61);
      } finally {
        finished = true;
      }
    }
    for await (const _ of decodeCsvBytes(source())) break;
    expect(finished).toBe(true);
  });
});
