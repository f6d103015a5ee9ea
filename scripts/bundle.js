// Build step after tsc. Three jobs (the first: the shipped model's hash, see below):
//
// 1. Bundles the compiled CLI into one file, the library's entry into another (dist/lib/pmpo.js),
//    and the scoring worker into one file in place. Node's ESM loader pays per module file, and
//    the CLI loads about a hundred: one file starts in about 2.6× bare Node instead of 3.5× (npm
//    run bench prints it; zod, not bundled and loaded only when a schema is needed, is no longer
//    part of that since this build: about 2.1×). Each batch
//    worker thread loads its script the same way; bundled, `pmpo batch --workers 2` on a small file
//    starts in 0.26 s instead of 0.31 s. The library's other files stay unbundled beside it (the
//    server loads them, and pmpo/schemas).
//
// 2. Inlines the few natural modules pmpo uses (the Porter and Snowball stemmers, the
//    stopword lists, the Bayes classifier of the evaluation baseline) into the library files that
//    import them, so the package needs no natural at run time. natural declares database drivers
//    (mongoose, pg, redis) and WordNet's 34 MB database as dependencies, which pmpo never loads:
//    with natural as a dependency an install was 90 MB, without it about 14 MB. natural stays a
//    devDependency and the source of truth; dist/THIRD_PARTY_NOTICES.md carries the licence of
//    every package whose code is bundled into dist, written from esbuild's own list of inputs.
import { build } from "esbuild";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

// natural's German stemmer requires all of stopwords-iso and reads its German list only: every
// bundle gets that list alone (see scripts/stopwords-iso-de.js).
const germanStopwordsOnly = {
  name: "stopwords-iso-german-only",
  setup(b) {
    b.onResolve({ filter: /^stopwords-iso$/ }, () => ({ path: fileURLToPath(new URL("./stopwords-iso-de.js", import.meta.url)) }));
  },
};

const options = {
  plugins: [germanStopwordsOnly],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  metafile: true,
  // natural is CommonJS; its require calls need a require in an ES module.
  banner: { js: "import { createRequire as __pmpoRequire } from 'node:module'; const require = __pmpoRequire(import.meta.url);" },
};

// The shipped model is validated here, once, and its hash written into the built
// dist/model/shipped-model.js (before the bundles inline it): at run time a file with that hash is
// trusted without the schema's check, which was most of a CLI call's start-up.
{
  const { validateModel } = await import("../dist/model/validate.js");
  const { sha256 } = await import("../dist/model/io.js");
  const text = readFileSync("models/default.json", "utf8");
  validateModel(JSON.parse(text), "models/default.json");
  const target = "dist/model/shipped-model.js";
  const built = readFileSync(target, "utf8");
  const stamped = built.replace(/VALIDATED_DEFAULT_MODEL_SHA256 = null;/, `VALIDATED_DEFAULT_MODEL_SHA256 = ${JSON.stringify(sha256(text))};`);
  if (stamped === built) throw new Error(`bundle: could not write the shipped model's hash into ${target}`);
  writeFileSync(target, stamped);
}

const metafiles = [];
const run = async (extra) => metafiles.push((await build({ ...options, ...extra })).metafile);

// Whitespace and syntax minified, names kept (an unexpected error's stack still names its
// functions): the two bundles are most of the package's size, and each holds its own copy of the
// natural modules and of the stopword lists natural's German stemmer loads.
const compact = { minifyWhitespace: true, minifySyntax: true, keepNames: true };

await run({ entryPoints: ["dist/cli/main.js"], outfile: "dist/cli/bundle.js", ...compact });
await run({ entryPoints: ["dist/batch/score-worker.js"], outfile: "dist/batch/score-worker.js", allowOverwrite: true, ...compact });

