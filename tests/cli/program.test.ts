import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../src/cli/program.js";
import { useColor, type CliIo } from "../../src/cli/io.js";
import { InputError, IoError, ModelError, UsageError } from "../../src/errors.js";
import { runInProcess as runCliInProcess } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

/** The CLI in-process, with captured streams (no environment: no colour unless a test sets it). */
async function runInProcess(argv: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runCliInProcess(argv, { stdin, env: {} });
  return { code: status, stdout, stderr };
}

describe("run", () => {
  it("classifies in-process and writes only through the streams it is given", async () => {
    const { code, stdout, stderr } = await runInProcess(["classify", fixture("ads", "fedex-logistics-po.txt"), "--format", "json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout).label).toBe("product-owner-leaning");
  });

  it("prints the version and exits 0", async () => {
    const { code, stdout } = await runInProcess(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("an unknown command is a usage error (exit 2)", async () => {
    const { code, stderr } = await runInProcess(["clasify"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'clasify'/);
  });

  it("input that cannot be classified exits 3 with one line", async () => {
    const { code, stderr } = await runInProcess(["classify", "-"], "   \n");
    expect(code).toBe(3);
    expect(stderr).toBe("pmpo: <stdin>: is empty (only white space) (pass the text of a job ad)\n");
  });
});

describe("exitCodeFor", () => {
  it.each([
    [new UsageError("x"), 2],
    [new IoError("x"), 2],
    [new ModelError("MODEL_INVALID", "x"), 2],
    [new InputError("INPUT_EMPTY", "x"), 3],
    [new InputError("INPUT_BINARY", "x"), 3],
    [new InputError("NO_TEXT_COLUMN", "x"), 3],
  ])("%s → %d", (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe("useColor", () => {
  const tty = { isTTY: true } as CliIo["stdout"];
  const pipe = { isTTY: false } as CliIo["stdout"];
  it.each([
    ["a terminal", tty, {}, true],
    ["a pipe", pipe, {}, false],
    ["NO_COLOR on a terminal", tty, { NO_COLOR: "1" }, false],
    ["FORCE_COLOR on a pipe", pipe, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=0 on a terminal", tty, { FORCE_COLOR: "0" }, false],
    ["NO_COLOR over FORCE_COLOR", tty, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
  ])("%s", (_name, stream, env, expected) => {
    expect(useColor(stream, env)).toBe(expected);
  });
});
