// The package as a user installs it: what `npm pack` puts in the tarball, what it declares it
// needs at run time, and whether the installed copy loads, from `require` too, with no natural.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";

/** The installed footprint this package keeps under: its own files plus its runtime dependencies, in MiB as `du` counts them. */
const INSTALLED_LIMIT_MIB = 15;
/** Packages pmpo may need at run time; anything else (natural above all) must be bundled or dropped. */
const RUNTIME_DEPENDENCIES = ["commander", "csv-parse", "zod"];

interface PackedFile {
  path: string;
  size: number;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

// Space a file takes on a disk with 4 KiB blocks, as `du` counts it.
const onDisk = (bytes: number) => Math.ceil(bytes / 4096) * 4096;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** A dependency and every package it depends on, as npm would install them (read from this checkout's node_modules). */
function withDependencies(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
  };
  names.forEach(visit);
  return [...seen].sort();
}

let work: string;
let app: string;
let packed: { filename: string; files: PackedFile[]; unpackedSize: number };

beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), "pmpo-package-"));
  // --ignore-scripts: npm test has built dist already; prepare would build it again.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  packed = (JSON.parse(out) as Array<typeof packed>)[0]!;
  // The installed package, by hand: the tarball unpacked into node_modules/pmpo and, beside it,
  // only the declared runtime dependencies (linked from this checkout), so natural is absent.
  app = join(work, "app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  writeFileSync(join(app, "package.json"), '{ "name": "consumer", "private": true }\n');
  execFileSync("tar", ["-xzf", join(work, packed.filename), "-C", join(app, "node_modules")]);
  execFileSync("mv", [join(app, "node_modules", "package"), join(app, "node_modules", "pmpo")]);
  for (const name of withDependencies(Object.keys(pkg.dependencies ?? {}))) {
    mkdirSync(join(app, "node_modules", name, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(app, "node_modules", name), "dir");
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Ads whose labels the golden tests pin. */
const PO_AD = join(ROOT, "fixtures/ads/fedex-logistics-po.txt");

const node = (args: string[], input = "") => spawnSync(process.execPath, args, { cwd: app, input, encoding: "utf8" });

describe("the packed tarball", () => {
  it("ships the licence, the third-party notices and no source maps or sources", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("LICENSE");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} pmpo contributors\n/);
    expect(paths).toContain("dist/THIRD_PARTY_NOTICES.md");
    expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
    expect(paths.filter((p) => !/^(dist|bin|models)\/|^(LICENSE|README\.md|package\.json)$/.test(p))).toEqual([]);
    // No shipped file points at a map it does not ship.
    const pointing = paths.filter((p) => p.endsWith(".js") && readFileSync(join(app, "node_modules/pmpo", p), "utf8").includes("sourceMappingURL"));
    expect(pointing).toEqual([]);
  });

  it("names natural and every other bundled package, with its licence text, in the notices", () => {
    const notices = readFileSync(join(app, "node_modules/pmpo/dist/THIRD_PARTY_NOTICES.md"), "utf8");
    expect(notices).toMatch(/^## natural \d+\.\d+\.\d+ \(MIT\)$/m);
    expect(notices).toContain("Copyright (c) 2011, Chris Umbel");
    for (const name of ["apparatus", "sylvester"]) expect(notices).toMatch(new RegExp(`^## ${name} `, "m"));
  });

  it.each(["natural", "fastify"])("imports %s nowhere: its modules are inlined into dist", (name) => {
    const js = packed.files.filter((f) => f.path.endsWith(".js")).map((f) => f.path);
    const pattern = new RegExp(`(?:from\\s*|require\\(\\s*|import\\(\\s*)["']${name}(?:\\/|["'])`);
    const importing = js.filter((p) => pattern.test(readFileSync(join(app, "node_modules/pmpo", p), "utf8")));
    expect(importing).toEqual([]);
  });

  it(`declares only ${RUNTIME_DEPENDENCIES.join(", ")} at run time, natural at build time`, () => {
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
    expect(Object.keys(pkg.devDependencies ?? {})).toContain("natural");
  });

  it(`installs in under ${INSTALLED_LIMIT_MIB} MiB: the package's files plus its runtime dependencies`, () => {
    const own = packed.files.reduce((sum, f) => sum + onDisk(f.size), 0);
    const deps = withDependencies(Object.keys(pkg.dependencies ?? {}));
    const theirs = deps.reduce((sum, name) => sum + filesUnder(join(ROOT, "node_modules", name)).reduce((s, f) => s + onDisk(statSync(f).size), 0), 0);
    const mib = (own + theirs) / 2 ** 20;
    expect(mib, `pmpo ${(own / 2 ** 20).toFixed(1)} MiB + ${deps.join(", ")} ${(theirs / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(INSTALLED_LIMIT_MIB);
  });
});

describe("the installed package, with natural absent", () => {
  it("really has no natural to fall back on", () => {
    const probe = node(["-e", 'try { require.resolve("natural"); console.log("found") } catch { console.log("absent") }']);
    expect(probe.stdout).toBe("absent\n");
  });

  it("loads from a CommonJS file with require and classifies, renders and scores a CSV (with a worker thread too)", () => {
    writeFileSync(
      join(app, "consumer.cjs"),
      `const pmpo = require("pmpo");
const { readFileSync } = require("node:fs");
const { Readable } = require("node:stream");
const model = pmpo.loadDefaultModel();
const text = readFileSync(${JSON.stringify(PO_AD)}, "utf8");
const result = pmpo.classify(text, { model });
const csv = "id,description\\n1," + JSON.stringify(text) + "\\n";
(async () => {
  const labels = [];
  // Once in this thread, once with a worker thread (its script is found beside the library's files).
  for (const workers of [1, 2]) {
    for await (const event of pmpo.scoreRecords(Readable.from([Buffer.from(csv)]), { model, workers })) if (event.kind === "scored") labels.push(event.result.label);
  }
  console.log(JSON.stringify({
    label: result.label,
    batch: labels,
    text: pmpo.renderText(text, result, { color: false }).includes("[PO:"),
    markdown: pmpo.renderMarkdown(text, result).startsWith("### pmpo: product-owner-leaning"),
    html: pmpo.renderHtml(text, result).startsWith("<!DOCTYPE html>"),
  }));
})();
`,
    );
    const ran = node(["consumer.cjs"]);
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ label: "product-owner-leaning", batch: ["product-owner-leaning", "product-owner-leaning"], text: true, markdown: true, html: true });
  });

  it("loads from an ES module with import", () => {
    const ran = node(["--input-type=module", "-e", 'import { classify, loadDefaultModel } from "pmpo"; console.log(classify("Own the product roadmap and the product vision.", { model: loadDefaultModel() }).model.name);']);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/^\S+\n$/);
  });

  it("classifies without loading zod, and loads it when a schema is first needed", () => {
    // zod is loaded by require (see src/zod.ts), so require.cache shows whether it was.
    const script = `import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { classify, loadDefaultModel, loadModel, serialiseModel } from "pmpo";
const zodLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("/node_modules/zod/"));
const model = loadDefaultModel();
const label = classify(readFileSync(${JSON.stringify(PO_AD)}, "utf8"), { model }).label;
const before = zodLoaded();
writeFileSync("copy.json", serialiseModel(model));
const reloaded = loadModel("copy.json").name === model.name;
console.log(JSON.stringify({ label, before, reloaded, after: zodLoaded() }));`;
    const ran = node(["--input-type=module", "-e", script]);
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ label: "product-owner-leaning", before: false, reloaded: true, after: true });
  });

  it("exports the zod schemas from pmpo/schemas, and they check what the library makes", () => {
    const script = `import { classify, loadDefaultModel } from "pmpo";
import { classificationSchema, modelSchema, classifyOptionsSchema, evaluationReportSchema } from "pmpo/schemas";
const model = loadDefaultModel();
const result = classify("Set the product vision and own the roadmap.", { model });
console.log(JSON.stringify({
  result: classificationSchema.safeParse(result).success,
  model: modelSchema.safeParse(model).success,
  options: classifyOptionsSchema.safeParse({ model, topPhrases: 101 }).success,
  report: typeof evaluationReportSchema.safeParse,
}));`;
    const ran = node(["--input-type=module", "-e", script]);
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ result: true, model: true, options: false, report: "function" });
  });

  it("runs the CLI: classify, batch with a worker thread, and evaluate with the Bayes baseline", () => {
    const bin = join(app, "node_modules/pmpo/bin/pmpo.js");
    const classify = node([bin, "classify", "--format", "json", PO_AD]);
    expect(classify.stderr).toBe("");
    expect(JSON.parse(classify.stdout).label).toBe("product-owner-leaning");

    const csv = join(work, "ads.csv");
    writeFileSync(csv, 'id,description\n1,"Own and order the product backlog and write user stories."\n2,"Set the product vision and strategy, own the roadmap and run market research."\n');
    const batch = node([bin, "batch", csv, "--workers", "2", "--format", "jsonl"]);
    expect(batch.status).toBe(0);
    expect(batch.stdout.trim().split("\n").map((line) => JSON.parse(line).id)).toEqual(["1", "2"]);

    const evaluate = node([bin, "evaluate", "--phrases", join(ROOT, "fixtures/eval/phrases-small.csv"), "--settings", join(ROOT, "fixtures/eval/settings.json"), "--folds", "2", "--format", "json"]);
    expect(evaluate.stderr).toBe("");
    expect(evaluate.status).toBe(0);
    expect(JSON.stringify(JSON.parse(evaluate.stdout))).toContain("bayes");
  });

  it("serves: pmpo serve answers /healthz and /api/classify with fastify absent", async () => {
    const bin = join(app, "node_modules/pmpo/bin/pmpo.js");
    const server = spawn(process.execPath, [bin, "serve", "--port", "0"], { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = "";
        server.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) done(match[1]!);
        });
        server.on("exit", (code) => fail(new Error(`pmpo serve exited ${code} before listening`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const answer = await fetch(`${url}/api/classify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: readFileSync(PO_AD, "utf8") }) });
      expect(((await answer.json()) as { label: string }).label).toBe("product-owner-leaning");
    } finally {
      server.kill("SIGTERM");
    }
  });
});
