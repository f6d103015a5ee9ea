import type { Readable, Writable } from "node:stream";

/** Everything the CLI touches of its process, passed in so tests can run it in-process. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Registers a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt: (handler: () => void) => () => void;
}

/** Exit codes: 0 all done, 1 finished with rejected records, 2 usage or I/O, 3 input that cannot be classified. */
export const EXIT = { ok: 0, rejected: 1, usage: 2, input: 3, interrupted: 130 } as const;

/** Whether to colour output for this stream: NO_COLOR wins, then FORCE_COLOR, then the terminal. */
export function useColor(stream: CliIo["stdout"], env: CliIo["env"]): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

/** Writes to a stream and resolves when it is flushed (or the reader has gone: EPIPE is not an error). */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
