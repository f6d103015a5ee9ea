import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from "node:child_process";
import { existsSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import type { CliIo, StopSignal } from "../../src/cli/io.js";
import { run } from "../../src/cli/program.js";
import { ROOT } from "./paths.js";

// The one way tests run the CLI: in-process (`runInProcess`, `makeIo`) where the behaviour
// allows, as a process (`runCli`, `spawnCli`, `startCli`) where the process matters (exit
// codes, signals, pipes, a terminal). Every spawned run uses the built CLI, checked by `assertBuilt`.

export { ROOT };
/** Path of the built CLI entry; `npm test` builds before vitest runs. */
export const BIN = `${ROOT}bin/pmpo.js`;

/** Files of the build that tests run: the CLI bundle, and the worker-thread entry (worker threads run built JavaScript). */
export const BUILT_FILES = ["dist/cli/bundle.js", "dist/batch/score-worker.js"] as const;

/** The one "is it built" check: fails early with a clear message when a built file tests need is missing. */
export function assertBuilt(): void {
  const missing = BUILT_FILES.filter((file) => !existsSync(`${ROOT}${file}`));
  if (missing.length > 0) throw new Error(`${missing.join(" and ")} missing: run \`npm run build\` (npm test does it first)`);
}

/** What a finished run gave. */
export interface CliRun {
  stdout: string;
  stderr: string;
  /** The exit code; null when a signal ended the process. */
  status: number | null;
}

/** Options of a spawned run. */
export interface SpawnOptions {
  input?: string | Buffer;
  /** Merged over this process's environment; undefined removes a variable. NO_COLOR and FORCE_COLOR are removed unless set here. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

function childEnv(extra: SpawnOptions["env"]): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...extra };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
}

/** Runs the real CLI process to its end, synchronously, and returns its stdout, stderr and exit code. */
export function runCli(args: readonly string[], options: SpawnOptions = {}): CliRun {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? "",
    env: childEnv(options.env),
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** Starts the real CLI process with piped stdin, stdout and stderr, for tests that talk to it while it runs (signals, live input). */
export function startCli(args: readonly string[], options: Omit<SpawnOptions, "input"> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs the real CLI process without blocking the test's event loop (so tests can run concurrently) and resolves when it ends. */
export function spawnCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** A writable stream that keeps what is written as text; `onWrite` may fail a write (EPIPE, ENOSPC) by returning an error. */
export class CaptureStream extends Writable {
  text = "";
  isTTY?: boolean;
  columns?: number;
  constructor(private readonly onWrite: (sink: CaptureStream, chunk: string) => Error | null = () => null) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const error = this.onWrite(this, chunk.toString());
    if (!error) this.text += chunk.toString();
    callback(error);
  }
}

/** Options of an in-process run. */
export interface InProcessOptions {
  /** Standard input: text, bytes or a stream (default empty). */
  stdin?: string | Buffer | Readable;
  /** Mark standard input as a terminal. */
  stdinIsTTY?: boolean;
  stdout?: CaptureStream;
  stderr?: CaptureStream;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Threads the run may use for --workers auto (default 1). */
  cores?: number;
}

/** The streams and environment of an in-process run, with a way to send it Ctrl-C (or SIGTERM, SIGHUP). */
export function makeIo(options: InProcessOptions = {}) {
  const handlers: Array<(signal: StopSignal) => void> = [];
  const given = options.stdin ?? "";
  const stdin: Readable & { isTTY?: boolean } = given instanceof Readable ? given : Readable.from([Buffer.from(given)]);
  if (options.stdinIsTTY !== undefined) stdin.isTTY = options.stdinIsTTY;
  const io: CliIo & { stdout: CaptureStream; stderr: CaptureStream } = {
    stdin,
    stdout: options.stdout ?? new CaptureStream(),
    stderr: options.stderr ?? new CaptureStream(),
    env: options.env ?? { NO_COLOR: "1" },
    cwd: options.cwd ?? ROOT,
    // In this process the sources run, and worker threads need the built files: --workers auto
    // stays on this thread unless a test says otherwise.
    cores: options.cores ?? 1,
    onInterrupt: (handler) => {
      handlers.push(handler);
      return () => void handlers.splice(handlers.indexOf(handler), 1);
    },
  };
  return { io, handlers, interrupt: (signal: StopSignal = "SIGINT") => [...handlers].forEach((h) => h(signal)) };
}

/** Runs the CLI in this process (`run` with captured streams) and returns what it wrote and its exit code. */
export async function runInProcess(argv: readonly string[], options: InProcessOptions = {}): Promise<CliRun & { status: number }> {
  const { io } = makeIo(options);
  const status = await run(argv, io);
  return { status, stdout: io.stdout.text, stderr: io.stderr.text };
}
