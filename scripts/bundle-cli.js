// Bundles the compiled CLI into one file. Node's ESM loader pays per module file, and the CLI
// loads about a hundred (zod alone is dozens): one file starts in about 2.6× bare Node instead
// of 3.5× (npm run bench prints both). The library (dist/index.js) stays unbundled.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/main.js"],
  outfile: "dist/cli/bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  // natural is CommonJS; its require calls need a require in an ES module.
  banner: { js: "import { createRequire as __pmpoRequire } from 'node:module'; const require = __pmpoRequire(import.meta.url);" },
});
