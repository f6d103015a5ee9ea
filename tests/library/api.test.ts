// The library as a caller sees it: src/index.ts, its doc comments, its option checks and its errors.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as pmpo from "../../src/index.js";
import { suggestOption } from "../../src/option-keys.js";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { fixture, ROOT } from "../helpers/paths.js";

const model = pmpo.loadDefaultModel();
const AD = fixture("ads", "fedex-logistics-po.txt");
const text = readFileSync(AD, "utf8");
const csv = (body: string) => Readable.from([Buffer.from(body)]);

function usageError(run: () => unknown): pmpo.PmpoError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(pmpo.UsageError);
    return error as pmpo.PmpoError;
  }
  throw new Error("expected a UsageError");
}

describe("classify options", () => {
  it.each([
    ["jobTitle", "Product Owner", 'classify: options: unknown option "jobTitle": did you mean title?'],
    ["topPhrase", 3, 'classify: options: unknown option "topPhrase": did you mean topPhrases?'],
    ["top_phrases", 3, 'classify: options: unknown option "top_phrases": did you mean topPhrases?'],
    ["flip", false, 'classify: options: unknown option "flip": did you mean flips?'],
    ["textColumn", "description", 'classify: options: unknown option "textColumn"'],
  ])("rejects %s, naming the option meant", (key, value, message) => {
    const error = usageError(() => pmpo.classify(text, { model, [key]: value } as pmpo.ClassifyOptions));
    expect(error.message).toBe(message);
    expect(error.hint).toBe("the options are model, title, topPhrases, flips");
  });

  it("takes every option it documents, an undefined one too", () => {
    const result = pmpo.classify(text, { model, title: "Product Owner", topPhrases: 2, flips: false });
    expect(result.topPhrases.productOwner).toHaveLength(2);
    expect(result.flips).toBeNull();
    expect(pmpo.classify(text, { model, title: undefined }).label).toBe("product-owner-leaning");
  });
});

describe("scoreRecords options", () => {
  it.each([
    [{ textColumn: "body" }, 'scoreRecords: options: unknown option "textColumn": did you mean columns.text?'],
    [{ text_column: "body" }, 'scoreRecords: options: unknown option "text_column": did you mean columns.text?'],
    [{ titleColumn: "role" }, 'scoreRecords: options: unknown option "titleColumn": did you mean columns.title?'],
    [{ worker: 2 }, 'scoreRecords: options: unknown option "worker": did you mean workers?'],
    [{ threads: 2 }, 'scoreRecords: options: unknown option "threads": did you mean workers?'],
    [{ encodnig: "latin1" }, 'scoreRecords: options: unknown option "encodnig": did you mean encoding?'],
    [{ columns: { description: "body" } }, 'scoreRecords: options.columns: unknown option "description": did you mean text?'],
  ])("rejects %o at the call, before reading", (extra, message) => {
    let pulled = false;
    const source = (async function* () {
      pulled = true;
      yield Buffer.from("id,description\n1,x\n");
    })();
    const error = usageError(() => pmpo.scoreRecords(source, { model, ...extra } as pmpo.BatchOptions));
    expect(error.message).toBe(message);
    expect(pulled).toBe(false);
  });

  it("lists the options, and says when the model is missing", () => {
    const error = usageError(() => pmpo.scoreRecords(csv(""), { model, nonsense: 1 } as pmpo.BatchOptions));
    expect(error.message).toBe('scoreRecords: options: unknown option "nonsense"');
    expect(error.hint).toBe("the options are model, encoding, delimiter, maxAdBytes, columns, source, workers, highlights, topPhrases, csvFormulas, quote, keepColumns, shard");
    expect(usageError(() => pmpo.scoreRecords(csv(""), {} as pmpo.BatchOptions)).message).toBe("scoreRecords: options.model is missing");
  });

  it("takes the column option it names", async () => {
    const labels: string[] = [];
    const body = `ref,body\n7,${JSON.stringify(text)}\n`;
    for await (const event of pmpo.scoreRecords(csv(body), { model, columns: { text: "body", id: "ref", title: undefined } })) {
      if (event.kind === "scored") labels.push(`${event.id}:${event.result.label}`);
    }
    expect(labels).toEqual(["7:product-owner-leaning"]);
  });
});

describe("suggestOption", () => {
  it.each([
    ["Title", ["model", "title"], "title"],
    ["modle", ["model", "title"], "model"],
    ["top", ["model", "title", "topPhrases"], null],
    ["x", ["model"], null],
  ])("%s among %o → %s", (key, known, meant) => {
    expect(suggestOption(key, known)).toBe(meant);
  });
});

