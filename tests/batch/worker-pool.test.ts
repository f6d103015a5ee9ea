import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";
import { chunked, drain, expectAccounting, releasingSource } from "./helpers.js";

// Worker threads run the built JavaScript (dist/batch/score-worker.js), so these tests import from dist.
const DIST = join(import.meta.dirname, "../../dist/index.js");

const ADS = [
  "Own the product vision, strategy and roadmap; talk to customers.",
  "Groom the backlog and write user stories with acceptance criteria.",
  "We sell shoes.",
];

describe("worker threads (from dist; run `npm run build` first)", () => {
  beforeAll(assertBuilt);

  it("WorkerPool resolves each batch with its own results, whatever the order they finish in", async () => {
    const { WorkerPool } = (await import(join(import.meta.dirname, "../../dist/batch/worker-pool.js"))) as typeof import("../../src/batch/worker-pool.js");
    const model = loadDefaultModel();
    const pool = new WorkerPool(2, model, { highlights: true });
    try {
      const batches = [ADS, [...ADS].reverse(), [ADS[1]!], ADS];
      const results = await Promise.all(batches.map((batch) => pool.score(batch.map((text) => ({ text, title: null })))));
      results.forEach((batch, i) => expect(batch).toEqual(batches[i]!.map((text) => classify(text, { model }))));
    } finally {
      await pool.close();
    }
  });

  it("scoreRecords with 3 workers yields the same events as with 1", async () => {
    const { scoreRecords, loadDefaultModel: load } = (await import(DIST)) as typeof import("../../src/index.js");
    const model = load();
    const rows = Array.from({ length: 150 }, (_, i) => (i % 17 === 5 ? `${i},"broken" row` : `${i},"${ADS[i % 3]} ${i}"`));
    const csv = `id,description\n${rows.join("\n")}\n`;
    const one = await drain(scoreRecords(chunked(csv, 300), { model, workers: 1 }));
    const three = await drain(scoreRecords(chunked(csv, 300), { model, workers: 3 }));
    expect(three.items).toEqual(one.items);
    expect(expectAccounting(three.items)).toMatchObject({ read: 150, rejected: 9 });
  });

  it("formatRecords with 2 workers yields the same lines as with 1, in CSV and JSONL", async () => {
    const { formatRecords } = (await import(join(import.meta.dirname, "../../dist/batch/score-batch.js"))) as typeof import("../../src/batch/score-batch.js");
    const model = loadDefaultModel();
    const rows = Array.from({ length: 120 }, (_, i) => (i % 13 === 4 ? `${i},x,"broken" row` : `${i},Product Owner,"${ADS[i % 3]} ${i}"`));
    const csv = `id,title,description\n${rows.join("\n")}\n`;
    for (const format of ["csv", "jsonl"] as const) {
      const one = await drain(formatRecords(chunked(csv, 300), { model, workers: 1, highlights: format === "jsonl" }, format));
      const two = await drain(formatRecords(chunked(csv, 300), { model, workers: 2, highlights: format === "jsonl" }, format));
      expect(two.items).toEqual(one.items);
      expect(two.items.filter((e) => e.kind === "formatted")).toHaveLength(111);
    }
  });

  it("counts each record into the caller's tally as it hands it on, with one thread and with two", async () => {
    const input = `id,title,description\nP1,Product Owner,"${ADS[0]}"\nP2,x,\nP3,x,"${ADS[1]}"\n`;
    const { formatRecords } = (await import(join(import.meta.dirname, "../../dist/batch/score-batch.js"))) as typeof import("../../src/batch/score-batch.js");
    const { BatchTally } = (await import(join(import.meta.dirname, "../../dist/batch/tally.js"))) as typeof import("../../src/batch/tally.js");
    const model = loadDefaultModel();
    for (const workers of [1, 2]) {
      const tally = new BatchTally();
      const seen: Array<[number, number, number]> = [];
      let summary: unknown = null;
      for await (const event of formatRecords(chunked(input, 13), { model, source: "t.csv", workers }, "jsonl", { tally })) {
        if (event.kind === "formatted" || event.kind === "rejected") seen.push([tally.read, tally.scored, tally.rejected]);
        if (event.kind === "summary") summary = event.summary;
      }
      // Live: when a record arrives it is already counted, and the records before it too.
      expect(seen).toEqual([
        [1, 1, 0],
        [2, 1, 1],
        [3, 2, 1],
      ]);
      expect(summary).toMatchObject({ read: 3, scored: 2, rejected: 1, labels: tally.labels, rejects: tally.rejects });
    }
  });

  it("releases the source and stops the workers when the reader stops early", async () => {
    const { scoreRecords, loadDefaultModel: load } = (await import(DIST)) as typeof import("../../src/index.js");
    const { source, released } = releasingSource(["description", ...Array.from({ length: 1000 }, (_, i) => `"${ADS[i % 3]} ${i}"`)]);
    let seen = 0;
    for await (const event of scoreRecords(source, { model: load(), workers: 2 })) {
      if (event.kind === "scored" && ++seen === 40) break;
    }
    expect(seen).toBe(40);
    // A read under way when the loop stopped ends first; this source answers at once.
    await vi.waitFor(() => expect(released()).toBe(true));
  });

  it("keeps input order when the reading thread scores batches between the workers' ones", async () => {
    const { formatRecords } = (await import(join(import.meta.dirname, "../../dist/batch/score-batch.js"))) as typeof import("../../src/batch/score-batch.js");
    const model = loadDefaultModel();
    const rows = Array.from({ length: 90 }, (_, i) => (i % 11 === 3 ? `${i},x,"broken" row` : `${i},Product Manager,"${ADS[i % 3]} ${i}"`));
    const csv = `id,title,description\n${rows.join("\n")}\n`;
    // One ad per batch and one batch queued per worker: while a worker's batch is out (its answer
    // comes as a message, after the reader's microtasks), the next ad is scored in this thread,
    // so worker and local results alternate and must still come out in input order.
    const schedule = { batchAds: 1, batchBytes: 1 << 20, queuePerWorker: 1 };
    const one = await drain(formatRecords(chunked(csv, 64), { model, workers: 1 }, "csv"));
    for (const workers of [2, 3]) {
      const mixed = await drain(formatRecords(chunked(csv, 64), { model, workers }, "csv", { schedule }));
      expect(mixed.items).toEqual(one.items);
      expect(mixed.items.filter((e) => e.kind === "formatted")).toHaveLength(82);
      expect(mixed.items.at(-1)).toMatchObject({ kind: "summary", summary: { read: 90, scored: 82, rejected: 8 } });
    }
  });
});

