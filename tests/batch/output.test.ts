import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvField, formatCsvHeader, formatCsvRow, guardFormula } from "../../src/batch/csv-output.js";
import { formatJsonlRow, formatRejectRow } from "../../src/batch/jsonl-output.js";
import type { ScoredEvent } from "../../src/batch/outcome.js";
import { renderProgress } from "../../src/batch/progress.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";

const model = loadDefaultModel();
const text = "Own the product vision and roadmap; groom the backlog and write user stories.";
const event: ScoredEvent = { kind: "scored", record: 4, line: 9, id: 'X,"1"', title: "Product Owner", result: classify(text, { model, title: "Product Owner" }) };

describe("CSV formula guard", () => {
  it.each([
    ["=HYPERLINK(\"http://evil.test\",\"x\")", "'=HYPERLINK(\"http://evil.test\",\"x\")"],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["JOB-12", "JOB-12"],
    ["a=b", "a=b"],
    ["", ""],
  ])("guards %j as %j", (value, expected) => {
    expect(guardFormula(value)).toBe(expected);
  });

  const hostile: ScoredEvent = { ...event, id: "=cmd|' /C calc'!A0" };
  const hostileModel: ScoredEvent = { ...event, result: { ...event.result, model: { ...event.result.model, name: "@evil" } } };
  const read = (line: string) => (parse(formatCsvHeader() + line, { columns: true }) as Array<Record<string, string>>)[0]!;

  it("prefixes ' to the id and the model cell by default, and leaves pmpo's own numbers alone", () => {
    const row = read(formatCsvRow(hostile));
    expect(row.id).toBe("'=cmd|' /C calc'!A0");
    expect(row.confidence).toBe(String(event.result.confidence));
    expect(row.record).toBe("4");
    expect(read(formatCsvRow(hostileModel)).model).toBe(`'@evil@${event.result.model.version}`);
  });

  it("writes the cells as they are with formulas: allow", () => {
    expect(read(formatCsvRow(hostile, { formulas: "allow" })).id).toBe("=cmd|' /C calc'!A0");
  });

  it("guards the top phrases too", () => {
    const phrased: ScoredEvent = {
      ...event,
      result: { ...event.result, topPhrases: { productManager: [{ phrase: "-roadmap", term: "roadmap", count: 1, weight: 1 }], productOwner: [] } },
    };
    expect(read(formatCsvRow(phrased)).top_pm_phrases).toBe("'-roadmap");
  });
});

describe("CSV output", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    [" edge", '" edge"'],
  ])("quotes %j as %s", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("writes rows that csv-parse reads back into the snake_case columns", () => {
    const [row] = parse(formatCsvHeader() + formatCsvRow(event), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(row!)).toEqual([...CSV_COLUMNS]);
    expect(row).toMatchObject({
      id: 'X,"1"',
      record: "4",
      line: "9",
      label: event.result.label,
      confidence: String(event.result.confidence),
      pm_share: String(event.result.pmShare),
      title_mismatch: String(event.result.titleMismatch),
      top_pm_phrases: event.result.topPhrases.productManager.map((p) => p.phrase).join("; "),
      model: `${event.result.model.name}@${event.result.model.version}`,
    });
  });
});

describe("JSONL output", () => {
  it("uses the classify JSON names plus id, record and line, and adds highlights only when asked", () => {
    const row = JSON.parse(formatJsonlRow(event));
    expect(Object.keys(row)).toEqual(["id", "record", "line", "label", "confidence", "pmShare", "evidence", "summary", "dutyCounts", "otherRole", "titleMismatch", "title", "topPhrases", "model", "inputLength", "language"]);
    expect(row).toMatchObject({ id: 'X,"1"', record: 4, line: 9, pmShare: event.result.pmShare, topPhrases: event.result.topPhrases });
    expect(JSON.parse(formatJsonlRow(event, { highlights: true })).highlights).toEqual(event.result.highlights);
  });

  it("writes a reject as one JSON line", () => {
    const line = formatRejectRow({ kind: "rejected", record: 2, line: 3, code: "FIELD_COUNT", message: "has 3 fields, the header has 2", raw: "a,b\nc", rawTruncated: false });
    expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    expect(JSON.parse(line)).toEqual({ line: 3, record: 2, code: "FIELD_COUNT", message: "has 3 fields, the header has 2", raw: "a,b\nc", rawTruncated: false });
  });
});

describe("renderProgress", () => {
  it("shows a bar with the share of bytes read when the size is known", () => {
    expect(renderProgress({ records: 1500, seconds: 2, bytes: 512 * 1024, totalBytes: 1024 * 1024, width: 100 })).toBe(
      "[###############---------------]  50% 1,500 records, 750/s, 512 KiB of 1.0 MiB",
    );
  });
  it("shows counts only for a pipe", () => {
    expect(renderProgress({ records: 10, seconds: 0, bytes: 2048, totalBytes: null, width: 80 })).toBe("10 records, 0/s, 2 KiB read");
  });
  it("fits a narrow terminal", () => {
    expect(renderProgress({ records: 10, seconds: 1, bytes: 1, totalBytes: 100, width: 30 }).length).toBeLessThan(30);
  });
});
