// Batch benchmark: csv-parse alone against `pmpo batch` on the same generated CSV, and peak
// memory of `pmpo batch` at two sizes. Plain Node ESM; needs `npm run build` first.
//
//   node bench/batch-bench.js                  100,000 ads of ~4 KB, 3 interleaved rounds; memory at 100,000 and 1,000,000 rows
//   BENCH_QUICK=1 node bench/batch-bench.js    5,000 ads; memory at 5,000 and 20,000 rows
//   BENCH_MEMORY=0 node bench/batch-bench.js   skips the memory runs (the 1,000,000-row one takes minutes)
//   node bench/batch-bench.js --generate N     writes N generated ads as CSV to stdout (used for the memory runs)
//
// The ads are composed here from sentences written for this benchmark (no real ads are used).
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { parse } from "csv-parse";
import { seededRandom } from "../dist/eval/crossval.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "pmpo.js");
const quick = process.env.BENCH_QUICK === "1";
const SPEED_ROWS = quick ? 5_000 : 100_000;
// Rounds of the speed measurements; the figures compared are the medians.
const ROUNDS = quick ? 1 : 3;
const MEMORY_ROWS = process.env.BENCH_MEMORY === "0" ? [] : quick ? [5_000, 20_000] : [100_000, 1_000_000];

// ---------------------------------------------------------------- ad generator

const PM = [
  "Own the product vision and translate it into a roadmap that the whole company can rally behind",
  "Talk to customers every week to uncover unmet needs, and turn what you learn into clear problem statements",
  "Define the product strategy for the payments area, including pricing, packaging and positioning",
  "Analyse market trends, competitors and win/loss data to decide where we play and how we win",
  "Set measurable outcomes and key results, and report progress to the leadership team each quarter",
  "Build the business case for new opportunities, sizing the market and estimating revenue impact",
  "Work with marketing and sales on go-to-market plans, launch messaging and enablement",
  "Run discovery with design and engineering: interviews, prototypes and experiments before we build",
  "Decide what not to build, and explain the trade-offs to stakeholders with data and empathy",
  "Be accountable for adoption, retention and revenue of the products you own",
  "Shape the long-term product portfolio and identify adjacent segments worth entering",
  "Partner with finance on pricing experiments and the profitability of the product line",
  "Represent the voice of the customer in executive reviews and strategy offsites",
  "Define success metrics, instrument the product and read the dashboards yourself",
  "Write crisp product requirement documents that explain the why before the what",
];
const PO = [
  "Own and refine the product backlog so the team always knows what comes next",
  "Write user stories with clear acceptance criteria, and accept or reject finished work in the sprint review",
  "Take part in sprint planning, daily stand-ups and retrospectives with the scrum team",
  "Groom the backlog with developers and testers, splitting epics into stories that fit a sprint",
  "Prioritise backlog items by value, risk and dependencies, and keep the ordering transparent",
  "Work closely with the scrum master to remove impediments and protect the team's focus",
  "Clarify requirements for developers during the sprint and answer questions quickly",
  "Maintain the definition of ready and the definition of done together with the team",
  "Plan releases and coordinate the increment with other teams in the release train",
  "Turn stakeholder requests into well-formed backlog items and say no when they do not fit",
  "Track velocity and burndown, and adjust the sprint goal with the team when needed",
  "Demo the increment to stakeholders at the end of every sprint and collect feedback",
  "Keep the backlog in Jira tidy: estimates, labels, links and dependencies up to date",
  "Represent the business in refinement sessions and make day-to-day scope decisions",
  "Validate delivered features against acceptance criteria before they go to production",
];
const NEUTRAL = [
  "We are a fast-growing company with offices in Berlin, Lisbon and Toronto",
  "Our platform serves more than two million small businesses around the world",
  "You will join a cross-functional team of eight engineers, a designer and a data analyst",
  "We believe in clear writing, kind feedback and shipping small improvements often",
  "Our stack includes TypeScript, Go, PostgreSQL and a lot of automated tests",
  "The team works remotely across three time zones with a few shared core hours",
  "We care about accessibility, privacy and building software that lasts",
  "You will report to the head of the business unit and work with teams across the company",
  "Communication skills in English are required; German or Portuguese is a plus",
  "Experience in fintech, logistics or healthcare is welcome but not required",
  "A degree in computer science, business or a related field, or equivalent experience",
  "At least three years of experience in a similar role in a software company",
  "Comfortable with ambiguity, and able to bring structure to messy problems",
  "Strong analytical skills and a habit of checking assumptions against data",
  "You enjoy mentoring others and sharing what you learn",
];
const BENEFITS = [
  "Thirty days of paid holiday plus public holidays",
  "A yearly learning budget for books, courses and conferences",
  "Flexible working hours and a home-office allowance",
  "Company pension scheme with employer contributions",
  "Parental leave beyond the legal minimum",
  "Regular team offsites and a relaxed, inclusive culture",
  "Private health insurance for you and your family",
  "A new laptop of your choice and the tools you need",
];
const TITLES = ["Product Manager", "Senior Product Manager", "Product Owner", "Senior Product Owner", "Product Manager / Product Owner", "Technical Product Owner", "Group Product Manager", "Business Analyst"];
const COMPANIES = ["Acme Payments", "Northwind Logistics", "Blue Harbor Health", "Quanta Retail", "Lumen Learning", "Orbit Mobility", "Cedar Insurance", "Pixel Foundry"];
const CITIES = ["Berlin", "Lisbon", "Toronto", "Remote", "Amsterdam", "Madrid", "Vienna", "Dublin"];


