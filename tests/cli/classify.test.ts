import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { fixture } from "../helpers/paths.js";

const tmp = mkdtempSync(`${tmpdir()}/pmpo-cli-`);
const file = (name: string, content: string | Uint8Array) => {
  const path = `${tmp}/${name}`;
  writeFileSync(path, content);
  return path;
};
const SNAP = fixture("ads", "snap-payments-pm.txt");

beforeAll(assertBuilt);

describe("pmpo classify", () => {
  it("--format json prints exactly one JSON document and nothing on stderr", () => {
    const { stdout, stderr, status } = runCli(["classify", SNAP, "--format", "json"]);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    const result = JSON.parse(stdout);
    expect(result.label).toBe("product-manager-leaning");
    expect(stdout).toBe(`${JSON.stringify(result, null, 2)}\n`);
    const text = readFileSync(SNAP, "utf8");
    for (const h of result.highlights) expect(text.slice(h.start, h.end)).toBe(h.text);
  });

  it("reads pasted text from stdin, as - or with no file", () => {
    const input = readFileSync(SNAP, "utf8");
    const dash = runCli(["classify", "-", "--format", "json"], { input });
    const none = runCli(["classify", "--format", "json"], { input });
    expect(dash.status).toBe(0);
    expect(JSON.parse(dash.stdout)).toEqual(JSON.parse(runCli(["classify", SNAP, "--format", "json"]).stdout));
    expect(none.stdout).toBe(dash.stdout);
  });

  it("offsets are after a UTF-8 byte-order mark", () => {
    const text = readFileSync(SNAP, "utf8");
    const withBom = file("bom.txt", `\uFEFF${text}`);
    const result = JSON.parse(runCli(["classify", withBom, "--format", "json"]).stdout);
    for (const h of result.highlights) expect(text.slice(h.start, h.end)).toBe(h.text);
  });

  it("text output: no colour when piped, brackets mark the spans", () => {
    const { stdout, status } = runCli(["classify", SNAP]);
    expect(status).toBe(0);
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stdout.split("\n")[0]).toBe("product-manager-leaning: leans product manager");
    expect(stdout).toMatch(/\[PM:[^\]]+\]/);
    expect(stdout).toMatch(/Top product manager phrases:\n/);
  });

  it("FORCE_COLOR colours the spans and NO_COLOR wins over it", () => {
    expect(runCli(["classify", SNAP], { env: { FORCE_COLOR: "1" } }).stdout).toMatch(/\u001b\[1;34m/);
    expect(runCli(["classify", SNAP], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout).not.toMatch(/\u001b\[/);
  });

  it("--title reports a mismatch", () => {
    const { stdout } = runCli(["classify", fixture("ads", "po-title-strategy-duties.txt"), "--title", "Product Owner", "--format", "json"]);
    const result = JSON.parse(stdout);
    expect(result.title).toEqual({ text: "Product Owner", leaning: "product-owner" });
    expect(result.titleMismatch).toBe(true);
  });

  it("--format markdown and html", () => {
    const md = runCli(["classify", SNAP, "--format", "markdown"]);
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^### pmpo: product-manager-leaning/);
    expect(md.stdout).toMatch(/\*\*[^*]+\*\*/);
    const html = runCli(["classify", SNAP, "--format", "html"]);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toMatch(/<mark class="pm"/);
  });

  it.each([
    ["an empty file", () => file("empty.txt", ""), "empty.txt: is empty (pass the text of a job ad)", 3],
    ["white space only", () => file("blank.txt", " \n \t\n"), "blank.txt: is empty (only white space) (pass the text of a job ad)", 3],
    ["NUL bytes", () => file("nul.txt", "Own the\u0000backlog"), "nul.txt: contains a NUL byte at character 7, so it is not plain text (pass the ad as plain text)", 3],
    ["a gzip file", () => file("ad.txt.gz", gzipSync("Own the backlog")), "ad.txt.gz: looks like a gzip archive, not text (pass the ad as plain text)", 3],
    ["an xlsx file", () => file("ads.xlsx", Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 6, 0])), "ads.xlsx: looks like a zip archive (an .xlsx, .docx or .zip file), not text (pass the ad as plain text)", 3],
    ["invalid UTF-8", () => file("latin1.txt", Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20])), "latin1.txt: not valid UTF-8 at byte 3 (if the file is Latin-1 or Windows-1252, pass --encoding latin1; otherwise convert it to UTF-8)", 3],
    ["a missing file", () => `${tmp}/missing.txt`, "missing.txt: no such file (check the path, or pass - to read standard input)", 2],
    ["a directory", () => tmp, "is a directory (pass a text file, or - for standard input)", 2],
  ])("refuses %s with one line on stderr", (_name, makePath, message, code) => {
    const path = makePath();
    const { stdout, stderr, status } = runCli(["classify", path]);
    expect(status).toBe(code);
    expect(stdout).toBe("");
    expect(stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(stderr.startsWith("pmpo: ")).toBe(true);
    expect(stderr.trimEnd().endsWith(message)).toBe(true);
  });

  it("empty stdin is refused like an empty file", () => {
    const { stderr, status } = runCli(["classify", "-"], { input: "" });
    expect(status).toBe(3);
    expect(stderr).toBe("pmpo: <stdin>: is empty (pass the text of a job ad)\n");
  });

  it.each([
    ["not JSON", "truncated.json", /truncated\.json: not valid JSON/],
    ["not a model", "not-a-model.json", /not-a-model\.json: not a pmpo model file \(no "format": "pmpo-model"\) \(pass a file written by `pmpo train`\)/],
    ["a newer format", "newer-format.json", /newer-format\.json: model format version 2 is newer than this pmpo reads \(1\)/],
  ])("refuses a model that is %s", (_name, model, message) => {
    const { stderr, status } = runCli(["classify", SNAP, "--model", fixture("models", model)]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("--encoding latin1 reads a latin1 ad", () => {
    const path = file("latin.txt", Buffer.from("Responsibilities\nDéfinir the product strategy and roadmap.\n", "latin1"));
    const { stdout, status } = runCli(["classify", path, "--encoding", "latin1", "--format", "json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).highlights.length).toBeGreaterThan(0);
  });

  it("a bad option is a usage error (exit 2)", () => {
    const { stderr, status } = runCli(["classify", SNAP, "--format", "pdf"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/argument 'pdf' is invalid. Allowed choices are text, json, markdown, html/);
  });

  it("classifies a 20 MB ad", () => {
    const big = readFileSync(SNAP, "utf8").repeat(Math.ceil((20 * 1024 * 1024) / readFileSync(SNAP).length));
    const path = file("big.txt", big);
    const { stdout, status } = runCli(["classify", path, "--format", "json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).inputLength).toBe(big.length);
  });
});

describe("pmpo train", () => {
  it("rebuilds the shipped model byte for byte", () => {
    const out = `${tmp}/model.json`;
    const { stderr, status } = runCli(["train", "--out", out]);
    expect(status).toBe(0);
    expect(stderr).toMatch(
      /^pmpo: trained default \d+\.\d+\.\d+: \d+ terms from \d+ product manager, \d+ product owner and \d+ neutral phrases; de: \d+ terms from \d+ \+ \d+ \+ \d+ phrases; nl: \d+ terms from \d+ \+ \d+ \+ \d+ phrases; fr: \d+ terms from \d+ \+ \d+ \+ \d+ phrases → /,
    );
    expect(readFileSync(out, "utf8")).toBe(readFileSync(fixture("..", "models", "default.json"), "utf8"));
  });

  it("refuses phrases labelled both ways (exit 2)", () => {
    const phrases = file("conflict.csv", "label,phrase\nproduct-manager,Own the roadmap\nproduct-owner,Own the backlog\nproduct-owner,own the roadmap\n");
    const { stderr, status } = runCli(["train", "--phrases", phrases, "--out", `${tmp}/x.json`]);
    expect(status).toBe(2);
    expect(stderr).toBe(
      `pmpo: ${phrases}: line 4: "own the roadmap" is labelled product-owner here and product-manager on line 2 (a phrase must speak for one side; remove one of the two)\n`,
    );
  });
});

describe("pmpo --help", () => {
  it("lists the commands and exits 0", () => {
    const { stdout, status } = runCli(["--help"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/classify \[options\] \[files\.\.\.\]/);
    expect(stdout).toMatch(/train \[options\]/);
  });
});
