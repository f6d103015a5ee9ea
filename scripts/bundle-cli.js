// Bundles the compiled CLI into one file, and the scoring worker into one file in place. Node's
// ESM loader pays per module file, and the CLI loads about a hundred (zod alone is dozens): one
// file starts in about 2.6× bare Node instead of 3.5× (npm run bench prints both). Each batch
// worker thread loads its script the same way; bundled, `pmpo batch --workers 2` on a small file
// starts in 0.26 s instead of 0.31 s. The rest of the library (dist/index.js) stays unbundled.
import { build } from "esbuild";

const options = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // natural is CommonJS; its require calls need a require in an ES module.
  banner: { js: "import { createRequire as __pmpoRequire } from 'node:module'; const require = __pmpoRequire(import.meta.url);" },
};

await build({ ...options, entryPoints: ["dist/cli/main.js"], outfile: "dist/cli/bundle.js" });
await build({ ...options, entryPoints: ["dist/batch/score-worker.js"], outfile: "dist/batch/score-worker.js", allowOverwrite: true });
