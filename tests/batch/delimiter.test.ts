import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { detectDelimiter, firstLine, peekHeaderLine } from "../../src/batch/delimiter.js";
import { readAdRecords } from "../../src/batch/ad-records.js";

describe("detectDelimiter", () => {
  it.each([
    ["id,title,description", ","],
    ["id;title;description", ";"],
    ["id\ttitle\tdescription", "\t"],
    ["id|title|description", "|"],
    ["description", ","],
    // Delimiters inside quoted names do not count.
    ['"a;b;c",title', ","],
    ['id;"Title, English";"Beschreibung, lang"', ";"],
    // A tie goes to the comma.
    ["a,b;c", ","],
  ])("%j → %j", (line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter);
  });
});

describe("firstLine", () => {
  it.each([
    ["a;b\n1;2\n", "a;b"],
    ["\r\n\na;b\r\n", "a;b"],
    ['"x\ny";b\n', '"x\ny";b'],
    ["a;b", null],
  ])("%j → %j", (text, line) => {
    expect(firstLine(text)).toBe(line);
  });
});

describe("peekHeaderLine", () => {
  it("gives back every byte, those it read first included, in order", async () => {
    const chunks = ["id;ti", "tle;desc", "ription\n1;", "a;b\n"].map((c) => Buffer.from(c));
    const { line, chunks: again } = await peekHeaderLine(Readable.from(chunks));
    expect(line).toBe("id;title;description");
    const read: Buffer[] = [];
    for await (const c of again) read.push(c);
    expect(Buffer.concat(read).toString()).toBe(chunks.map(String).join(""));
  });

  it("readAdRecords detects the delimiter and reports it on the header event", async () => {
    const events = [];
    for await (const e of readAdRecords(Readable.from([Buffer.from("id|description\n1|Own the backlog\n")]))) events.push(e);
    expect(events[0]).toMatchObject({ kind: "header", delimiter: "|", delimiterDetected: true, quote: true, kept: [] });
    expect(events[1]).toMatchObject({ kind: "ad", id: "1", text: "Own the backlog" });
    const given = [];
    for await (const e of readAdRecords(Readable.from([Buffer.from("id|x,description\n1|a,b\n")]), { delimiter: "," })) given.push(e);
    expect(given[0]).toMatchObject({ kind: "header", delimiter: ",", delimiterDetected: false });
  });
});
