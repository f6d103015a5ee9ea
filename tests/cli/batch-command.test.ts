import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { autoWorkers, renderSummary } from "../../src/cli/batch-command.js";
import { parseByteSize } from "../../src/cli/size-flags.js";
import { run } from "../../src/cli/program.js";
import { CaptureStream, makeIo } from "../helpers/cli.js";

const AD = "Own the product vision and roadmap; groom the backlog and write user stories with the scrum team.";

function csv(rows: number): string {
  // With a title column, so that stderr holds no note about a missing one.
  return `id,title,description\n${Array.from({ length: rows }, (_, i) => `${i + 1},Product Owner,"${AD} Ref ${i + 1}."`).join("\n")}\n`;
}

const Sink = CaptureStream;

function io(input: string | Readable, options: { stdout?: CaptureStream; stderr?: CaptureStream } = {}) {
  return makeIo({ stdin: input, ...options });
}

describe("pmpo batch in-process", () => {
  it("prints reject lines and errors with the input's control characters made visible", async () => {
    const rejects = io(`id,"desc\u001b]0;pwned\u0007ription"\n1,"  "\n2,"${AD}"\n`);
    expect(await run(["batch", "-", "--text-column", "desc\u001b]0;pwned\u0007ription"], rejects.io)).toBe(1);
    expect(rejects.io.stderr.text).toContain('EMPTY_TEXT: the text column "desc␛]0;pwned␇ription" is empty');
    expect(rejects.io.stderr.text).not.toContain("\u001b");
    const missing = io(`id,description\n1,"${AD}"\n`);
    expect(await run(["batch", "-", "--text-column", "x\u001b[2J\u202e"], missing.io)).toBe(3);
    expect(missing.io.stderr.text).not.toMatch(/[\u001b\u202e]/);
  });

  it("guards ids that a spreadsheet would run as formulas, unless --csv-formulas allow", async () => {
    const input = `id,description\n"=HYPERLINK(""http://evil.test"",""open"")","${AD}"\n`;
    const guarded = io(input);
    expect(await run(["batch", "-"], guarded.io)).toBe(0);
    expect(guarded.io.stdout.text.split("\n")[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil\.test"",""open""\)",1,2,/);
    const allowed = io(input);
    expect(await run(["batch", "-", "--csv-formulas", "allow"], allowed.io)).toBe(0);
    expect(allowed.io.stdout.text.split("\n")[1]).toMatch(/^"=HYPERLINK\(""http:\/\/evil\.test"",""open""\)",1,2,/);
    const wrong = io(input);
    expect(await run(["batch", "-", "--csv-formulas", "maybe"], wrong.io)).toBe(2);
  });

  it("prints the summary as JSON with --summary, and no progress when stderr is not a terminal", async () => {
    const t = io(csv(3));
    expect(await run(["batch", "-", "--summary"], t.io)).toBe(0);
    const summary = JSON.parse(t.io.stderr.text) as Record<string, unknown>;
    expect(summary).toMatchObject({ file: "<stdin>", read: 3, scored: 3, rejected: 0, blankLines: 0, lines: 4, output: null, rejectsFile: null });
    expect(t.io.stdout.text.split("\n")).toHaveLength(5);
    expect(t.handlers).toHaveLength(0);
  });

  it("draws a progress line on a terminal and clears it before the summary", async () => {
    const stderr = new Sink();
    stderr.isTTY = true;
    stderr.columns = 100;
    // A slow source, so the progress line has time to be drawn.
    async function* slow() {
      yield Buffer.from("id,description\n");
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 120));
        yield Buffer.from(`${i},"${AD}"\n`);
      }
    }
    const t = io(Readable.from(slow()), { stderr });
    expect(await run(["batch", "-"], t.io)).toBe(0);
    expect(stderr.text).toMatch(/\r\x1b\[K\d+ records, [\d,]+\/s, \d+ KiB read/);
    expect(stderr.text).toMatch(/\r\x1b\[Kpmpo: 4 records read: 4 scored, 0 rejected; /);
  });

  it("stops on Ctrl-C with exit 130 and says how far it got", async () => {
    let t: ReturnType<typeof io>;
    const stdout = new Sink((_sink, chunk) => {
      if (chunk.includes('"record":5,')) t.interrupt();
      return null;
    });
    async function* endless() {
      yield Buffer.from("id,title,description\n");
      for (let i = 1; ; i++) {
        yield Buffer.from(`${i},Product Owner,"${AD}"\n`);
        await new Promise((r) => setImmediate(r));
      }
    }
    t = io(Readable.from(endless()), { stdout });
    // Small chunks, so output is written (and the interrupt fires) while input keeps coming.
    const code = await run(["batch", "-", "--format", "jsonl"], t.io);
    expect(code, t.io.stderr.text.slice(0, 2000)).toBe(130);
    expect(t.io.stderr.text).toMatch(/^pmpo: interrupted after \d+ records \(last record read started on line \d+\): \d+ scored, 0 rejected\n$/);
  });

  it("treats a reader that went away (EPIPE) as the end, with exit 0", async () => {
    let writes = 0;
    const stdout = new Sink(() => {
      writes++;
      return writes > 1 ? Object.assign(new Error("write EPIPE"), { code: "EPIPE" }) : null;
    });
    const t = io(csv(3000), { stdout });
    expect(await run(["batch", "-"], t.io)).toBe(0);
    expect(t.io.stderr.text).toBe("");
  });

  it("fails with exit 2 when the output cannot be written (not EPIPE)", async () => {
    const stdout = new Sink(() => Object.assign(new Error("no space left on device"), { code: "ENOSPC" }));
    const t = io(csv(3000), { stdout });
    expect(await run(["batch", "-"], t.io)).toBe(2);
    expect(t.io.stderr.text).toBe("pmpo: standard output: cannot write: no space left on the device (ENOSPC)\n");
  });
});

describe("batch helpers", () => {
  it.each([
    ["1048576", 1048576],
    ["512k", 524288],
    ["1M", 1048576],
    ["2MiB", 2097152],
    ["2G", 2147483648],
    ["100GiB", 107374182400],
    ["0", null],
    ["1.5M", null],
    ["lots", null],
  ])("parseByteSize(%j) = %s", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it("renders the summary line", () => {
    expect(
      renderSummary({
        read: 5,
        scored: 3,
        rejected: 2,
        labels: { "product-manager-leaning": 1, "product-owner-leaning": 1, hybrid: 1, "insufficient-evidence": 0 },
        rejects: { STRAY_QUOTE: 1, FIELD_COUNT: 1 },
      }),
    ).toBe("5 records read: 3 scored, 2 rejected (FIELD_COUNT 1, STRAY_QUOTE 1); product-manager-leaning 1, product-owner-leaning 1, hybrid 1, insufficient-evidence 0");
  });
});

describe("--workers auto", () => {
  it.each([
    ["a small file: one thread is done before workers load", 200_000, 2, 1],
    ["a file of 1 MiB or more: one thread per core", 1024 * 1024, 2, 2],
    ["stdin, size unknown: one per core", null, 4, 4],
    ["many cores: at most 8", 50_000_000, 32, 8],
    ["one core", null, 1, 1],
  ])("%s", (_name, bytes, cores, expected) => {
    expect(autoWorkers(bytes, cores)).toBe(expected);
  });
});
