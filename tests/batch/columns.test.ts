import { describe, expect, it } from "vitest";
import { pickColumns } from "../../src/batch/columns.js";
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
        'x.csv: no text column: found none of description, job_description, text, body, content; the header (line 1) has 3 columns: "a", "b", "c"',
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
});