function makeAd(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const lean = random();
  const duties = lean < 0.4 ? [PM, PM, PM, PO] : lean < 0.8 ? [PO, PO, PO, PM] : [PM, PO];
  const company = pick(COMPANIES);
  const parts = [`About ${company}`, `${pick(NEUTRAL)}. ${pick(NEUTRAL)}. ${pick(NEUTRAL)}. We call it "building for the long run".`, "", "What you will do"];
  let length = parts.join("\n").length;
  while (length < 2300) {
    const line = `- ${pick(pick(duties))}.`;
    parts.push(line);
    length += line.length + 1;
  }
  parts.push("", "What you bring");
  for (let i = 0; i < 6; i++) parts.push(`- ${pick(NEUTRAL)}.`);
  parts.push("", "What we offer");
  for (let i = 0; i < 6; i++) parts.push(`- ${pick(BENEFITS)}.`);
  let text = parts.join("\n");
  while (text.length < 3900) text += `\n${pick(NEUTRAL)}.`;
  return { title: pick(TITLES), company, city: pick(CITIES), text };
}

const csvField = (value) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Writes `rows` generated ads as CSV to a stream, respecting backpressure. */
async function writeAds(stream, rows, seed = 42) {
  // Seeded, so every run scores the same ads.
  const random = seededRandom(seed);
  const write = (text) => (stream.write(text) ? null : new Promise((resolve) => stream.once("drain", resolve)));
  await write("job_id,title,company,location,description\n");
  let batch = "";
  for (let i = 1; i <= rows; i++) {
    const ad = makeAd(random);
    batch += `J${i},${csvField(ad.title)},${csvField(ad.company)},${csvField(ad.city)},${csvField(ad.text)}\n`;
    if (batch.length > 256 * 1024 || i === rows) {
      const wait = write(batch);
      batch = "";
      if (wait) await wait;
    }
  }
}

// ---------------------------------------------------------------- measurements

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: options.stdio ?? ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const hasTime = existsSync("/usr/bin/time");

// Peak RSS in MB from GNU time's report.
function peakRss(stderr) {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : null;
}

async function timePmpo(args, stdin = "ignore") {
  const command = hasTime ? "/usr/bin/time" : process.execPath;
  const full = hasTime ? ["-v", process.execPath, bin, ...args] : [bin, ...args];
  const started = performance.now();
  const result = await run(command, full, { stdio: [stdin, "ignore", "pipe"] });
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0 && result.code !== 1) throw new Error(`pmpo ${args.join(" ")} exited ${result.code}:\n${result.stderr}`);
  const summaryLine = result.stderr.split("\n").find((line) => line.startsWith("{"));
  return { seconds, rss: peakRss(result.stderr), summary: summaryLine ? JSON.parse(summaryLine) : null };
}

async function csvParseAlone(file) {
  let records = 0;
  const started = performance.now();
  await pipeline(
    createReadStream(file, { highWaterMark: 64 * 1024 }),
    parse({}),
    new Writable({
      objectMode: true,
      write(_record, _encoding, callback) {
        records++;
        callback();
      },
    }),
  );
  return { records: records - 1, seconds: (performance.now() - started) / 1000 };
}

async function inFreshProcess(what, file) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), what, file], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (child.status !== 0) throw new Error(`${what} exited ${child.status}`);
  return JSON.parse(child.stdout);
}

