import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { loadDefaultModel } from "../../src/model/io.js";
import { buildApp, SECURITY_HEADERS, type AppOptions } from "../../src/serve/app.js";
import { BIN } from "../helpers/cli.js";
import { fixture, ROOT } from "../helpers/paths.js";

/** The app with the shipped model and `options`; close it after. */
export function testApp(options: Partial<AppOptions> = {}): FastifyInstance {
  return buildApp({ model: loadDefaultModel(), ...options });
}

/**
 * The built app (dist/serve/app.js) with `options`: worker threads run the built JavaScript
 * (dist/batch/score-worker.js), so tests with workers build the app from dist too.
 */
export async function builtApp(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const { buildApp: buildBuilt } = (await import(fixture("../dist/serve/app.js"))) as typeof import("../../src/serve/app.js");
  return buildBuilt({ model: loadDefaultModel(), ...options });
}

/** The app listening on 127.0.0.1 and a free port, and its base URL. */
export async function listening(options: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; url: string; port: number }> {
  const app = testApp(options);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, port };
}

/** The text of a fixture file. */
export const fixtureText = (...parts: string[]) => readFileSync(fixture(...parts), "utf8");

/** The listings fixture with 3 scored records and 3 rejects. */
export const LISTINGS = fixture("serve", "listings-with-rejects.csv");

/** Asserts a response carries every security header. */
export function expectSecurityHeaders(headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers[name], name).toBe(value);
}

/** Parses an error body and checks its shape: exactly {error: {code, message}}, no stack. */
export function errorOf(body: string): { code: string; message: string } {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(Object.keys(parsed.error).sort()).toEqual(["code", "message"]);
  expect(body).not.toMatch(/\n\s+at /);
  return parsed.error;
}

/** NDJSON lines as values. */
export function ndjson(body: string): Array<Record<string, unknown>> {
  expect(body.endsWith("\n")).toBe(true);
  return body
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A running `pmpo serve` process. */
export interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];

/** Starts `pmpo serve` with `args` (and `env` over this process's environment) and resolves once it prints its listening line. */
export function serve(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, "serve", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
  children.push(child);
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /^pmpo serve: listening on (http:\/\/\S+) \(Ctrl-C to stop\)\n$/m.exec(out);
      if (match) resolve({ child, url: match[1] as string, stdout: () => out, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`pmpo serve exited ${code} before listening: ${err}`)));
  });
}

/**
 * Runs `pmpo serve` with `args` that it should refuse, to its end. A server that starts anyway is
 * stopped at its listening line, so the test fails on its output instead of waiting for it.
 */
export function refusedServe(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, "serve", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("pmpo serve: listening on")) child.kill("SIGKILL");
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout: out, stderr: err })));
}

/** Kills every server `serve` started that is still running. */
export function stopAll(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}
