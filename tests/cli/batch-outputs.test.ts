import { spawn, spawnSync } from "node:child_process";
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../helpers/cli.js";
import { expectDevicesIntact, pmpo } from "./batch-helpers.js";

// Outputs never clobber inputs, symlinks or devices.

const AD = "Own the product vision, roadmap and strategy; talk to customers.";
const CSV = `id,description\n1,"${AD}"\n2,\n`;

let dir = "";
const tmpFiles = (d = dir) => readdirSync(d).filter((f) => f.endsWith(".tmp"));

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "pmpo-outputs-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expectDevicesIntact();
});

describe("pmpo batch: an output that is an input is refused", () => {
  it.each([
    ["--rejects", "the same path", (input: string) => input],
    ["--rejects", "./in.csv from the input's folder", () => "./in.csv"],
    ["--rejects", "a symlink to it", (input: string) => {
      const link = join(dir, "link-to-in.csv");
      if (!existsSync(link)) symlinkSync(input, link);
      return link;
    }],
    ["--rejects", "a hard link to it", (input: string) => {
      const link = join(dir, "hard-in.csv");
      if (!existsSync(link)) linkSync(input, link);
      return link;
    }],
    ["--out", "a hard link to it", (input: string) => {
      const link = join(dir, "hard-out.csv");
      if (!existsSync(link)) linkSync(input, link);
      return link;
    }],
  ])("%s as %s", async (flag, _how, output) => {
    const input = join(dir, "in.csv");
    writeFileSync(input, CSV);
    const ran = await pmpo(["batch", input, flag, output(input), ...(flag === "--out" ? ["--format", "csv"] : [])], { cwd: dir });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(new RegExp(`^pmpo: ${flag} \\S+ is the input file \\(.*in\\.csv\\): writing it would destroy it \\(write the results elsewhere\\)\\n$`));
    expect(readFileSync(input, "utf8")).toBe(CSV);
    expect(tmpFiles()).toEqual([]);
  });

  it("refuses an output that is the --model file", async () => {
    const model = join(dir, "model.json");
    writeFileSync(model, readFileSync(join(import.meta.dirname, "../../models/default.json")));
    const input = join(dir, "in2.csv");
    writeFileSync(input, CSV);
    const ran = await pmpo(["batch", input, "--model", model, "--rejects", model]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/--rejects \S+ is the --model file/);
  });
});

describe("pmpo batch: symlinks and devices", () => {
  it("writes through a symlink to its target, beside the target, and keeps the link", async () => {
    const input = join(dir, "in3.csv");
    writeFileSync(input, CSV);
    mkdirSync(join(dir, "real"), { recursive: true });
    mkdirSync(join(dir, "links"), { recursive: true });
    const target = join(dir, "real", "results.csv");
    writeFileSync(target, "old\n");
    const link = join(dir, "links", "results.csv");
    symlinkSync(target, link);
    // A dangling link: the file it names is created.
    const rejectsTarget = join(dir, "real", "rejects.jsonl");
    const rejectsLink = join(dir, "links", "rejects.jsonl");
    symlinkSync(rejectsTarget, rejectsLink);
    const ran = await pmpo(["batch", input, "--out", link, "--rejects", rejectsLink]);
    expect(ran.code).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, "utf8")).toMatch(/^id,record,line,/);
    expect(lstatSync(rejectsLink).isSymbolicLink()).toBe(true);
    expect(readFileSync(rejectsTarget, "utf8")).toMatch(/"code":"EMPTY_TEXT"/);
    expect([...tmpFiles(join(dir, "real")), ...tmpFiles(join(dir, "links"))]).toEqual([]);
  });

  it("writes straight into a FIFO, which stays a FIFO", async () => {
    const input = join(dir, "in4.csv");
    writeFileSync(input, CSV);
    const fifo = join(dir, "results.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "ignore"] });
    let read = "";
    reader.stdout.on("data", (d: Buffer) => (read += d.toString()));
    const readerDone = new Promise((resolve) => reader.on("close", resolve));
    const ran = await pmpo(["batch", input, "--out", fifo, "--format", "csv"]);
    await readerDone;
    expect(ran.code).toBe(1);
    expect(read).toMatch(/^id,record,line,.*\n1,1,2,/s);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(tmpFiles()).toEqual([]);
  });

  it("writes straight to /dev/stdout and /dev/null, leaving them as they are", async () => {
    const input = join(dir, "in5.csv");
    writeFileSync(input, CSV);
    const before = [lstatSync("/dev/stdout"), lstatSync("/dev/null")].map((s) => [s.mode, s.ino, s.rdev]);
    const ran = await pmpo(["batch", input, "--out", "/dev/stdout", "--format", "csv", "--rejects", "/dev/null"]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^id,record,line,.*\n1,1,2,/s);
    expect([lstatSync("/dev/stdout"), lstatSync("/dev/null")].map((s) => [s.mode, s.ino, s.rdev])).toEqual(before);
    expect(existsSync("/dev/.stdout.tmp")).toBe(false);
    expect(readdirSync("/dev").filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
