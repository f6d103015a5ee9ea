import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { UsageError } from "../../src/errors.js";
import { loadDefaultModel } from "../../src/model/io.js";
import type { BatchEvent, BatchSummary } from "../../src/batch/outcome.js";
import { scoreRecords, type BatchOptions } from "../../src/batch/score-batch.js";
import { inShard, parseShard, type Shard } from "../../src/batch/shard.js";
import { chunked, drain } from "./helpers.js";

const model = loadDefaultModel();
const PM_AD = "You own the product vision, strategy and roadmap, talk to customers and analyse the market.";
const PO_AD = "You groom the backlog, write user stories with acceptance criteria and join sprint planning with the scrum team.";

describe("inShard", () => {
  it("property: every record belongs to exactly one of n shards, shard i holding records i, i + n, i + 2n, …", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), (count, record) => {
        const owners = [];
        for (let index = 1; index <= Math.min(count, 200); index++) if (inShard(record, { index, count })) owners.push(index);
        const owner = ((record - 1) % count) + 1;
        expect(owners).toEqual(owner <= 200 ? [owner] : []);
        expect(inShard(record, { index: owner, count })).toBe(true);
      }),
    );
  });

  it.each([
    [{ index: 1, count: 1 }, [1, 2, 3, 4, 5, 6, 7]],
    [{ index: 1, count: 3 }, [1, 4, 7]],
    [{ index: 2, count: 3 }, [2, 5]],
    [{ index: 3, count: 3 }, [3, 6]],
  ])("%o takes records %j of 1..7", (shard, records) => {
    expect([1, 2, 3, 4, 5, 6, 7].filter((record) => inShard(record, shard))).toEqual(records);
  });
});

describe("parseShard", () => {
  it.each([
    ["2/4", { index: 2, count: 4 }],
    ["1/1", { index: 1, count: 1 }],
    ["4/4", { index: 4, count: 4 }],
    [" 3 / 7 ", { index: 3, count: 7 }],
    ["1000000/1000000", { index: 1_000_000, count: 1_000_000 }],
  ])("reads %j", (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(["", "2", "2/", "/4", "0/4", "5/4", "1/0", "0/0", "-1/4", "1/-4", "+1/4", "1.5/4", "1/4.0", "2/4/1", "a/b", "1e2/1e3", "1/1000001", "2:4", "2 4", "0x1/4"])("refuses %j", (text) => {
    expect(parseShard(text)).toBeNull();
  });
});

// A small CSV with every kind of record: results, rejects of several codes, a multi-line text, a blank line.
const ROWS = [`"${PM_AD}"`, `"${PO_AD}"`, "", "a,b", '"with ""quotes"", commas, and\nnew lines"', 'bad "quote', "x\u0000y", `"${PM_AD} ${PO_AD}"`];
const events = (items: readonly BatchEvent[]) => items.filter((e) => e.kind === "scored" || e.kind === "rejected");
const summaryOf = (items: readonly BatchEvent[]) => (items.at(-1) as Extract<BatchEvent, { kind: "summary" }>).summary;

async function run(input: string, options: Partial<BatchOptions> = {}): Promise<BatchEvent[]> {
  return (await drain(scoreRecords(chunked(input, 13), { model, source: "t.csv", highlights: false, ...options }))).items;
}

/** The shards' records and rejects, joined in record order. */
function joined(parts: ReadonlyArray<readonly BatchEvent[]>): BatchEvent[] {
  return parts.flatMap(events).sort((a, b) => (a as { record: number }).record - (b as { record: number }).record);
}

describe("scoreRecords with a shard", () => {
  it("property: the n shards' events joined are the events of one run without a shard, and their counts add up", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(...ROWS)), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (rows, count) => {
        const input = `id,description\n${rows.map(([id, text], k) => `${id},${text}${k === 3 ? "\n" : ""}`).join("\n")}\n`;
        const whole = await run(input);
        const parts = await Promise.all(Array.from({ length: count }, (_, k) => run(input, { shard: { index: k + 1, count } })));
        expect(joined(parts)).toEqual(events(whole));
        const total = summaryOf(whole);
        parts.forEach((part, k) => {
          const summary = summaryOf(part);
          expect(part[0]).toEqual(whole[0]);
          expect(summary.read).toBe(summary.scored + summary.rejected);
          expect(summary.shard).toEqual({ index: k + 1, count, otherShards: total.read - summary.read });
          expect([summary.lines, summary.bytes, summary.blankLines]).toEqual([total.lines, total.bytes, total.blankLines]);
        });
        const sum = (pick: (s: BatchSummary) => number) => parts.reduce((n, part) => n + pick(summaryOf(part)), 0);
        expect([sum((s) => s.read), sum((s) => s.scored), sum((s) => s.rejected)]).toEqual([total.read, total.scored, total.rejected]);
        expect(total.shard).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it("with worker threads (built; run `npm run build` first), gives the lines one thread gives for the shard", async () => {
    assertBuilt();
    // Worker threads run the built JavaScript, so this run imports the engine from dist.
    const { formatRecords } = (await import(join(import.meta.dirname, "../../dist/batch/score-batch.js"))) as typeof import("../../src/batch/score-batch.js");
    const input = `id,description\n${Array.from({ length: 60 }, (_, k) => `${k},${ROWS[k % ROWS.length]}`).join("\n")}\n`;
    const schedule = { batchAds: 2, batchBytes: 1 << 20, queuePerWorker: 1 };
    for (const shard of [{ index: 1, count: 3 }, { index: 3, count: 3 }] satisfies Shard[]) {
      const options = { model, source: "t.csv", shard };
      const one = await drain(formatRecords(chunked(input, 64), { ...options, workers: 1 }, "jsonl", { schedule }));
      const two = await drain(formatRecords(chunked(input, 64), { ...options, workers: 2 }, "jsonl", { schedule }));
      expect(two.items).toEqual(one.items);
      expect(one.items.filter((e) => e.kind === "formatted" || e.kind === "rejected").every((e) => inShard((e as { record: number }).record, shard))).toBe(true);
    }
  });

  it.each([
    [{ index: 0, count: 4 }],
    [{ index: 5, count: 4 }],
    [{ index: 1, count: 0 }],
    [{ index: 1.5, count: 4 }],
    [{ index: 1, count: 1_000_001 }],
    [{ index: 1, count: 2, extra: true }],
    [{ i: 1, n: 2 }],
    ["2/4"],
    [null],
  ])("refuses the shard option %j at the call, before reading", (shard) => {
    let pulled = false;
    const source = (async function* () {
      pulled = true;
      yield Buffer.from("description\nx\n");
    })();
    expect(() => scoreRecords(source, { model, shard } as unknown as BatchOptions)).toThrow(UsageError);
    expect(() => scoreRecords(source, { model, shard } as unknown as BatchOptions)).toThrow(/^scoreRecords: options\.shard: must be \{ index, count \} with whole numbers 1 <= index <= count <= 1,000,000, got /);
    expect(pulled).toBe(false);
  });
});
