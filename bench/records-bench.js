// Record accounting at scale on generated broken input (issue 13): every defect costs only its
// own record, and a broken multi-line record never turns into records. Plain Node ESM; needs
// `npm run build` first. The CSVs are generated on the fly into pmpo's stdin (nothing written
// to disk, nothing committed).
//
//   node bench/records-bench.js                 1,000,000 rows with 10,000 defects; 2,000,000 rows with an unclosed quote at row 10
//   BENCH_QUICK=1 node bench/records-bench.js   100,000 and 200,000 rows
//   node bench/records-bench.js --generate KIND N   writes the CSV of one case to stdout
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "pmpo.js");
const quick = process.env.BENCH_QUICK === "1";
const SCALE = quick ? 10 : 1;

const DUTIES = [
  "Own the product vision and roadmap, talk to customers and analyse the market",
  "Groom the product backlog, write user stories with acceptance criteria for the sprint",
  "Set success metrics and outcomes, and report them to the leadership team",
  "Join sprint planning and refinement with the scrum team and accept finished stories",
];

// The defects, one per 100 rows in the "defects" case, each a record of its own kind.
const DEFECTS = [
  // A quote inside an unquoted field (a literal quote, as every CSV reader takes it).
  (i) => `R${i},27" monitor,Own the roadmap ${i}\n`,
  // Text after a closing quote, on one line.
  (i) => `R${i},"Senior" PM,"Own the backlog ${i}"\n`,
  // Too many fields.
  (i) => `R${i},PM,"Own the roadmap ${i}",extra\n`,
  // Empty text.
  (i) => `R${i},PM,\n`,
  // A NUL byte.
  (i) => `R${i},PM,"Own the\u0000roadmap ${i}"\n`,
  // A multi-line field over --max-ad-bytes 4k whose lines look like listings: every other one
  // also over the record limit (4 KiB + 64 KiB), so the reader skips it without keeping it.
  (i) => `R${i},PM,"${Array.from({ length: ((i / 600) | 0) % 2 === 0 ? 300 : 4000 }, (_, k) => `R${i}${k},Work with design,x`).join("\n")}"\n`,
];

function* rows(kind, n) {
  yield "id,title,description\n";
  for (let i = 1; i <= n; i++) {
    const duty = DUTIES[i % DUTIES.length];
    if (kind === "defects" && i % 100 === 50) {
      yield DEFECTS[(i / 100) % DEFECTS.length | 0](i);
    } else if (kind === "unclosed-plain" && i === 10) {
      yield `R${i},PM,"${duty} and the quote never closes\n`;
    } else if (kind === "unclosed-quoted" && i === 10) {
      yield `R${i},PM,"${duty} and the quote never closes\n`;
    } else if (kind === "unclosed-plain") {
      yield `R${i},PM,${duty.replace(/,/g, "")} ${i}\n`;
    } else {
      // Every fourth text runs over two lines, with a line that looks like a listing.
      yield i % 4 === 0 ? `R${i},PM,"${duty} ${i}\nR${i}x,Work with design,${duty}"\n` : `R${i},PM,"${duty} ${i}"\n`;
    }
  }
}

async function generate(kind, n) {
  let batch = "";
  for (const row of rows(kind, n)) {
    batch += row;
    if (batch.length > 256 * 1024) {
      if (!process.stdout.write(batch)) await new Promise((resolve) => process.stdout.once("drain", resolve));
      batch = "";
    }
  }
  process.stdout.write(batch);
}

function runCase(kind, n, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const generator = spawn(process.execPath, [fileURLToPath(import.meta.url), "--generate", kind, String(n)], { stdio: ["ignore", "pipe", "inherit"] });
    const child = spawn(process.execPath, [bin, "batch", "-", "--summary", ...args], { stdio: [generator.stdout, "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      // A run that stops early leaves the generator writing into a closed pipe.
      generator.kill();
      const lines = stderr.trimEnd().split("\n");
      const summaryLine = lines.find((line) => line.startsWith("{"));
      resolve({ code, seconds: (performance.now() - started) / 1000, summary: summaryLine ? JSON.parse(summaryLine) : null, last: lines.at(-1) ?? "" });
    });
  });
}

const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  if (process.argv[2] === "--generate") {
    await generate(process.argv[3], Number(process.argv[4]));
    return;
  }
  const million = 1_000_000 / SCALE;
  const two = 2_000_000 / SCALE;
  const defects = million / 100;

  const a = await runCase("defects", million, ["--workers", "2", "--max-ad-bytes", "4k"]);
  const s = a.summary;
  const ok = s && s.read === million && s.rejected === defects && s.scored === million - defects;
  console.log(
    `${fmt(million)} rows with ${fmt(defects)} defects of ${DEFECTS.length} kinds (--workers 2): exit ${a.code}, read ${fmt(s?.read ?? 0)} = scored ${fmt(s?.scored ?? 0)} + rejected ${fmt(s?.rejected ?? 0)} ` +
      `(${Object.entries(s?.rejects ?? {})
        .map(([code, count]) => `${code} ${fmt(count)}`)
        .join(", ")}), ${fmt(s?.lines ?? 0)} lines, in ${fmt(a.seconds, 1)} s: ${ok ? "exact" : "MISSED (expected read = rows, rejected = defects)"}`,
  );

  const b = await runCase("unclosed-plain", two, []);
  const t = b.summary;
  const okB = t && t.read === 10 && t.scored === 9 && t.rejected === 1 && t.rejects.UNCLOSED_QUOTE === 1;
  console.log(
    `${fmt(two)} rows, a quote never closed at row 10, no quotes after it: exit ${b.code}, read ${fmt(t?.read ?? 0)} = scored ${fmt(t?.scored ?? 0)} + rejected ${fmt(t?.rejected ?? 0)}, in ${fmt(b.seconds, 1)} s: ${okB ? "exact (one reject swallows the rest, as CSV reads it)" : "MISSED"}`,
  );

  const c = await runCase("unclosed-quoted", two, []);
  const okC = c.code === 3 && /record 10: .*cannot be known.*\(9 records before it were read\)/.test(c.last);
  console.log(
    `${fmt(two)} rows, a quote never closed at row 10, quoted multi-line texts after it: exit ${c.code} in ${fmt(c.seconds, 1)} s: ${okC ? "stopped at record 10 after 9 records, none read from inside it" : `MISSED: ${c.last}`}`,
  );
}

await main();
