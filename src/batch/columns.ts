import { InputError } from "../errors.js";

/** Header names taken as the ad text, in order of preference (case-insensitive). */
export const TEXT_COLUMN_NAMES = ["description", "job_description", "text", "body", "content"] as const;
/** Header names taken as the record id, in order of preference (case-insensitive). */
export const ID_COLUMN_NAMES = ["id", "job_id", "listing_id"] as const;
/** Header names taken as the job title, in order of preference (case-insensitive). */
export const TITLE_COLUMN_NAMES = ["title", "job_title", "position"] as const;

/** Column names the caller wants instead of the defaults (matched case-insensitively). */
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

const key = (name: string) => name.trim().toLowerCase();

function indexOfName(header: readonly string[], names: readonly string[]): number | null {
  const keys = header.map(key);
  for (const name of names) {
    const index = keys.indexOf(key(name));
    if (index >= 0) return index;
  }
  return null;
}

/** The header's columns quoted and listed for a message, shortened when there are many. */
export function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 39)}…` : name));
  return header.length > 30 ? `${shown.join(", ")} and ${header.length - 30} more` : shown.join(", ");
}

/**
 * Picks the text, id and title columns from a header: the override when given (it must exist),
 * else the first of the common names present. Throws `InputError` NO_TEXT_COLUMN, listing the
 * header's columns, when there is no text column, and CSV_FORMAT when an asked-for id or title
 * column is missing. `source` names the input in messages.
 */
export function pickColumns(header: readonly string[], overrides: ColumnOverrides = {}, source = "<input>"): ColumnChoice {
  const listed = `the header (line 1) has ${header.length} column${header.length === 1 ? "" : "s"}: ${listColumns(header)}`;
  const pick = (override: string | undefined, names: readonly string[]) =>
    override === undefined ? indexOfName(header, names) : indexOfName(header, [override]);
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
