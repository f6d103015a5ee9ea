import type { PmpoError, PmpoErrorOption } from "../errors.js";

// The library's hints name its options; on the command line the same advice names the flag.
const FLAG_HINTS: Readonly<Record<PmpoErrorOption, string>> = {
  encoding: "if the file is Latin-1 or Windows-1252, pass --encoding latin1; otherwise convert it to UTF-8",
  "columns.text": "name the column of ad text with --text-column NAME (the first line must be the header)",
  "columns.id": "check --id-column",
  "columns.title": "check --title-column",
  quote: "fix the quotes of this record: a quote inside a field must be doubled (\"\") and the field quoted; if the file does not quote its fields at all (most TSV files), read it with quoting off (pmpo batch --quote none)",
  keepColumns: "name columns of the header, separated by commas, or pass --keep-columns all",
};

/** One line for the terminal: the error's message and its hint, naming the CLI flag where the library names an option. */
export function cliErrorLine(error: PmpoError): string {
  const hint = error.option ? FLAG_HINTS[error.option] : error.hint;
  return hint ? `${error.message} (${hint})` : error.message;
}
