// `pmpo serve` under load, with autocannon on loopback: requests/s and p50/p99 latency of
// POST /api/classify with a 3 KB ad at 1 and at 50 keep-alive connections, next to the
// library's in-process rate on one core; the server's memory over many requests; and how long
// GET /healthz waits while the server classifies 1 MB ads, with and without worker threads.
// The server is its own process (`pmpo serve --port 0`), as users run it. Prints figures; asserts nothing.
//
//   node bench/serve-bench.js          BENCH_QUICK=1 for shorter runs; BENCH_SERVE_REQUESTS=100000 for the memory run's count
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { classify, loadDefaultModel } from "../dist/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const quick = process.env.BENCH_QUICK === "1";
const memoryRequests = Number(process.env.BENCH_SERVE_REQUESTS ?? (quick ? 5000 : 20000));

// A 3 KB ad: a fixture cut at 3,072 bytes (all ASCII).
const AD = readFileSync(`${ROOT}fixtures/ads/snap-payments-pm.txt`, "utf8").slice(0, 3072);
const BODY = JSON.stringify({ text: AD, title: "Product Manager" });

function inProcessRate() {
  const model = loadDefaultModel();
  for (let i = 0; i < 200; i++) classify(AD, { model, title: "Product Manager" });
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < (quick ? 1000 : 3000)) {
    classify(AD, { model, title: "Product Manager" });
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

function startServer(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}bin/pmpo.js`, "serve", "--port", "0", ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`pmpo serve exited ${code}`)));
  });
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.removeAllListeners("exit");
    server.child.once("exit", resolve);
    server.child.kill("SIGTERM");
  });
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function load(url, options) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body: BODY, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function line(result, connections) {
  const errors = result.errors + result.timeouts + result.non2xx;
  return `${connections} connection${connections === 1 ? "" : "s"}: ${Math.round(result.requests.average).toLocaleString("en-US")} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${errors} errors`;
}

const rate = inProcessRate();
console.log(`library classify of the 3 KB ad in this process: ${Math.round(rate)} ads/s on one core`);

const server = await startServer();
try {
  const url = `${server.url}/api/classify`;
  await load(url, { connections: 4, duration: 1 }); // warm-up
  const one = await load(url, { connections: 1, duration: quick ? 3 : 8 });
  console.log(`POST /api/classify (3 KB ad, keep-alive, loopback), ${line(one, 1)}`);
  const fifty = await load(url, { connections: 50, duration: quick ? 4 : 10 });
  // Other work on the machine moves both rates: the in-process rate is measured again right after, and the higher one is the reference.
  const rateAfter = inProcessRate();
  const reference = Math.max(rate, rateAfter);
  console.log(
    `POST /api/classify, ${line(fifty, 50)}; ${(fifty.requests.average / reference).toFixed(2)}× the in-process rate (${Math.round(rate)} before, ${Math.round(rateAfter)} ads/s after; goal ≥ 0.6×, p99 < 50 ms, 0 errors)`,
  );

  const before = rssMiB(server.child.pid);
  const started = performance.now();
  const many = await load(url, { connections: 50, amount: memoryRequests });
  const after = rssMiB(server.child.pid);
  const errors = many.errors + many.timeouts + many.non2xx;
  console.log(
    `memory over ${memoryRequests.toLocaleString("en-US")} more requests: server RSS ${before.toFixed(0)} MiB before, ${after.toFixed(0)} MiB after (${((performance.now() - started) / 1000).toFixed(0)} s, ${errors} errors)`,
  );
} finally {
  await stop(server);
}

/** GET /healthz latency at 1 connection for `seconds` while `work` keeps the server busy. */
async function healthWhile(url, seconds, work) {
  let busy = true;
  let done = 0;
  const running = (async () => {
    while (busy) {
      await work();
      done++;
    }
  })();
  const health = await new Promise((resolve, reject) =>
    autocannon({ url: `${url}/healthz`, connections: 1, duration: seconds }, (error, result) => (error ? reject(error) : resolve(result))),
  );
  busy = false;
  await running;
  return { health, done };
}

// A 1 MB ad takes the server's thread for most of a second; with workers it goes to a worker thread.
const BIG = JSON.stringify({ text: readFileSync(`${ROOT}fixtures/ads/hybrid-startup-pm-po.txt`, "utf8").repeat(360) });
// A batch of 3,000 ads streamed back as NDJSON: with --workers 2 the reading thread still helps
// score whenever the worker has 16 batches queued, as in pmpo batch.
const ROWS = `id,description\n${Array.from({ length: 3000 }, (_, i) => `${i},"${AD.slice(0, 1500).replace(/"/g, '""')}"`).join("\n")}\n`;
for (const workers of ["1", "2"]) {
  const s = await startServer(["--workers", workers]);
  try {
    const seconds = quick ? 3 : 6;
    const big = await healthWhile(s.url, seconds, () =>
      fetch(`${s.url}/api/classify`, { method: "POST", headers: { "content-type": "application/json" }, body: BIG }).then((r) => r.arrayBuffer()),
    );
    console.log(`GET /healthz while 1 MB ads are classified back to back (--workers ${workers}): p50 ${big.health.latency.p50} ms, p99 ${big.health.latency.p99} ms, max ${big.health.latency.max} ms; ${big.done} large ads done`);
    const batch = await healthWhile(s.url, seconds, () =>
      fetch(`${s.url}/api/batch`, { method: "POST", headers: { "content-type": "text/csv" }, body: ROWS }).then((r) => r.arrayBuffer()),
    );
    console.log(`GET /healthz while 3,000-ad batches stream back to back (--workers ${workers}): p50 ${batch.health.latency.p50} ms, p99 ${batch.health.latency.p99} ms, max ${batch.health.latency.max} ms; ${batch.done} batches done`);
  } finally {
    await stop(s);
  }
}
