import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync } from "node:fs";
import { ROOT } from "./paths.js";

/** Path of the built CLI entry; `npm test` builds before vitest runs. */
export const BIN = `${ROOT}bin/pmpo.js`;

/** Fails early with a clear message when the CLI has not been built. */
export function assertBuilt(): void {
  if (!existsSync(`${ROOT}dist/cli/bundle.js`)) throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
}

/** Runs the real CLI process and returns its stdout, stderr and exit code. */
export function runCli(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string | undefined>; cwd?: string } = {},
): { stdout: string; stderr: string; status: number | null } {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? "",
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
