// Classifier benchmarks: start-up cost of one CLI call against bare Node, library throughput
// on ~4 KB ads, and time per MB on one large ad (linear scaling). Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { classify, loadDefaultModel } from "../dist/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ADS_DIR = `${ROOT}fixtures/ads/`;
const quick = process.env.BENCH_QUICK === "1";

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeCommand(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
    times.push(performance.now() - start);
  }
  return median(times);
}

export function benchStartup() {
  const runs = quick ? 5 : 15;
  // Interleave so machine noise hits both sides alike.
  const bare = [];
  const pmpo = [];
  const imported = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeCommand(["-e", "0"], 1));
    pmpo.push(timeCommand([`${ROOT}bin/pmpo.js`, "classify", `${ADS_DIR}snap-payments-pm.txt`, "--format", "json"], 1));
    // The package by its own name, as a user's code imports it (Node resolves a package's name from inside it).
    imported.push(timeCommand(["-e", 'import("pmpo")'], 1));
  }
  const b = median(bare);
  const p = median(pmpo);
  const m = median(imported);
  console.log(`single-ad CLI classify: ${p.toFixed(1)} ms (median of ${runs}); node -e 0: ${b.toFixed(1)} ms; ratio ${(p / b).toFixed(2)}× (goal ≤ 3×)`);
  console.log(`import("pmpo") in a fresh process: ${m.toFixed(1)} ms; ratio ${(m / b).toFixed(2)}× node -e 0 (goal ≤ 2×)`);
}

// The fixtures of the languages issue (German, Dutch, French, Spanish, and an English ad with a German
// benefits block): measured apart, so the figure on the English fixtures stays comparable.
const OTHER_LANGUAGE = /^(de|nl|fr|es|en)-/;

export function benchThroughput() {
  throughput((f) => !OTHER_LANGUAGE.test(f), "English fixtures");
  throughput((f) => OTHER_LANGUAGE.test(f), "German, Dutch, French and Spanish fixtures and en-pm-german-benefits");
}

/** The ~4 KB ads the throughput figures are measured on (English fixtures by default), and their mean size in bytes. */
export function benchAds(pick = (f) => !OTHER_LANGUAGE.test(f)) {
  const fixtures = readdirSync(ADS_DIR)
    .filter((f) => f.endsWith(".txt") && pick(f))
    .map((f) => readFileSync(ADS_DIR + f, "utf8"));
  // About 4 KB each, the size the goal names: each fixture followed by the next, cut at 4,096.
  const ads = fixtures.map((ad, i) => `${ad}\n\n${fixtures[(i + 1) % fixtures.length]}`.slice(0, 4096));
  return { ads, meanBytes: ads.reduce((s, a) => s + Buffer.byteLength(a), 0) / ads.length };
}

function throughput(pick, what) {
  const model = loadDefaultModel();
  const { ads, meanBytes } = benchAds(pick);
  for (let i = 0; i < 200; i++) classify(ads[i % ads.length], { model }); // warm-up
  const seconds = quick ? 1 : 3;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    classify(ads[count % ads.length], { model });
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(`library classify: ${Math.round(count / elapsed)} ads/s on one core (${ads.length} ads built from the ${what}, mean ${(meanBytes / 1024).toFixed(1)} KB; goal ≥ 2,000 ads/s)`);
}

export function benchLargeAd() {
  const model = loadDefaultModel();
  const unit = readFileSync(`${ADS_DIR}hybrid-startup-pm-po.txt`, "utf8");
  const sizes = quick ? [1, 2, 4] : [5, 10, 20];
  const dir = mkdtempSync(`${tmpdir()}/pmpo-bench-`);
  const rows = [];
  for (const mb of sizes) {
    const text = unit.repeat(Math.ceil((mb * 1024 * 1024) / unit.length));
    writeFileSync(`${dir}/big.txt`, text);
    const start = performance.now();
    classify(text, { model });
    const ms = performance.now() - start;
    rows.push(`${mb} MB: ${(ms / 1000).toFixed(2)} s (${(ms / mb).toFixed(0)} ms/MB)`);
  }
  console.log(`one large ad, library classify: ${rows.join("; ")} — flat ms/MB means linear time`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchStartup();
  benchThroughput();
  benchLargeAd();
}
