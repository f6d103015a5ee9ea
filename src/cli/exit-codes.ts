import type { PmpoError } from "../errors.js";
import { EXIT } from "./io.js";

// Errors from input pmpo cannot classify exit 3; every other known error is usage, I/O or model (2).
const INPUT_CODES = new Set(["INPUT_EMPTY", "INPUT_BINARY", "INPUT_ENCODING", "INPUT_TOO_LARGE", "NO_TEXT_COLUMN", "CSV_FORMAT"]);

/** Exit code for a known error: 3 for input pmpo cannot read or classify, 2 for usage, I/O or model errors. */
export function exitCodeFor(error: PmpoError): number {
  return INPUT_CODES.has(error.code) ? EXIT.input : EXIT.usage;
}
