import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { shouldPromptForStdin, STDIN_PROMPT } from "../../src/cli/classify-command.js";
import { assertBuilt, BIN, ROOT, runCli, runInProcess } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

beforeAll(assertBuilt);

const tmp = mkdtempSync(`${tmpdir()}/pmpo-classify-files-`);
const SNAP = fixture("ads", "snap-payments-pm.txt");
const BACKEND = fixture("ads", "backend-engineer.txt");
const empty = () => {
  const path = `${tmp}/empty.txt`;
  writeFileSync(path, " \n");
  return path;
};

describe("pmpo classify on a terminal", () => {
  it.each([
    [["-"], true, true],
    [["-"], false, false],
    [["-"], undefined, false],
    [["ad.txt"], true, false],
    [["ad.txt", "-"], true, true],
  ])("files %j, stdin.isTTY %s: prompt %s", (files, isTTY, expected) => {
    expect(shouldPromptForStdin(files, isTTY === undefined ? {} : { isTTY })).toBe(expected);
  });

  it("says on stderr that it reads stdin when stdin is a terminal (in-process, stdin marked as a TTY)", async () => {
    const ran = await runInProcess(["classify", "--format", "json"], { stdin: readFileSync(SNAP), stdinIsTTY: true });
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe(`${STDIN_PROMPT}\n`);
    expect(JSON.parse(ran.stdout).label).toBe("product-manager-leaning");
  });

  it("says nothing when stdin is a pipe", () => {
    const ran = runCli(["classify", "--format", "json"], { input: readFileSync(SNAP) });
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe("");
  });

  const TYPED = "Own the product vision and roadmap, run customer interviews and define success metrics.\n";
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("on a real pseudo-terminal (util-linux script): prompts, then classifies what was typed up to Ctrl-D", async () => {
    const child = spawn("script", ["-qec", `"${process.execPath}" "${BIN}" classify --format json`, "/dev/null"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    // A run that never ends fails at the test's timeout; the child must not outlive it.
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    let out = "";
    let typed = false;
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        // Type the ad only once pmpo has said it waits for it: the event, not a fixed time.
        if (!typed && out.includes("end with Ctrl-D")) {
          typed = true;
          child.stdin.write(`${TYPED}\u0004`);
          resolve();
        }
      });
      void exited.then(() => (typed ? resolve() : reject(new Error(`exited before the prompt: ${out}`))));
    });
    const code = await exited;
    clearTimeout(timer);
    child.stdin.end();
    expect(code).toBe(0);
    expect(out).toContain(STDIN_PROMPT);
    // The pty echoes the typed text; the JSON document follows it.
    const json = out.slice(out.indexOf("{"), out.lastIndexOf("}") + 1);
    const result = JSON.parse(json) as { label: string; inputLength: number };
    const piped = JSON.parse(runCli(["classify", "--format", "json"], { input: TYPED }).stdout) as { label: string; inputLength: number };
    expect(result.inputLength).toBe(TYPED.length);
    expect(result.label).toBe(piped.label);
  });
});

describe("pmpo classify with several files", () => {
  it("--format json prints one JSON line per file, with its name; a bad file gets its error and exit 1", () => {
    const bad = empty();
    const missing = `${tmp}/missing.txt`;
    const ran = runCli(["classify", SNAP, bad, missing, BACKEND, "--format", "json"]);
    expect(ran.status).toBe(1);
    const lines = ran.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { file: string; label?: string; error?: { code: string; message: string } });
    expect(lines.map((l) => l.file)).toEqual([SNAP, bad, missing, BACKEND]);
    // Each result is what the file gives alone.
    const alone = JSON.parse(runCli(["classify", SNAP, "--format", "json"]).stdout);
    expect({ ...lines[0], file: undefined }).toEqual({ ...alone, file: undefined });
    expect(lines[1]!.error).toEqual({ code: "INPUT_EMPTY", message: `${bad}: is empty (only white space)` });
    expect(lines[2]!.error).toEqual({ code: "IO", message: `${missing}: no such file` });
    expect(lines[3]!.label).toBe(JSON.parse(runCli(["classify", BACKEND, "--format", "json"]).stdout).label);
    expect(ran.stderr).toBe(`pmpo: ${bad}: is empty (only white space) (pass the text of a job ad)\npmpo: ${missing}: no such file (check the path, or pass - to read standard input)\n`);
  });

  it("text output: a header per file before its report, and exit 0 when all classify", () => {
    const ran = runCli(["classify", SNAP, BACKEND]);
    expect(ran.status).toBe(0);
    const one = runCli(["classify", SNAP]).stdout;
    const two = runCli(["classify", BACKEND]).stdout;
    expect(ran.stdout).toBe(`==> ${SNAP} <==\n${one}\n==> ${BACKEND} <==\n${two}`);
  });

  it("markdown output: a heading per file", () => {
    const ran = runCli(["classify", SNAP, BACKEND, "--format", "markdown"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout.match(/^## .+$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(ran.stdout.startsWith("## ")).toBe(true);
  });

  it("refuses html for several files, and - named twice", () => {
    const html = runCli(["classify", SNAP, BACKEND, "--format", "html"]);
    expect(html.status).toBe(2);
    expect(html.stderr).toContain("--format html writes one report: pass one file");
    const twice = runCli(["classify", "-", "-"], { input: "x" });
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("standard input (-) is named more than once");
  });

  it("one file keeps the one-document output and its own exit code", () => {
    const ran = runCli(["classify", empty(), "--format", "json"]);
    expect(ran.status).toBe(3);
    expect(ran.stdout).toBe("");
  });
});