// Library files that import natural: each is bundled in place with natural's modules inlined and
// every other import (pmpo's own files, zod, csv-parse, Node's) left as it was.
const NATURAL_IMPORT = /from\s+["']natural\//;
// A plugin that bundles the packages `inline(name)` picks, with everything they require, and
// leaves every other import (pmpo's own files, the run-time dependencies, Node's) as it was.
const packageName = (path) => (path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]);
const isBare = (path) => !path.startsWith(".") && !path.startsWith("/") && !path.startsWith("node:");
const inlineOnly = (name, inline) => ({
  name,
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      // Inside an inlined package (and what it requires), resolve and bundle as usual.
      if (args.importer.split(sep).includes("node_modules")) return undefined;
      if (isBare(args.path) && inline(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
});
const keepOthersExternal = inlineOnly("inline-natural-only", (name) => name === "natural" || name === "stopwords-iso");
const filesOf = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOf(join(dir, e.name)) : [join(dir, e.name)]));
const importers = filesOf("dist").filter((f) => f.endsWith(".js") && NATURAL_IMPORT.test(readFileSync(f, "utf8")));
for (const file of importers) await run({ entryPoints: [file], outfile: file, allowOverwrite: true, plugins: [germanStopwordsOnly, keepOthersExternal] });
const left = filesOf("dist").filter((f) => f.endsWith(".js") && /["']natural(\/|["'])/.test(readFileSync(f, "utf8")));
if (left.length > 0) throw new Error(`bundle: still importing natural after inlining: ${left.join(", ")}`);

// The library's entry, bundled into one file with every module it imports (zod excepted: it is
// required when a schema is first used, see src/zod.ts). Node's ES module loader pays per file, and
// the entry imports about 60: \`import("pmpo")\` took about 2× bare Node unbundled and takes about
// 1.6× bundled (npm run bench prints it). One level down, like dist/cli/bundle.js, so the paths
// its modules compute from import.meta.url (the models folder, the worker script) still resolve.
// No banner: the files that need a require (those natural was inlined into) already make one.
await run({ entryPoints: ["dist/index.js"], outfile: "dist/lib/pmpo.js", ...compact, banner: {} });

// The server's app (dist/serve/app.js, loaded only by `pmpo serve`) is bundled in place with
// fastify and its dependencies inlined, and everything else (pmpo's own files, zod, Node's) left
// as it was: fastify is then a build-time dependency, and installing pmpo does not bring its 47
// packages (about 14 MB) for a command many users never run. Minified: it is read only once, by a
// long-running process.
const RUNTIME_PACKAGES = new Set(Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies));
const inlineServerPackages = inlineOnly("inline-server-packages", (name) => !RUNTIME_PACKAGES.has(name));
await run({ entryPoints: ["dist/serve/app.js"], outfile: "dist/serve/app.js", allowOverwrite: true, minify: true, keepNames: true, plugins: [inlineServerPackages] });
const serverLeft = filesOf("dist").filter((f) => f.endsWith(".js") && /from\s*["'](fastify|@fastify\/)/.test(readFileSync(f, "utf8")));
if (serverLeft.length > 0) throw new Error(`bundle: still importing fastify after inlining: ${serverLeft.join(", ")}`);

// Packages that declare a licence in package.json but ship no licence file: their notice, from
// what they declare (checked by hand against the package).
const mit = (holder) =>
  `MIT License\n\nCopyright (c) ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n\n(The package ships no licence file; this is the MIT licence its package.json declares.)`;
const NOTICES_BY_HAND = {
  "abstract-logging": mit("James Sumners"),
  // Its README names no licence; its package.json declares MIT, with Gene Diaz as author.
  "stopwords-iso": mit("Gene Diaz"),
};

// Every package with code in a bundle, found from the inputs esbuild read.
const packages = new Map();
for (const metafile of metafiles) {
  for (const input of Object.keys(metafile.inputs)) {
    const parts = input.split("/");
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) continue;
    const name = parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
    packages.set(name, parts.slice(0, at + 1).join("/") + "/" + name);
  }
}
let notices =
  "# Third-party notices\n\nThe files in `dist/` bundle code from the packages below (esbuild inlined them at build time).\n" +
  "Each is listed with its version, licence and the licence text it ships.\n";
for (const name of [...packages.keys()].sort()) {
  const dir = packages.get(name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = licenceFile ? readFileSync(join(dir, licenceFile), "utf8").trim() : NOTICES_BY_HAND[name];
  if (!text) throw new Error(`bundle: ${name} is bundled into dist but ships no licence file; add its notice to NOTICES_BY_HAND`);
  notices += `\n## ${name} ${pkg.version} (${pkg.license ?? "see the licence text"})\n\n\`\`\`\n${text}\n\`\`\`\n`;
}
writeFileSync("dist/THIRD_PARTY_NOTICES.md", notices);
if (!existsSync("dist/THIRD_PARTY_NOTICES.md")) throw new Error("bundle: notices not written");
console.log(`bundle: natural inlined into ${importers.map((f) => relative("dist", f)).join(", ")}; notices for ${packages.size} packages`);