describe("library errors name options, not CLI flags", () => {
  const noFlag = (error: pmpo.PmpoError) => expect(`${error.message} ${error.hint ?? ""}`).not.toMatch(/--[a-z]/);

  it("no text column: the hint names the text column, the option is columns.text", () => {
    let error: pmpo.PmpoError | undefined;
    try {
      pmpo.pickColumns(["id", "summary"], {}, "in.csv");
    } catch (e) {
      error = e as pmpo.PmpoError;
    }
    expect(error?.code).toBe("NO_TEXT_COLUMN");
    expect(error?.option).toBe("columns.text");
    expect(error?.hint).toBe("name the column of ad text (the columns.text option; the first line must be the header)");
    noFlag(error!);
  });

  it.each([
    [{ id: "ref" }, "columns.id"],
    [{ title: "role" }, "columns.title"],
  ] as const)("a missing %o column names %s", (overrides, option) => {
    let error: pmpo.PmpoError | undefined;
    try {
      pmpo.pickColumns(["id", "description"], overrides, "in.csv");
    } catch (e) {
      error = e as pmpo.PmpoError;
    }
    expect(error?.option).toBe(option);
    noFlag(error!);
  });

  it("not UTF-8: the error and each rejected record say to read it as latin1, with no flag", async () => {
    const latin1 = Buffer.concat([Buffer.from("id,description\n1,"), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from("\n")]);
    let error: pmpo.PmpoError | undefined;
    try {
      for await (const _ of pmpo.scoreRecords(Readable.from([latin1]), { model })) void _;
    } catch (e) {
      error = e as pmpo.PmpoError;
    }
    expect(error?.code).toBe("INPUT_ENCODING");
    expect(error?.option).toBe("encoding");
    noFlag(error!);
    // A bad record after a good start is one reject, its message free of flags too.
    const late = Buffer.concat([Buffer.from(`id,description\n1,${"a".repeat(70_000)}\n2,`), Buffer.from([0xe9]), Buffer.from("\n")]);
    const rejects: string[] = [];
    for await (const event of pmpo.scoreRecords(Readable.from([late]), { model })) if (event.kind === "rejected") rejects.push(event.message);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatch(/^not valid UTF-8 at byte \d+ \(if the file is Latin-1 or Windows-1252, read it with encoding latin1\)$/);
  });

  it("the CLI names its flag for the same error", () => {
    assertBuilt();
    const ran = runCli(["batch", fixture("eval", "no-text-column.csv")]);
    expect(ran.status).toBe(3);
    expect(ran.stderr).toContain("(name the column of ad text with --text-column NAME (the first line must be the header))");
  });
});

describe("renderers", () => {
  assertBuilt();
  const result = pmpo.classify(text, { model });
  it.each([
    ["text", () => pmpo.renderText(text, result, { color: false })],
    ["markdown", () => pmpo.renderMarkdown(text, result)],
    ["html", () => pmpo.renderHtml(text, result)],
  ])("%s gives what pmpo classify prints", (format, render) => {
    const ran = runCli(["classify", "--format", format, AD]);
    expect(ran.stderr).toBe("");
    expect(render()).toBe(ran.stdout);
  });
});

describe("the export list", () => {
  const index = readFileSync(join(ROOT, "src/index.ts"), "utf8");

  it("puts a one-line doc comment on every export statement", () => {
    const lines = index.split("\n");
    const undocumented = lines.flatMap((line, i) => (line.startsWith("export ") && !/^\/\*\*.*\*\/$/.test(lines[i - 1] ?? "") ? [line] : []));
    expect(undocumented).toEqual([]);
  });

  it("gives every exported declaration a doc comment where it is declared", () => {
    const dts = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? dts(join(dir, e.name)) : e.name.endsWith(".d.ts") ? [readFileSync(join(dir, e.name), "utf8")] : []));
    const declarations = dts(join(ROOT, "dist")).join("\n").split("\n");
    const names = [...index.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((n) => n.replace(/\btype\b/, "").trim()).filter(Boolean));
    expect(names.length).toBeGreaterThan(80);
    const missing = names.filter((name) => {
      const at = declarations.findIndex((line) => new RegExp(`^export (declare )?(abstract )?(function|const|class|interface|type) ${name}\\b`).test(line));
      if (at < 0) return true;
      return !/\*\/\s*$/.test(declarations[at - 1] ?? "");
    });
    expect(missing).toEqual([]);
  });

  it("exports a set that needs nothing it does not export: no matchTerms without CompiledModel", () => {
    expect("matchTerms" in pmpo).toBe(false);
    expect(typeof pmpo.renderText).toBe("function");
    expect(typeof pmpo.renderMarkdown).toBe("function");
    expect(typeof pmpo.renderHtml).toBe("function");
  });
});
