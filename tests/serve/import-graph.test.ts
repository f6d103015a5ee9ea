// The server stays out of the library's import path: importing pmpo (dist/index.js) loads no
// fastify, and the CLI bundle does not hold it either (serve imports it when it runs).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

/** Imports `module` in a fresh Node and lists the CommonJS modules it loaded from node_modules (fastify is CommonJS). */
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

  it("import { classify } from \"pmpo\" loads no HTTP framework", () => {
    const loaded = loadedPackages(`${ROOT}dist/index.js`);
    expect(loaded).not.toContain("fastify");
    expect(loaded.filter((name) => /fastify|avvio|find-my-way|light-my-request|pino/.test(name))).toEqual([]);
  });

  it("the probe does see fastify when the server module is imported", () => {
    expect(loadedPackages(`${ROOT}dist/serve/app.js`)).toContain("fastify");
  });

  it("the CLI bundle leaves the server to its own module", () => {
    const bundle = readFileSync(`${ROOT}dist/cli/bundle.js`, "utf8");
    expect(bundle).not.toMatch(/from "fastify"|require\("fastify"\)|node_modules\/fastify/);
    expect(bundle).toContain("../serve/server.js");
  });
});
