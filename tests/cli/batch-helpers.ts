import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { ROOT, spawnCli } from "../helpers/cli.js";

// Checks of batch runs. The CLI itself is run by tests/helpers/cli.ts, the one helper for that.

/** The shared corpus of malformed CSV files, beside the repository. */
export const BADINPUT = join(ROOT, "../shared/badinput");

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with `args` (as `spawnCli`, with NO_COLOR set), optionally feeding `stdin`, and checks that any summary it printed adds up. */
export async function pmpo(args: readonly string[], options: { stdin?: Buffer | string; cwd?: string } = {}): Promise<Ran> {
  const run = await spawnCli(args, { input: options.stdin ?? "", env: { NO_COLOR: "1" }, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
  const ran = { code: run.status, stdout: run.stdout, stderr: run.stderr };
  expectSummaryAddsUp(ran);
  return ran;
}

/** The accounting invariant on every run that printed a summary (text or JSON): read = scored + rejected. */
export function expectSummaryAddsUp(ran: Ran): void {
  for (const line of ran.stderr.split("\n")) {
    const text = /^pmpo: (\d+) records read: (\d+) scored, (\d+) rejected/.exec(line);
    if (text) expect(Number(text[1])).toBe(Number(text[2]) + Number(text[3]));
    if (line.startsWith('{"file":')) {
      const json = JSON.parse(line) as { read: number; scored: number; rejected: number };
      expect(json.read).toBe(json.scored + json.rejected);
    }
  }
}

/** No stack trace and no internal error on stderr. */
export function expectNoCrash(ran: Ran): void {
  expect(ran.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  expect([0, 1, 2, 3]).toContain(ran.code);
}

/**
 * For a finished run (exit 0 or 1) with `--summary --rejects FILE` and CSV output: the JSON
 * summary adds up, the output rows and the rejects file hold every record number 1..read exactly
 * once, and the exit code says whether anything was rejected.
 */
export function expectEveryRecordAccounted(ran: Ran, rejectsPath: string): { read: number; scored: number; rejected: number } {
  const summaryLine = ran.stderr.trimEnd().split("\n").at(-1) ?? "";
  const summary = JSON.parse(summaryLine) as { read: number; scored: number; rejected: number; rejects: Record<string, number> };
  expect(summary.read).toBe(summary.scored + summary.rejected);
  const rows = ran.stdout === "" ? [] : (parse(ran.stdout, { columns: true }) as Array<{ record: string; line: string }>);
  expect(rows).toHaveLength(summary.scored);
  const rejects = readFileSync(rejectsPath, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { record: number; line: number; code: string });
  expect(rejects).toHaveLength(summary.rejected);
  const numbers = [...rows.map((r) => Number(r.record)), ...rejects.map((r) => r.record)].sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: summary.read }, (_, i) => i + 1));
  // Output rows are in input order.
  const order = rows.map((r) => Number(r.record));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(ran.code).toBe(summary.rejected > 0 ? 1 : 0);
  return summary;
}

/**
 * Resolves once `condition()` holds, checking every 25 ms; fails after `timeoutMs` (generous: a
 * loaded machine is slow, and only a real hang should fail). For tests that must wait for an
 * event (a file's content, a line of output) instead of sleeping a fixed time.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Fails when a device file a test wrote to is no longer a character device (an output that
 * was renamed onto it), restoring it first when running as root, so that a regression cannot
 * leave the machine without /dev/full or /dev/null.
 */
export function expectDevicesIntact(): void {
  const devices: Array<[string, number, number]> = [
    ["/dev/null", 1, 3],
    ["/dev/full", 1, 7],
  ];
  const broken: string[] = [];
  for (const [path, major, minor] of devices) {
    if (existsSync(path) && lstatSync(path).isCharacterDevice()) continue;
    broken.push(path);
    if (process.getuid?.() === 0) {
      rmSync(path, { force: true });
      spawnSync("mknod", ["-m", "666", path, "c", String(major), String(minor)]);
    }
  }
  expect(broken, "device files replaced by an output (restored when root)").toEqual([]);
}
