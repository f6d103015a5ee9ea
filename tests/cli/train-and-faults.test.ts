import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BIN, runCli } from "../helpers/cli.js";
import { fixture, ROOT } from "../helpers/paths.js";
import { expectDevicesIntact } from "./batch-helpers.js";

// `pmpo train` never writes into an installed package or passes another model off as the
// shipped one, refuses a model that could classify nothing; faults end with one line and exit 2.

const tmp = mkdtempSync(`${tmpdir()}/pmpo-train-`);
const file = (name: string, content: string) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};
const SNAP = fixture("ads", "snap-payments-pm.txt");
// With a title column, so that stderr holds no note about a missing one.
const listings = () => file("listings.csv", `id,title,description\n1,Product Manager,"Own the product vision, roadmap and strategy"\n2,Product Owner,"Groom the product backlog with the scrum team"\n`);
const DEFAULT_MODEL = `${ROOT}models/default.json`;
// Other phrases: the shipped ones less a few, enough to give terms.
const otherPhrases = () => {
  const lines = readFileSync(`${ROOT}models/phrases.csv`, "utf8").split("\n");
  return file("other-phrases.csv", lines.filter((_, i) => i % 7 !== 3).join("\n"));
};

beforeAll(assertBuilt);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  expectDevicesIntact();
});

describe("pmpo train: where it writes and what it names the model", () => {
  it("refuses to train other phrases without --out, leaving the shipped model as it was", () => {
    const before = readFileSync(DEFAULT_MODEL, "utf8");
    const { stderr, status } = runCli(["train", "--phrases", otherPhrases()]);
    expect(status).toBe(2);
    expect(stderr).toBe("pmpo: pass --out: a model trained from other phrases or settings must not replace the shipped models/default.json (pmpo train --phrases my-phrases.csv --out my-model.json)\n");
    expect(readFileSync(DEFAULT_MODEL, "utf8")).toBe(before);
  });

  it("never writes inside an installed package (its models folder under node_modules), even from the shipped phrases", () => {
    const project = join(tmp, "project");
    const pkg = join(project, "node_modules", "pmpo");
    mkdirSync(pkg, { recursive: true });
    for (const part of ["bin", "dist", "models", "package.json"]) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    const shipped = readFileSync(join(pkg, "models", "default.json"), "utf8");
    for (const args of [["train"], ["train", "--phrases", otherPhrases()]]) {
      const ran = spawnSync(process.execPath, [join(pkg, "bin", "pmpo.js"), ...args], { cwd: project, encoding: "utf8" });
      expect(ran.status).toBe(2);
      expect(ran.stderr).toMatch(/^pmpo: pass --out: pmpo is installed as a package \(.*node_modules\/pmpo\/models\/\), and train never writes inside it/);
    }
    expect(readFileSync(join(pkg, "models", "default.json"), "utf8")).toBe(shipped);
    expect(readdirSync(join(pkg, "models")).sort()).toEqual(["default.json", "phrases.csv", "phrases.de.csv", "phrases.fr.csv", "phrases.nl.csv", "settings.json"]);
  });

  it("names a model trained from other phrases after its --out file, never the shipped model's name", () => {
    const out = join(tmp, "Team Model.json");
    const trained = runCli(["train", "--phrases", otherPhrases(), "--out", out]);
    expect(trained.status).toBe(0);
    expect(trained.stderr).toMatch(/^pmpo: trained team-model 1\.0\.0: /);
    const result = JSON.parse(runCli(["classify", SNAP, "--model", out, "--format", "json"]).stdout) as { model: { name: string } };
    expect(result.model.name).toBe("team-model");
    const named = runCli(["train", "--phrases", otherPhrases(), "--out", join(tmp, "x.json"), "--name", "team-v2"]);
    expect(named.stderr).toMatch(/^pmpo: trained team-v2 1\.0\.0: /);
  });

  it("refuses the name default for a model trained from other phrases", () => {
    for (const args of [
      ["--out", join(tmp, "default.json")],
      ["--out", join(tmp, "mine.json"), "--name", "default"],
    ]) {
      const { stderr, status } = runCli(["train", "--phrases", otherPhrases(), ...args]);
      expect(status).toBe(2);
      expect(stderr).toMatch(/^pmpo: the name "default" belongs to the shipped model/);
    }
    expect(existsSync(join(tmp, "default.json"))).toBe(false);
  });

  it("refuses phrases that yield no terms at training time (exit 2), writing nothing", () => {
    const phrases = file("stopwords.csv", "label,phrase\nproduct-manager,the and of\nproduct-owner,a an the\n");
    const out = join(tmp, "empty.json");
    const { stderr, status } = runCli(["train", "--phrases", phrases, "--out", out]);
    expect(status).toBe(2);
    expect(stderr).toBe(`pmpo: ${phrases}: the phrases yield no terms (every word is a stopword, a role name or too rare), so the model could classify nothing (add more labelled phrases with the words that mark each role)\n`);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an --out that is the phrases file", () => {
    const phrases = otherPhrases();
    const before = readFileSync(phrases, "utf8");
    const { stderr, status } = runCli(["train", "--phrases", phrases, "--out", phrases]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/is the --phrases file: writing it would destroy it/);
    expect(readFileSync(phrases, "utf8")).toBe(before);
  });
});

