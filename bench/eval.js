// `npm run eval`: measures the built pmpo, and both baselines, on the real job ads in
// ../shared/jobads/ (gold labels and titles, role names masked). Extra arguments are passed on:
//   npm run eval -- --misses 10
//   npm run eval -- --format json > eval.json
// Without extra arguments it first runs bench/tune.js: the out-of-fold figures (folds grouped by
// source_repo) are the headline, since they say what users get on ads nobody tuned to.
// Without ../shared (a fresh clone elsewhere) it says so and succeeds.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const data = "../shared/jobads/jobads.csv";

if (!existsSync(new URL(`../${data}`, import.meta.url))) {
  console.log(`eval: skipped: ${data} is absent (it lives beside the repository, in ../shared)`);
  process.exit(0);
}

if (process.argv.length === 2) {
  const tune = spawnSync(process.execPath, ["bench/tune.js"], { cwd: root, stdio: "inherit" });
  if (tune.status !== 0) process.exit(tune.status ?? 2);
  console.log("\nIn-sample, with the shipped model and values (chosen on all of these ads, so optimistic):\n");
}
const args = ["bin/pmpo.js", "evaluate", data, "--label-column", "gold_label", "--title-column", "title", ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
if (run.error) {
  console.error(`eval: could not run pmpo: ${run.error.message}`);
  process.exit(2);
}
process.exit(run.status ?? 2);
