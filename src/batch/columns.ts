import { InputError } from "../errors.js";

/** Header names taken as the ad text, in order of preference (compared as `columnKey` gives them). */
export const TEXT_COLUMN_NAMES = [
  "description",
  "job_description",
  "text",
  "body",
  "content",
  "job_posting_description",
  "posting_description",
  "ad_text",
  "job_ad",
  "job_details",
  "details",
  "stellenbeschreibung",
  "beschreibung",
] as const;
/** Header names taken as the record id, in order of preference (compared as `columnKey` gives them). */
export const ID_COLUMN_NAMES = [
  "id",
  "job_id",
  "listing_id",
  "requisition_id",
  "job_requisition_id",
  "req_id",
  "job_posting_id",
  "posting_id",
  "reference_number",
  "referencenumber",
  "reference",
  "ref",
  "stellen_id",
] as const;
/** Header names taken as the job title, in order of preference (compared as `columnKey` gives them). */
export const TITLE_COLUMN_NAMES = [
  "title",
  "job_title",
  "position",
  "position_title",
  "job_posting_title",
  "posting_title",
  "job_name",
  "role",
  "stellentitel",
  "stellenbezeichnung",
  "titel",
] as const;

/** Column names the caller wants instead of the defaults (matched as `columnKey` gives them). */
export interface ColumnOverrides {
  text?: string | undefined;
  id?: string | undefined;
  title?: string | undefined;
}

/** Where the text, id and title are in each record: zero-based field indexes, null when absent. */
export interface ColumnChoice {
  text: number;
  id: number | null;
  title: number | null;
  /** The header as read (after the BOM is removed). */
  header: readonly string[];
}

// Last words that say how a column holds its text, not what it holds: "descriptionHtml",
// "Job Description (plain text)" and "description" hold the same thing.
const FORMAT_SUFFIXES = new Set(["html", "text", "plain", "raw", "md", "markdown"]);

function words(name: string): string[] {
  return name
    .normalize("NFKC")
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
}

/**
 * A header name as it is compared: camelCase split into words, lower case, words joined by
 * `_` whatever separated them (spaces, punctuation), so `Job Title`, `jobTitle`, `job-title`
 * and `JOB_TITLE` all give `job_title`.
 */
export function columnKey(name: string): string {
  return words(name).join("_");
}

/** `columnKey` without a last word that names a text format (`html`, `text`, `plain`, `raw`, `md`, `markdown`), when words are left. */
export function columnKeyWithoutFormat(name: string): string {
  const w = words(name);
  while (w.length > 1 && FORMAT_SUFFIXES.has(w[w.length - 1] as string)) w.pop();
  return w.join("_");
}

/**
 * The first column named as one of `names` (in their order of preference): for each name, a
 * header whose `columnKey` equals its key, else one whose key equals it without a format suffix
 * (`description_html`). Null when none matches.
 */
export function findColumn(header: readonly string[], names: readonly string[]): number | null {
  const exact = header.map(columnKey);
  const loose = header.map(columnKeyWithoutFormat);
  for (const name of names) {
    const wanted = columnKey(name);
    let index = exact.indexOf(wanted);
    if (index < 0) index = loose.indexOf(wanted);
    if (index >= 0) return index;
  }
  return null;
}

// A name the caller typed: the header spelled that way (trimmed, any case) first, then as `findColumn` matches.
function findNamed(header: readonly string[], name: string): number | null {
  const plain = header.map((h) => h.trim().toLowerCase()).indexOf(name.trim().toLowerCase());
  return plain >= 0 ? plain : findColumn(header, [name]);
}

/** The header's columns quoted and listed for a message, shortened when there are many. */
export function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 39)}…` : name));
  return header.length > 30 ? `${shown.join(", ")} and ${header.length - 30} more` : shown.join(", ");
}

/**
 * Picks the text, id and title columns from a header: the override when given (it must exist),
 * else the first of the common names present, header names normalised as `findColumn` does
 * (case, spaces, punctuation, camelCase, a format suffix). Throws `InputError` NO_TEXT_COLUMN,
 * listing the header's columns, when there is no text column, and CSV_FORMAT when an asked-for
 * id or title column is missing. `source` names the input in messages.
 */
export function pickColumns(header: readonly string[], overrides: ColumnOverrides = {}, source = "<input>"): ColumnChoice {
  const listed = `the header (line 1) has ${header.length} column${header.length === 1 ? "" : "s"}: ${listColumns(header)}`;
  const pick = (override: string | undefined, names: readonly string[]) => (override === undefined ? findColumn(header, names) : findNamed(header, override));
  const text = pick(overrides.text, TEXT_COLUMN_NAMES);
  if (text === null) {
    const wanted = overrides.text === undefined ? `none of ${TEXT_COLUMN_NAMES.join(", ")}` : `no column "${overrides.text}"`;
    throw new InputError(
      "NO_TEXT_COLUMN",
      `${source}: no text column: found ${wanted}; ${listed}`,
      "name the column of ad text (the columns.text option; the first line must be the header)",
      "columns.text",
    );
  }
  const id = pick(overrides.id, ID_COLUMN_NAMES);
  if (id === null && overrides.id !== undefined) {
    throw new InputError("CSV_FORMAT", `${source}: no id column "${overrides.id}"; ${listed}`, "check the id column's name (the columns.id option)", "columns.id");
  }
  const title = pick(overrides.title, TITLE_COLUMN_NAMES);
  if (title === null && overrides.title !== undefined) {
    throw new InputError("CSV_FORMAT", `${source}: no title column "${overrides.title}"; ${listed}`, "check the title column's name (the columns.title option)", "columns.title");
  }
  return { text, id, title, header };
}

/** An input column copied into the output: where it is in each record, and its name in the output. */
export interface KeptColumn {
  index: number;
  /** The header's name, or `input_` + it when that name is taken (see `pickKeptColumns`). */
  name: string;
}

/**
 * The input columns to copy into each result: `all` is every column but the text column (name
 * that one to copy it too); otherwise each name must be in the header (matched as the column
 * options are). A name that is in `taken` (the output's own columns) or kept twice, compared
 * case-insensitively, is written as `input_NAME` (then `input_NAME_2`...), so no output column
 * is ever overwritten or doubled. Throws `InputError` CSV_FORMAT naming a missing column.
 */
export function pickKeptColumns(
  header: readonly string[],
  keep: readonly string[] | "all",
  choice: ColumnChoice,
  taken: readonly string[],
  source = "<input>",
): KeptColumn[] {
  let indexes: number[];
  if (keep === "all") {
    indexes = header.map((_, i) => i).filter((i) => i !== choice.text);
  } else {
    indexes = [];
    for (const name of keep) {
      const index = findNamed(header, name);
      if (index === null) {
        throw new InputError(
          "CSV_FORMAT",
          `${source}: columns to keep: no column "${name}"; the header (line 1) has ${header.length} column${header.length === 1 ? "" : "s"}: ${listColumns(header)}`,
          "name columns of the header, or keep all of them",
          "keepColumns",
        );
      }
      if (!indexes.includes(index)) indexes.push(index);
    }
  }
  const used = new Set(taken.map((name) => name.toLowerCase()));
  return indexes.map((index) => {
    const own = header[index] as string;
    let name = own.trim() === "" ? `column_${index + 1}` : own;
    if (used.has(name.toLowerCase())) {
      name = `input_${own}`;
      for (let n = 2; used.has(name.toLowerCase()); n++) name = `input_${own}_${n}`;
    }
    used.add(name.toLowerCase());
    return { index, name };
  });
}
