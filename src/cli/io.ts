import { describeSystemError, IoError } from "../errors.js";
import type { Readable, Writable } from "node:stream";

/** Everything the CLI touches of its process, passed in so tests can run it in-process. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Threads this run may use (`--workers auto`); default: the machine's (`os.availableParallelism()`). */
  cores?: number;
  /** Registers a handler for Ctrl-C (SIGINT), SIGTERM and SIGHUP; returns a function that removes it. */
  onInterrupt: (handler: (signal: StopSignal) => void) => () => void;
}

/** The signals that stop a run cleanly. */
export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

/** Exit codes: 0 all done, 1 finished with rejected records, 2 usage or I/O, 3 input that cannot be classified; 128 + the signal's number when stopped by one. */
export const EXIT = { ok: 0, rejected: 1, usage: 2, input: 3, interrupted: 130, terminated: 143, hangup: 129 } as const;

/** The exit code of a run stopped by `signal`: 128 + its number, as a shell reports it. */
export function exitCodeForSignal(signal: StopSignal): number {
  return signal === "SIGTERM" ? EXIT.terminated : signal === "SIGHUP" ? EXIT.hangup : EXIT.interrupted;
}

/** Whether to colour output for this stream: NO_COLOR wins, then FORCE_COLOR, then the terminal. */
export function useColor(stream: CliIo["stdout"], env: CliIo["env"]): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

/** How messages name a stream: standard output and error by their file descriptor. */
export function streamName(stream: Writable): string {
  const fd = (stream as { fd?: unknown }).fd;
  return fd === 1 ? "standard output" : fd === 2 ? "standard error" : "output";
}

/**
 * Writes to a stream and resolves when it is flushed. The reader having gone (EPIPE) is not an
 * error; any other write error (a full disk, /dev/full) rejects with an `IoError` naming the stream.
 */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== "EPIPE") reject(new IoError(`${streamName(stream)}: cannot write: ${describeSystemError(error)}`));
      else resolve();
    });
  });
}