async function readerAlone(file) {
  const { decodeCsvBytes, readAdRecords } = await import("../dist/index.js");
  let records = 0;
  const started = performance.now();
  for await (const event of readAdRecords(decodeCsvBytes(createReadStream(file, { highWaterMark: 64 * 1024 })))) {
    if (event.kind !== "header") records++;
  }
  return { records, seconds: (performance.now() - started) / 1000 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  if (process.argv[2] === "--generate") {
    await writeAds(process.stdout, Number(process.argv[3]));
    return;
  }
  // One measurement in a process of its own, as pmpo batch gets: a process that has already run
  // other CSV code runs csv-parse slower (15-25% after a few rounds), which would flatter pmpo.
  if (process.argv[2] === "--csv-parse-alone" || process.argv[2] === "--reader-alone") {
    const measured = process.argv[2] === "--csv-parse-alone" ? await csvParseAlone(process.argv[3]) : await readerAlone(process.argv[3]);
    process.stdout.write(`${JSON.stringify(measured)}\n`);
    return;
  }
  if (!existsSync(join(root, "dist", "index.js"))) throw new Error("run `npm run build` first");
  console.log(`batch benchmark${quick ? " (BENCH_QUICK: small sizes)" : ""}; node ${process.version}; peak RSS via ${hasTime ? "/usr/bin/time -v" : "(not measured: no /usr/bin/time)"}`);

  const file = join(tmpdir(), `pmpo-bench-${SPEED_ROWS}.csv`);
  let started = performance.now();
  await writeAds(createWriteStream(file), SPEED_ROWS).then(() => new Promise((resolve) => setTimeout(resolve, 50)));
  const mb = statSync(file).size / 1024 / 1024;
  console.log(`generated ${fmt(SPEED_ROWS)} ads, ${fmt(mb, 1)} MiB (${fmt((statSync(file).size / SPEED_ROWS) / 1024, 2)} KiB per row) in ${fmt((performance.now() - started) / 1000, 1)} s: ${file}`);

  try {
    // Interleaved rounds, medians compared: one run of each swings by 5% or more on a busy machine.
    const floors = [];
    const readers = [];
    const batches = { 1: [], 2: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const floor = await inFreshProcess("--csv-parse-alone", file);
      floors.push(floor.records / floor.seconds);
      const reader = await inFreshProcess("--reader-alone", file);
      readers.push(reader.records / reader.seconds);
      const line = [`round ${round}/${ROUNDS}: csv-parse alone ${fmt(floors.at(-1))}/s, reader ${fmt(readers.at(-1))}/s`];
      for (const workers of [1, 2]) {
        const result = await timePmpo(["batch", file, "--summary", "--workers", String(workers)]);
        const read = result.summary?.read ?? SPEED_ROWS;
        if (read !== SPEED_ROWS || result.summary?.scored !== SPEED_ROWS) throw new Error(`pmpo read ${read} and scored ${result.summary?.scored} of ${SPEED_ROWS}`);
        batches[workers].push({ rate: read / result.seconds, rss: result.rss });
        line.push(`--workers ${workers} ${fmt(read / result.seconds)}/s (${fmt(read / result.seconds / floors.at(-1), 3)}x)`);
      }
      console.log(line.join(", "));
    }
    const floorRate = median(floors);
    console.log(`csv-parse alone:              ${fmt(floorRate)} records/s, ${fmt((mb * floorRate) / SPEED_ROWS, 1)} MiB/s (median of ${ROUNDS})`);
    const readerRate = median(readers);
    console.log(`pmpo reader, no scoring:      ${fmt(readerRate)} records/s (median); ratio to csv-parse ${fmt(readerRate / floorRate, 2)}`);
    for (const workers of [1, 2]) {
      const rate = median(batches[workers].map((b) => b.rate));
      const rss = Math.max(...batches[workers].map((b) => b.rss ?? 0));
      console.log(
        `pmpo batch --workers ${workers}:      ${fmt(rate)} records/s, ${fmt((mb * rate) / SPEED_ROWS, 1)} MiB/s (median of ${ROUNDS}); ratio to csv-parse ${fmt(rate / floorRate, 3)} (goal 0.5; #14: 0.75 with the default --workers)${rss ? `; peak RSS ${fmt(rss)} MB` : ""}`,
      );
    }
  } finally {
    unlinkSync(file);
  }

  // Memory: the same generated ads streamed through stdin, so no multi-GB file is needed.
  const peaks = [];
  for (const rows of MEMORY_ROWS) {
    const generator = spawn(process.execPath, [fileURLToPath(import.meta.url), "--generate", String(rows)], { stdio: ["ignore", "pipe", "inherit"] });
    const result = await timePmpo(["batch", "-", "--summary"], generator.stdout);
    if (result.summary?.read !== rows) throw new Error(`memory run read ${result.summary?.read} of ${rows}`);
    peaks.push(result.rss);
    console.log(`memory, ${fmt(rows)} rows via stdin: peak RSS ${result.rss === null ? "n/a" : `${fmt(result.rss)} MB`} (${fmt(result.seconds, 1)} s, ${fmt(rows / result.seconds)} records/s)`);
  }
  const [small, large] = peaks;
  if (small && large) {
    const growth = large / small;
    // Default options (--workers auto: one thread per core on stdin); the goal for them is 300 MB.
    console.log(`memory growth ${fmt(MEMORY_ROWS[0])} -> ${fmt(MEMORY_ROWS[1])} rows, default options: ${fmt(growth, 2)}x (goal <= 1.2x), largest ${fmt(large)} MB (goal < 300 MB): ${growth <= 1.2 && large < 300 ? "ok" : "MISSED"}`);
  }
}

await main();
