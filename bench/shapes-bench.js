// Pathological input shapes (issue 13: "time linear in the input, always"). For each shape at
// doubling sizes, classify's time per MB next to a normal ad's at the same size, and the ratio;
// the goal is every shape within 3× of a normal ad per byte. Then one large row through the
// batch reader next to classify of the same text. Prints figures; asserts nothing (timings on a
// shared machine are noisy, so no test depends on them).
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { classify, loadDefaultModel, scoreRecords } from "../dist/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const quick = process.env.BENCH_QUICK === "1";
const GOAL = 3;
// One call slower than this stops the doubling for its shape: the shape is already shown to be slow.
const GIVE_UP_MS = 5000;

const unit = readFileSync(`${ROOT}fixtures/ads/hybrid-startup-pm-po.txt`, "utf8");
const fill = (piece, bytes) => piece.repeat(Math.ceil(bytes / piece.length)).slice(0, bytes);

/** Each shape builds a text of about `n` characters. */
export const SHAPES = {
  "run of digits": (n) => "1".repeat(n),
  "ab + spaces + x:": (n) => `ab${" ".repeat(n)}x:`,
  "<script> repeated": (n) => fill("<script>", n),
  "run of consonants": (n) => "b".repeat(n),
  "<!-- repeated": (n) => fill("<!--", n),
  "unclosed <a repeated": (n) => fill("<a ", n),
  "&a repeated": (n) => fill("&a", n),
  "](x repeated": (n) => fill("](x", n),
  "run of *": (n) => "*".repeat(n),
  "# repeated": (n) => fill("# ", n),
  "run of backslashes": (n) => "\\".repeat(n),
  "Skills: repeated (one line)": (n) => fill("Skills:", n),
  "heading + EEO sentence lines": (n) => fill("Skills:\nWe are an equal opportunity employer.\n", n),
  "60-letter words": (n) => fill(`${"b".repeat(60)} `, n),
  "run of é": (n) => "é".repeat(n),
  "www. and URLs": (n) => fill("www.x.io http://a.b/c ", n),
  "page: <nav> never closed": (n) => `<!DOCTYPE html>${fill("<nav>", n)}`,
  "page: <nav>s, one </nav> at the end": (n) => `<!DOCTYPE html>${fill("<nav>", n)}</nav>`,
  "page: nested <header>s": (n) => `<!DOCTYPE html>${fill("<header>", n / 2)}${fill("</header>", n / 2)}`,
};

function msPerCall(text, model) {
  // Repeated until 100 ms have passed, so small inputs are timed over many calls.
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    classify(text, { model });
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < 100 && elapsed < GIVE_UP_MS);
  return elapsed / calls;
}

const perMb = (ms, text) => ms / (Buffer.byteLength(text) / (1024 * 1024));

export function benchShapes() {
  const model = loadDefaultModel();
  const sizes = (quick ? [25, 50, 100] : [25, 50, 100, 200]).map((kb) => kb * 1024);
  // Warm-up at the largest size, so the first normal figure is not the JIT's.
  for (let i = 0; i < 3; i++) msPerCall(fill(unit, sizes.at(-1)), model);
  // The normal ad is timed again right before each shape at each size, so that a busy spell of
  // the machine weighs on both sides of a ratio alike.
  const normalAt = (n) => perMb(msPerCall(fill(unit, n), model), fill(unit, n));
  const normals = [];
  console.log(`each shape: ms/MB (× a normal ad's ms/MB at that size, timed just before; medians of 3 rounds), goal ≤ ${GOAL}×`);
  let worst = 0;
  for (const [name, make] of Object.entries(SHAPES)) {
    const cells = [];
    for (const n of sizes) {
      const text = make(n);
      // Three rounds of the pair, medians kept: one busy spell cannot make a ratio on its own.
      const rounds = [];
      let ms = 0;
      for (let r = 0; r < 3 && ms <= GIVE_UP_MS; r++) {
        const normal = normalAt(n);
        normals.push(normal);
        ms = msPerCall(text, model);
        rounds.push({ ms, perMb: perMb(ms, text), ratio: perMb(ms, text) / normal });
      }
      const mid = (key) => rounds.map((x) => x[key]).sort((x, y) => x - y)[Math.floor(rounds.length / 2)];
      const ratio = mid("ratio");
      worst = Math.max(worst, ratio);
      cells.push(`${n / 1024} KB ${mid("perMb").toFixed(0)} (${ratio.toFixed(1)}×)`);
      if (ms > GIVE_UP_MS) {
        cells.push(`stopped: one call took ${(ms / 1000).toFixed(1)} s`);
        break;
      }
    }
    console.log(`  ${name.padEnd(30)} ${cells.join("  ")}`);
  }
  normals.sort((x, y) => x - y);
  console.log(`normal ad: ${normals[0].toFixed(0)}–${normals.at(-1).toFixed(0)} ms/MB (median ${normals[Math.floor(normals.length / 2)].toFixed(0)}); worst shape: ${worst.toFixed(1)}× a normal ad per byte (goal ≤ ${GOAL}×)`);
}

async function batchMs(text, model) {
  const csv = Buffer.from(`id,description\n1,"${text.replace(/"/g, '""')}"\n`);
  // 64 KiB chunks, as a file stream gives them.
  const chunks = [];
  for (let i = 0; i < csv.length; i += 64 * 1024) chunks.push(csv.subarray(i, i + 64 * 1024));
  const start = performance.now();
  for await (const event of scoreRecords(Readable.from(chunks), { model, maxAdBytes: 64 * 1024 * 1024, highlights: false })) {
    if (event.kind === "rejected") throw new Error(`bench row rejected: ${event.code}`);
  }
  return performance.now() - start;
}

export async function benchLargeRow() {
  const model = loadDefaultModel();
  const rows = [];
  for (const mb of quick ? [2, 4] : [5, 10, 20]) {
    const text = fill(unit, mb * 1024 * 1024);
    const batch = await batchMs(text, model);
    const start = performance.now();
    classify(text, { model });
    const alone = performance.now() - start;
    rows.push(`${mb} MB: batch ${(batch / mb).toFixed(0)} ms/MB, classify ${(alone / mb).toFixed(0)} ms/MB (${(batch / alone).toFixed(2)}×)`);
  }
  console.log(`one large row (raised maxAdBytes), batch reader next to classify: ${rows.join("; ")} — flat ms/MB means linear time`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchShapes();
  await benchLargeRow();
}
