// The server stays out of the library's import path: importing pmpo (dist/index.js) reaches no
// module of the server (whose built app holds fastify, inlined at build time), and the CLI bundle
// does not hold it either (serve imports it when it runs).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

// Static imports and import() of the built files, minified or not; only pmpo's own (relative) ones are followed.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** Every built pmpo file `entry` reaches through relative imports, itself included. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) visit(resolve(dirname(file), m[1]!));
  };
  visit(entry);
  return seen;
}

/** Imports `module` in a fresh Node and lists the CommonJS modules it loaded from node_modules. */
function loadedPackages(module: string): string[] {
  const script = `
    import { createRequire } from "node:module";
    await import(${JSON.stringify(module)});
    const cache = createRequire(import.meta.url).cache;
    const names = new Set(Object.keys(cache).map((p) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean));
    console.log(JSON.stringify([...names].sort()));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" })) as string[];
}

describe("what importing pmpo loads", () => {
  beforeAll(() => assertBuilt());
  const app = `${ROOT}dist/serve/app.js`;

  it("import { classify } from \"pmpo\" reaches no module of the server and loads no HTTP framework", () => {
    const files = [...reachable(`${ROOT}dist/index.js`)];
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => f.includes(`${ROOT}dist/serve/`))).toEqual([]);
    expect(loadedPackages(`${ROOT}dist/index.js`).filter((name) => /fastify|avvio|find-my-way|light-my-request|pino/.test(name))).toEqual([]);
  });

  it("the walk does find the server's app from the server module, and the app holds fastify itself", () => {
    expect(reachable(`${ROOT}dist/serve/server.js`)).toContain(app);
    const built = readFileSync(app, "utf8");
    expect(built).toMatch(/fastify/i);
    expect(built).not.toMatch(/from\s*["']fastify["']|require\(["']fastify["']\)/);
  });

  it("the CLI bundle leaves the server to its own module", () => {
    const bundle = readFileSync(`${ROOT}dist/cli/bundle.js`, "utf8");
    expect(bundle).not.toMatch(/from "fastify"|require\("fastify"\)|node_modules\/fastify/);
    expect(bundle).toContain("../serve/server.js");
  });
});
