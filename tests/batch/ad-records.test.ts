import { describe, expect, it } from "vitest";
import { readAdRecords, type AdRecordEvent } from "../../src/batch/ad-records.js";
import { InputError } from "../../src/errors.js";
import { chunked, drain } from "./helpers.js";

async function read(input: string | Buffer, options: Parameters<typeof readAdRecords>[1] = {}) {
  const { items, returned } = await drain(readAdRecords(chunked(input, 11), { source: "ads.csv", ...options }));
  // The accounting invariant, on every input of this file.
  expect(returned.read).toBe(returned.ads + returned.rejected);
  expect(items.filter((e) => e.kind !== "header")).toHaveLength(returned.read);
  return { events: items, stats: returned };
}

const brief = (events: AdRecordEvent[]) =>
  events.map((e) => (e.kind === "ad" ? ["ad", e.record, e.line, e.id] : e.kind === "rejected" ? [e.code, e.record, e.line] : ["header"]));

describe("readAdRecords", () => {
  it("takes the first non-blank record as the header and numbers records from 1", async () => {
    const { events, stats } = await read("\njob_id,title,description\nA1,PO,text one\n\nA2,,text two\n");
    expect(brief(events)).toEqual([["header"], ["ad", 1, 3, "A1"], ["ad", 2, 5, "A2"]]);
    expect(events[1]).toMatchObject({ title: "PO", text: "text one" });
    expect(stats).toMatchObject({ read: 2, ads: 2, rejected: 0, blankLines: 2, lines: 5 });
  });

  it("uses the record number as the id without an id column", async () => {
    const { events } = await read("description\nfirst\nsecond\n");
    expect(events.filter((e) => e.kind === "ad").map((e) => (e as { id: string }).id)).toEqual(["1", "2"]);
  });

  it.each([
    ["a field too many", "id,description\n1,text,extra\n", "FIELD_COUNT", "has 3 fields, the header has 2"],
    ["a field too few", "id,title,description\n1,text\n", "FIELD_COUNT", "has 2 fields, the header has 3"],
    ["an empty text", "id,description\n1,\n", "EMPTY_TEXT", 'the text column "description" is empty'],
    ["a text of spaces", "id,description\n1,  \n", "EMPTY_TEXT", 'the text column "description" is empty'],
    ["a NUL byte", "id,description\n1,te\u0000xt\n", "NUL_BYTE", "holds a NUL byte (at byte 4 of the record), so it is not text"],
    ["a stray quote", 'id,description\n1,5" screen\n', "STRAY_QUOTE", "a quote inside an unquoted field in field 2"],
    ["an unclosed quote", 'id,description\n1,"open\n', "UNCLOSED_QUOTE", "is never closed"],
  ])("rejects a record with %s", async (_name, input, code, message) => {
    const { events, stats } = await read(input);
    const rejected = events.find((e) => e.kind === "rejected");
    expect(rejected).toMatchObject({ code, record: 1, line: 2 });
    expect((rejected as { message: string }).message).toContain(message);
    expect(stats.read).toBe(stats.ads + stats.rejected);
  });

  it("rejects a text over the byte limit, counting bytes not characters", async () => {
    const { events } = await read(`description\n${"é".repeat(60)}\n${"e".repeat(60)}\n`, { maxAdBytes: 100 });
    expect(brief(events)).toEqual([["header"], ["TEXT_TOO_LARGE", 1, 2], ["ad", 2, 3, "2"]]);
  });

  it("rejects a record with bytes that are not UTF-8 and names the file offset", async () => {
    const input = Buffer.concat([Buffer.from("id,description\n1,ok\n2,caf"), Buffer.from([0xe9]), Buffer.from("\n3,fine\n")]);
    const { events } = await read(input, { fileOffset: () => 0 });
    expect(events[2]).toMatchObject({ kind: "rejected", code: "INVALID_UTF8", record: 2, line: 3, message: expect.stringContaining("at byte 25") });
    expect(events[3]).toMatchObject({ kind: "ad", record: 3 });
  });

  it("keeps the raw text of a rejected record", async () => {
    const { events } = await read('id,description\n7,"a" b,c\n');
    expect(events[1]).toMatchObject({ kind: "rejected", raw: '7,"a" b,c', rawTruncated: false });
  });

  it.each([
    ["only blank lines", "\n\n\r\n", "INPUT_EMPTY", "has no header line (only blank lines)"],
    ["a broken header", '"Age" (years),b\n1,2\n', "CSV_FORMAT", "ads.csv:1: the header line is not valid CSV"],
    ["no text column", "a,b\n1,2\n", "NO_TEXT_COLUMN", '"a", "b"'],
  ])("fails on %s", async (_name, input, code, message) => {
    const error = await read(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(code);
    expect((error as InputError).message).toContain(message);
  });

  it("reads a header-only file as zero records", async () => {
    const { stats } = await read("id,description\n");
    expect(stats).toMatchObject({ read: 0, ads: 0, rejected: 0 });
  });
});
