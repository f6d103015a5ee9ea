/** Stable error codes: callers branch on `code`, never on message text. */
export type PmpoErrorCode =
  | "USAGE"
  | "IO"
  | "INPUT_EMPTY"
  | "INPUT_BINARY"
  | "INPUT_ENCODING"
  | "INPUT_TOO_LARGE"
  | "MODEL_INVALID"
  | "MODEL_VERSION"
  | "TRAINING_DATA"
  | "CSV_FORMAT"
  | "NO_TEXT_COLUMN"
  | "INTERRUPTED";

/**
 * The library option an error's hint is about, for front ends that name it their own way (the
 * CLI as a flag): `encoding`, `columns.text`, `columns.id`, `columns.title`.
 */
export type PmpoErrorOption = "encoding" | "columns.text" | "columns.id" | "columns.title" | "quote" | "keepColumns";

/**
 * Base class of every error pmpo raises on purpose; `code` is stable, `hint` says what to do in
 * the library's terms (never a CLI flag), `option` names the option the hint is about, if any.
 */
export class PmpoError extends Error {
  readonly code: PmpoErrorCode;
  readonly hint: string | undefined;
  readonly option: PmpoErrorOption | undefined;
  constructor(code: PmpoErrorCode, message: string, hint?: string, option?: PmpoErrorOption) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
    this.option = option;
  }
  /** One line for a terminal: message, then the hint when there is one. */
  toLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** Bad command-line use or an unreadable/unwritable path (exit code 2). */
export class UsageError extends PmpoError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, hint);
  }
}

/** A file or stream could not be read or written (exit code 2). */
export class IoError extends PmpoError {
  constructor(message: string, hint?: string) {
    super("IO", message, hint);
  }
}

/** Input that cannot be classified: empty, binary, badly encoded (exit code 3). */
export class InputError extends PmpoError {}

/** A model file that fails its schema, its cross-field rules or its format version (exit code 2). */
export class ModelError extends PmpoError {}

/** Training phrases that cannot be trained on (exit code 2). */
export class TrainingDataError extends PmpoError {
  constructor(message: string, hint?: string) {
    super("TRAINING_DATA", message, hint);
  }
}

/** Shortens a received value for an error message so one bad record cannot flood a terminal. */
export function shorten(value: string, max = 60): string {
  const oneLine = value.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** A short reason for a system error (ENOSPC, EACCES, ...) for a one-line message, its code kept. */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ENOSPC") return "no space left on the device (ENOSPC)";
  if (code === "EPIPE") return "the reader has gone (EPIPE)";
  if (code === "EIO") return "input/output error (EIO)";
  return (error as Error).message;
}