describe("faults end cleanly", () => {
  it.each([
    ["classify", [SNAP]],
    ["batch", ["@listings"]],
  ])("%s > /dev/full exits 2 with one line naming standard output and the cause", (command, args) => {
    const paths = args.map((a) => (a === "@listings" ? listings() : a));
    const ran = spawnSync("bash", ["-c", `node "${BIN}" ${command} ${paths.map((a) => `"${a}"`).join(" ")} > /dev/full`], { encoding: "utf8" });
    expect(ran.stderr.split("\n").filter((l) => l !== "")).toEqual(["pmpo: standard output: cannot write: no space left on the device (ENOSPC)"]);
    expect(ran.status).toBe(2);
  });

  it("batch --out /dev/full exits 2 naming the file", () => {
    const { stderr, status } = runCli(["batch", listings(), "--out", "/dev/full", "--format", "csv"]);
    expect(status).toBe(2);
    expect(stderr).toBe("pmpo: /dev/full: cannot write: no space left on the device (ENOSPC)\n");
  });

  it("stays quiet with exit 0 when the reader of stdout goes away (EPIPE)", () => {
    const ran = spawnSync("bash", ["-c", `node "${BIN}" classify "${SNAP}" | head -c 10 > /dev/null; echo "exit \${PIPESTATUS[0]}" >&2`], { encoding: "utf8" });
    expect(ran.stderr).toBe("exit 0\n");
  });

  it("refuses a --max-ad-bytes that this heap could not classify, naming both limits, and leaves no file", () => {
    const out = join(tmp, "huge-ads.csv");
    const { stderr, status } = runCli(["batch", listings(), "--max-ad-bytes", "2000M", "--out", out]);
    expect(status).toBe(2);
    expect(stderr).toMatch(
      /^pmpo: --max-ad-bytes 2,000 MiB: classifying an ad that large takes about 60,000 MiB of memory, and Node's heap limit here is [\d,]+ MiB \(lower --max-ad-bytes to \d+M or less, or raise the heap: NODE_OPTIONS=--max-old-space-size=\d+\)\n$/,
    );
    expect(readdirSync(tmp).filter((f) => f.includes("huge-ads"))).toEqual([]);
  });

  it("refuses a model file over 16 MiB before reading it", () => {
    const big = join(tmp, "huge-model.json");
    writeFileSync(big, "");
    truncateSync(big, 17 * 1024 * 1024);
    const started = Date.now();
    const { stderr, status } = runCli(["classify", SNAP, "--model", big]);
    expect(status).toBe(2);
    expect(stderr).toBe(`pmpo: ${big}: the model file is ${17 * 1024 * 1024} bytes, more than the limit of 16777216 (16 MiB) (pass a file written by \`pmpo train\`: those are far smaller)\n`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
