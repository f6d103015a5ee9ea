// `npm run bench`: every benchmark in one run, so ratios are measured side by side.
import { existsSync } from "node:fs";
import { benchStartup, benchThroughput, benchLargeAd } from "./classify-bench.js";
import { benchShapes, benchLargeRow } from "./shapes-bench.js";
import { benchSklearn } from "./sklearn-bench.js";

console.log(`pmpo benchmarks on Node ${process.version}${process.env.BENCH_QUICK === "1" ? " (BENCH_QUICK=1: smaller runs)" : ""}`);
console.log("\n== classify ==");
benchStartup();
benchThroughput();
benchLargeAd();
benchSklearn();
console.log("\n== pathological shapes ==");
benchShapes();
await benchLargeRow();
if (existsSync(new URL("./batch-bench.js", import.meta.url))) {
  console.log("\n== batch ==");
  await import("./batch-bench.js");
}
if (existsSync(new URL("./records-bench.js", import.meta.url))) {
  console.log("\n== record accounting on broken input ==");
  await import("./records-bench.js");
}
if (existsSync(new URL("./serve-bench.js", import.meta.url))) {
  console.log("\n== pmpo serve (HTTP on loopback) ==");
  await import("./serve-bench.js");
}
