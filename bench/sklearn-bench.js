// Library classify against scikit-learn's TfidfVectorizer(1–2 grams) + LogisticRegression
// predict_proba on the same ads, each on one core, side by side in one run (CPU time, medians of
// three rounds). The Python side is fitted on pmpo's own phrases (models/phrases.csv) and runs
// with Debian's python3-sklearn; without it the comparison is skipped with a message.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { classify, loadDefaultModel } from "../dist/index.js";
import { benchAds } from "./classify-bench.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PYTHON = "/usr/bin/python3";
const quick = process.env.BENCH_QUICK === "1";
const seconds = quick ? 1 : 3;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One thread for BLAS and OpenMP too: the comparison is per core.
const ONE_THREAD = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

function sklearnAvailable() {
  const probe = spawnSync(PYTHON, ["-c", "import sklearn; print(sklearn.__version__)"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function pmpoRate(ads, model) {
  for (let i = 0; i < 200; i++) classify(ads[i % ads.length], { model });
  let count = 0;
  const start = process.cpuUsage();
  const used = () => { const u = process.cpuUsage(start); return (u.user + u.system) / 1e6; };
  while (used() < seconds) {
    classify(ads[count % ads.length], { model });
    count++;
  }
  return count / used();
}

function sklearnRates(adsFile) {
  const run = spawnSync(PYTHON, [join(ROOT, "bench/sklearn_predict.py"), join(ROOT, "models/phrases.csv"), adsFile, String(seconds)], {
    encoding: "utf8",
    env: { ...process.env, ...ONE_THREAD },
  });
  if (run.status !== 0) throw new Error(`sklearn_predict.py exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

export function benchSklearn() {
  const version = sklearnAvailable();
  if (version === null) {
    console.log(`scikit-learn comparison skipped: ${PYTHON} with scikit-learn not found (Debian: apt-get install python3-sklearn)`);
    return;
  }
  const model = loadDefaultModel();
  const { ads, meanBytes } = benchAds();
  const dir = mkdtempSync(join(tmpdir(), "pmpo-sklearn-"));
  try {
    const adsFile = join(dir, "ads.json");
    writeFileSync(adsFile, JSON.stringify(ads));
    const pmpo = [];
    const batched = [];
    const oneByOne = [];
    // Interleaved, so that machine noise falls on both sides alike.
    for (let round = 0; round < 3; round++) {
      pmpo.push(pmpoRate(ads, model));
      const rates = sklearnRates(adsFile);
      batched.push(rates.batched);
      oneByOne.push(rates.oneByOne);
    }
    const p = median(pmpo);
    const b = median(batched);
    const o = median(oneByOne);
    console.log(
      `library classify vs scikit-learn ${version} TF-IDF (1–2 grams) + LogisticRegression predict_proba, one core, ${ads.length} ads of ${(meanBytes / 1024).toFixed(1)} KB: ` +
        `pmpo ${Math.round(p)} ads/s; scikit-learn ${Math.round(b)} ads/s transforming all ads in one call (${(p / b).toFixed(2)}×; goal ≥ 2.5×), ` +
        `${Math.round(o)} ads/s one ad per call (${(p / o).toFixed(2)}×)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchSklearn();
