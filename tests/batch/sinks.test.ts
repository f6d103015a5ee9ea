import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../cli/batch-helpers.js";
import { openAtomicFile } from "../../src/batch/atomic-file.js";
import { TextSink } from "../../src/batch/text-sink.js";
import { IoError } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "pmpo-sinks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openAtomicFile", () => {
  it("shows nothing under the final name until commit", async () => {
    const path = join(dir, "out.csv");
    const file = await openAtomicFile(path);
    file.stream.write("a,b\n");
    expect(existsSync(path)).toBe(false);
    await file.commit();
    expect(readFileSync(path, "utf8")).toBe("a,b\n");
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves an older file as it was on discard", async () => {
    const path = join(dir, "keep.csv");
    writeFileSync(path, "old\n");
    const file = await openAtomicFile(path);
    file.stream.write("new\n");
    await file.discard();
    expect(readFileSync(path, "utf8")).toBe("old\n");
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("throws IoError for a folder that does not exist", async () => {
    await expect(openAtomicFile(join(dir, "no", "x.csv"))).rejects.toBeInstanceOf(IoError);
  });
});

describe("TextSink", () => {
  it("writes in chunks and waits for drain", async () => {
    const writes: string[] = [];
    const stream = new Writable({
      highWaterMark: 8,
      write(chunk: Buffer, _e, callback) {
        writes.push(chunk.toString());
        setTimeout(callback, 1);
      },
    });
    const sink = new TextSink(stream, { chunkChars: 10 });
    for (let i = 0; i < 10; i++) await sink.write(`row ${i}\n`);
    await sink.flush();
    // Ending the stream waits for the writes still in flight.
    await new Promise<void>((r) => stream.end(() => r()));
    expect(writes.join("")).toBe(Array.from({ length: 10 }, (_, i) => `row ${i}\n`).join(""));
    expect(writes.length).toBeLessThan(10);
  });

  it("records a failing stream instead of throwing", async () => {
    const stream = new Writable({
      write(_chunk, _e, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const sink = new TextSink(stream, { chunkChars: 1 });
    await sink.write("a\n");
    await new Promise((r) => setImmediate(r));
    await sink.write("b\n");
    expect(sink.failure?.code).toBe("EPIPE");
  });

  it("writes text that waits for its chunk once the delay has passed, without a flush", async () => {
    const writes: string[] = [];
    let written: () => void = () => {};
    const firstWrite = new Promise<void>((resolve) => (written = resolve));
    const stream = new Writable({
      write(chunk: Buffer, _e, callback) {
        writes.push(chunk.toString());
        written();
        callback();
      },
    });
    const sink = new TextSink(stream, { chunkChars: 1024, maxDelayMs: 20 });
    await sink.write("row 1\n");
    await sink.write("row 2\n");
    expect(writes).toEqual([]);
    // Waits for the write the delay makes (a loaded machine may take longer than 20 ms), not a fixed time.
    await firstWrite;
    expect(writes).toEqual(["row 1\nrow 2\n"]);
  });

  it("tells onFailure once when the stream fails, even on a write the delay made", async () => {
    const stream = new Writable({
      write(_chunk, _e, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const failures: string[] = [];
    const sink = new TextSink(stream, { chunkChars: 1024, maxDelayMs: 10, onFailure: (error) => failures.push(error.code ?? "?") });
    await sink.write("a\n");
    // The write the delay makes fails: wait for that, not for a fixed time.
    await waitFor(() => failures.length > 0, "the delayed write to fail", 10_000);
    await sink.write("b\n");
    await sink.flush();
    await new Promise((r) => setImmediate(r));
    expect(failures).toEqual(["EPIPE"]);
  });
});
