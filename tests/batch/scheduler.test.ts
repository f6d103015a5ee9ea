// The scheduler on its own: items are numbers (negative ones are not work), scoring is a
// function, and a worker is a promise the test settles when it likes, so that every path runs.
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { newTrace, scoreInOrder, type Lanes, type Schedule } from "../../src/batch/scheduler.js";

type Out = string;

// Work items come back as "h<n>" when scored here and "w<n>" when scored on a worker.
function lanes(away: (items: number[]) => Promise<Out[]>, handOnBefore = true): Lanes<number, Out> {
  return {
    isWork: (n) => n >= 0,
    size: () => 1,
    here: (n) => `h${n}`,
    away,
    pass: (n) => `p${n}`,
    handOnBefore: () => handOnBefore,
  };
}

// A worker that answers after `delay` turns of the event loop.
const workerAfter = (delay: () => number) => async (items: number[]) => {
  for (let i = delay(); i > 0; i--) await tick();
  return items.map((n) => `w${n}`);
};

// A source of items that waits `delay` turns before each; returns "done" and notes its release.
function source(items: readonly number[], delay: () => number = () => 0, state = { released: false }) {
  async function* read(): AsyncGenerator<number, string> {
    try {
      for (const item of items) {
        for (let i = delay(); i > 0; i--) await tick();
        yield item;
      }
      return "done";
    } finally {
      state.released = true;
    }
  }
  return read();
}

async function drain<T, R>(run: AsyncGenerator<T, R>): Promise<{ outputs: T[]; done: R }> {
  const outputs: T[] = [];
  for (let next = await run.next(); ; next = await run.next()) {
    if (next.done) return { outputs, done: next.value };
    outputs.push(next.value);
  }
}

// What each item becomes, whichever thread scored it.
const plain = (out: Out) => out.replace(/^[hw]/, "");
const expected = (items: readonly number[]) => items.map((n) => (n >= 0 ? `${n}` : `p${n}`));
const tiny: Schedule = { batchAds: 1, batchBytes: 1 << 20, queuePerWorker: 1 };

describe("scoreInOrder", () => {
  it("hands every item on once, in input order, and returns what the source returns, however the workers and the source take their time", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -3, max: 40 }), { maxLength: 60 }),
        fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.record({ batchAds: fc.integer({ min: 1, max: 5 }), batchBytes: fc.integer({ min: 1, max: 8 }), queuePerWorker: fc.integer({ min: 1, max: 3 }) }),
        async (items, delays, workers, schedule) => {
          let d = 0;
          const delay = () => delays[d++ % delays.length] as number;
          const { outputs, done } = await drain(scoreInOrder(source(items, delay), lanes(workerAfter(delay)), workers, schedule));
          expect(outputs.map(plain)).toEqual(expected(items));
          expect(done).toBe("done");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("runs every path: batches to workers, batches here when they have enough queued, batches without work, results handed on while reading, and waits for the oldest", async () => {
    const items = [-1, ...Array.from({ length: 30 }, (_, i) => i), -2, -3, 31];
    // Workers slower than the source: the reading thread takes batches and then waits.
    const slow = newTrace();
    const slowRun = await drain(scoreInOrder(source(items), lanes(workerAfter(() => 3)), 1, tiny, slow));
    expect(slowRun.outputs.map(plain)).toEqual(expected(items));
    expect(slowRun.outputs.some((o) => o.startsWith("w"))).toBe(true);
    expect(slowRun.outputs.some((o) => o.startsWith("h"))).toBe(true);
    expect(slow.away).toBeGreaterThan(0);
    expect(slow.here).toBeGreaterThan(0);
    expect(slow.passed).toBeGreaterThan(0);
    expect(slow.waitedForOldest).toBeGreaterThan(0);
    // A source slower than the workers: results go out while the next item is read.
    const quick = newTrace();
    const quickRun = await drain(scoreInOrder(source(items, () => 3), lanes(workerAfter(() => 0)), 1, tiny, quick));
    expect(quickRun.outputs.map(plain)).toEqual(expected(items));
    expect(quick.handedOnWhileReading).toBeGreaterThan(0);
  });

  it("hands on the items read before a source error that allows it, then throws; otherwise throws at once", async () => {
    async function* failing(): AsyncGenerator<number, string> {
      yield* [1, 2, -1, 3];
      throw new Error("record 5: no end");
    }
    const seen: Out[] = [];
    const run = scoreInOrder(failing(), lanes(workerAfter(() => 5)), 2, tiny);
    await expect(
      (async () => {
        for await (const out of run) seen.push(out);
      })(),
    ).rejects.toThrow("record 5: no end");
    expect(seen.map(plain)).toEqual(["1", "2", "p-1", "3"]);

    // Otherwise the error comes at once, not after the batches still out (these never come back).
    async function* failingSoon(): AsyncGenerator<number, string> {
      yield* [1, -1];
      throw new Error("cannot read on");
    }
    const strictSeen: Out[] = [];
    const strict = scoreInOrder(failingSoon(), lanes(() => new Promise<Out[]>(() => {}), false), 2, tiny);
    await expect(
      (async () => {
        for await (const out of strict) strictSeen.push(out);
      })(),
    ).rejects.toThrow("cannot read on");
    expect(strictSeen).toEqual([]);
  });

  it("releases the source when the caller stops early", async () => {
    const state = { released: false };
    const run = scoreInOrder(source(Array.from({ length: 50 }, (_, i) => i), () => 0, state), lanes(workerAfter(() => 1)), 2, tiny);
    let seen = 0;
    for await (const _ of run) if (++seen === 5) break;
    expect(seen).toBe(5);
    await tick();
    expect(state.released).toBe(true);
  });

  it("fails with a worker's error, in its place", async () => {
    const broken = lanes(async () => {
      await tick();
      throw new Error("scoring worker 1 failed");
    });
    await expect(drain(scoreInOrder(source([1, 2, 3]), broken, 1, tiny))).rejects.toThrow("scoring worker 1 failed");
  });
});
