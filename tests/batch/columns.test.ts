import { describe, expect, it } from "vitest";
import { columnKey, pickColumns, pickKeptColumns } from "../../src/batch/columns.js";
import { InputError } from "../../src/errors.js";

describe("pickColumns", () => {
  it.each([
    [["id", "title", "description"], { text: 2, id: 0, title: 1 }],
    [["Job_ID", "Job_Title", "Job_Description"], { text: 2, id: 0, title: 1 }],
    [["listing_id", "position", "BODY"], { text: 2, id: 0, title: 1 }],
    [["content", "text"], { text: 1, id: null, title: null }],
    [[" Description "], { text: 0, id: null, title: null }],
  ])("finds the columns of %j by their common names", (header, expected) => {
    const choice = pickColumns(header);
    expect({ text: choice.text, id: choice.id, title: choice.title }).toEqual(expected);
  });

  it("prefers description over the other text names, whatever the header order", () => {
    expect(pickColumns(["body", "text", "description"]).text).toBe(2);
  });

  it("takes the first of duplicate columns", () => {
    expect(pickColumns(["description", "description"]).text).toBe(0);
  });

  it("uses overrides, case-insensitively", () => {
    const choice = pickColumns(["Ref", "Role", "Ad Text"], { text: "ad text", id: "REF", title: "role" });
    expect({ text: choice.text, id: choice.id, title: choice.title }).toEqual({ text: 2, id: 0, title: 1 });
  });

  it("without a text column, lists the header's columns", () => {
    try {
      pickColumns(["a", "b", "c"], {}, "x.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe("NO_TEXT_COLUMN");
      expect((error as InputError).message).toBe(
        'x.csv: no text column: found none of description, job_description, text, body, content, job_posting_description, posting_description, ad_text, job_ad, job_details, details, stellenbeschreibung, beschreibung; the header (line 1) has 3 columns: "a", "b", "c"',
      );
      expect((error as InputError).hint).toBe("name the column of ad text (the columns.text option; the first line must be the header)");
      expect((error as InputError).option).toBe("columns.text");
    }
  });

  it("names a missing override", () => {
    expect(() => pickColumns(["description"], { text: "body" })).toThrow(/no column "body"/);
    expect(() => pickColumns(["description"], { id: "ref" })).toThrow(/no id column "ref"/);
    expect(() => pickColumns(["description"], { title: "role" })).toThrow(/no title column "role"/);
  });

  it.each([
    ["Job Description", "job_description"],
    ["jobTitle", "job_title"],
    ["JobID", "job_id"],
    ["descriptionHTML", "description_html"],
    ["HTMLDescription", "html_description"],
    ["  Requisition-ID ", "requisition_id"],
    ["location.name", "location_name"],
    ["Stellen-ID", "stellen_id"],
  ])("columnKey(%j) is %j", (name, key) => {
    expect(columnKey(name)).toBe(key);
  });

  it.each([
    [["Job ID", "Job Title", "Job Description"], { text: 2, id: 0, title: 1 }],
    [["jobId", "jobTitle", "descriptionHtml"], { text: 2, id: 0, title: 1 }],
    [["job_id", "job_title", "description_html"], { text: 2, id: 0, title: 1 }],
    [["Requisition ID", "Job Posting Title", "Job Description (plain text)"], { text: 2, id: 0, title: 1 }],
    [["referencenumber", "title", "description"], { text: 2, id: 0, title: 1 }],
    [["Stellen-ID", "Stellentitel", "Stellenbeschreibung"], { text: 2, id: 0, title: 1 }],
    // An exact name beats the same name with a format suffix: Lever's description and descriptionPlain.
    [["id", "text", "descriptionPlain", "description"], { text: 3, id: 0, title: null }],
  ])("finds the columns of the export header %j", (header, expected) => {
    const choice = pickColumns(header);
    expect({ text: choice.text, id: choice.id, title: choice.title }).toEqual(expected);
  });

  it("does not strip a format word that is the whole name, nor match inside a word", () => {
    expect(pickColumns(["Text"]).text).toBe(0);
    expect(() => pickColumns(["context", "subtext"])).toThrow(/no text column/);
  });

  it("keeps columns under their own names, prefixing input_ to names the output has, case-insensitively", () => {
    const header = ["ID", "company", "description", "Label", "input_label"];
    const choice = pickColumns(header);
    expect(pickKeptColumns(header, "all", choice, ["id", "label"])).toEqual([
      { index: 0, name: "input_ID" },
      { index: 1, name: "company" },
      { index: 3, name: "input_Label" },
      { index: 4, name: "input_input_label" },
    ]);
    expect(pickKeptColumns(header, ["Company", "company", "description"], choice, [])).toEqual([
      { index: 1, name: "company" },
      { index: 2, name: "description" },
    ]);
    expect(() => pickKeptColumns(header, ["salary"], choice, [], "x.csv")).toThrow(/^x\.csv: columns to keep: no column "salary"/);
  });
});
