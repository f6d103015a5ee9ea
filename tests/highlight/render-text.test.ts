import { describe, expect, it } from "vitest";
import { renderText } from "../../src/highlight/render-text.js";
import type { Classification } from "../../src/score/result.js";
import { makeResult as makeBaseResult, type Side } from "../helpers/results.js";

// The figures this file's assertions read; each test may override them.
const FIGURES: Partial<Classification> = {
  label: "product-manager-leaning",
  confidence: 0.5676,
  pmShare: 0.7216,
  evidence: { productManager: 92.3312, productOwner: 35.5201, total: 127.8513 },
  topPhrases: {
    productManager: [
      { phrase: "strategy", term: "strategi", count: 2, weight: 5.2712 },
      { phrase: "market", term: "market", count: 1, weight: 4.58 },
    ],
    productOwner: [{ phrase: "teams", term: "team", count: 3, weight: 12.345 }],
  },
};

function makeResult(text: string, spans: Array<[string, Side]>, extra: Partial<Classification> = {}): Classification {
  return makeBaseResult(text, spans, { ...FIGURES, ...extra });
}

const ESC = "\u001b";
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

const AD = "Shape the strategy and roadmap.\nRefine the backlog with the teams.\n";
const RESULT = makeResult(AD, [
  ["strategy", "product-manager"],
  ["roadmap", "product-manager"],
  ["backlog", "product-owner"],
]);

describe("renderText without colour", () => {
  const out = renderText(AD, RESULT, { color: false });

  it("has no ANSI escapes at all", () => {
    expect(out).not.toContain(ESC);
  });

  it("starts with the label and the duty summary, then what the confidence is of, the counterfactual and the model", () => {
    const lines = out.split("\n");
    expect(lines[0]).toBe("product-manager-leaning: leans product manager");
    expect(lines[1]).toBe("2 of 3 statements state a duty: 2 read as product manager.");
    expect(lines[2]).toBe("Confidence 0.57 that it leans product manager · product manager share 72% · evidence PM 92.33 / PO 35.52");
    expect(lines[3]).toBe("No set of up to 5 duties changes the label.");
    expect(lines[4]).toBe("Model: default 1.0.0");
  });

  it("says what an insufficient-evidence confidence is of, and gives no share without evidence", () => {
    const empty = renderText("Apply now.", makeBaseResult("Apply now.", [], { label: "insufficient-evidence", confidence: 0.93 }), { color: false });
    expect(empty.split("\n")[2]).toBe("Confidence 0.93 that it states too few product duties to judge · no product evidence (no share to give)");
  });

  it("names another role with its phrases, and the phrases whose removal would change the label", () => {
    const other = makeBaseResult("Facilitate the retrospectives.", [], {
      label: "insufficient-evidence",
      otherRole: { role: "scrum-master", name: "Scrum Master or agile coach", evidence: [{ start: 15, end: 29, text: "retrospectives", weight: 2 }] },
      flips: { label: "product-owner-leaning", otherRole: null, duties: [0, 2], phrases: ["retrospectives", "impediments"] },
    });
    const lines = renderText("Facilitate the retrospectives.", other, { color: false }).split("\n");
    expect(lines[2]).toBe('Reads as another role: Scrum Master or agile coach ("retrospectives")');
    expect(lines[4]).toBe('Without these 2 duties ("retrospectives", "impediments") it would read as product-owner-leaning.');
  });

  it("brackets the evidence with its side and keeps the rest of the ad as is", () => {
    expect(out).toContain("Shape the [PM:strategy] and [PM:roadmap].\nRefine the [PO:backlog] with the teams.\n");
    expect(out.replace(/\[P[MO]:([^\]]*)\]/g, "$1")).toContain(AD);
  });

  it("prints the bracket legend", () => {
    expect(out).toContain("Legend: [PM:…] product manager  [PO:…] product owner\n");
  });

  it("lists the top phrases of each side with weights and repeat counts", () => {
    expect(out).toContain("Top product manager phrases:\n    5.27  strategy (×2)\n    4.58  market\n");
    expect(out).toContain("Top product owner phrases:\n   12.35  teams (×3)\n");
    expect(out.endsWith("   12.35  teams (×3)\n")).toBe(true);
  });

  it("says (none) for a side without phrases", () => {
    const none = renderText("nothing here", makeResult("nothing here", [], { topPhrases: { productManager: [], productOwner: [] } }), { color: false });
    expect(none).toContain("Top product manager phrases:\n  (none)\nTop product owner phrases:\n  (none)\n");
  });

  it("ends the ad with exactly one newline whether or not it had one", () => {
    const flat = "Own the backlog";
    const a = renderText(flat, makeResult(flat, [["backlog", "product-owner"]]), { color: false });
    expect(a).toContain("Own the [PO:backlog]\n────");
    expect(out).toContain("with the teams.\n────");
  });

  it("prints the title and its leaning, and flags a mismatch", () => {
    const titled = makeResult(AD, [], { title: { text: "Product Owner", leaning: "product-owner" }, titleMismatch: true });
    const page = renderText(AD, titled, { color: false });
    expect(page).toContain("Title: Product Owner (names product owner) — MISMATCH: the duties lean the other way\n");
    expect(renderText(AD, { ...titled, titleMismatch: false }, { color: false })).toContain("Title: Product Owner (names product owner)\n");
    expect(out).not.toContain("Title:");
  });
});

describe("renderText with colour", () => {
  const out = renderText(AD, RESULT, { color: true });

  it("paints product manager evidence bold blue and product owner evidence bold yellow, without brackets", () => {
    expect(out).toContain(`${ESC}[1;34mstrategy${ESC}[0m`);
    expect(out).toContain(`${ESC}[1;34mroadmap${ESC}[0m`);
    expect(out).toContain(`${ESC}[1;33mbacklog${ESC}[0m`);
    expect(out).not.toContain("[PM:");
    expect(out).not.toContain("[PO:");
  });

  it("makes the label bold and the legend coloured", () => {
    expect(out.startsWith(`${ESC}[1mproduct-manager-leaning${ESC}[0m: leans product manager\n`)).toBe(true);
    expect(out).toContain(`Legend: ${ESC}[1;34mproduct manager${ESC}[0m  ${ESC}[1;33mproduct owner${ESC}[0m\n`);
  });

  it("reads as the same report once the colours are stripped", () => {
    const plain = stripAnsi(out);
    expect(plain).toContain(AD);
    expect(plain).toContain("Legend: product manager  product owner\n");
    const uncoloured = renderText(AD, RESULT, { color: false });
    const tail = (s: string) => s.slice(s.indexOf("Top product manager phrases:"));
    expect(tail(plain)).toBe(tail(uncoloured));
  });

  it("resets after every coloured run", () => {
    const opens = out.match(/\u001b\[(?:1;34|1;33|1|2)m/g) ?? [];
    const resets = out.match(/\u001b\[0m/g) ?? [];
    expect(opens.length).toBe(resets.length);
    expect(opens.length).toBeGreaterThan(3);
  });
});

describe("renderText with terminal controls in the ad", () => {
  // A window title (OSC 0), a screen clear (CSI), an OSC-8 link, a C1 CSI, a bell, a backspace,
  // a lone CR, DEL and a right-to-left override: each would act on the terminal, not show.
  const HOSTILE =
    "Own the \u001b]0;pwned\u0007backlog.\u001b[2J Shape the \u001b]8;;http://evil.test\u001b\\roadmap\u001b]8;;\u001b\\ now\u009b31m.\b\rX\u007f \u202eevil\u202c \u2066iso\u2069\r\nnext\tline";
  const result = makeResult(HOSTILE, [
    ["backlog", "product-owner"],
    ["roadmap", "product-manager"],
  ]);
  // Only the colours pmpo itself writes may reach the terminal.
  const ownCodes = /\u001b\[(?:1;34|1;33|1|2|0)m/g;

  it.each([false, true])("lets no control character or bidi override through (colour %s)", (color) => {
    const out = renderText(HOSTILE, result, { color }).replace(ownCodes, "");
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("shows each one as a visible stand-in instead of deleting it, and keeps the highlights on their words", () => {
    const out = renderText(HOSTILE, result, { color: false });
    expect(out).toContain("Own the ␛]0;pwned␇[PO:backlog].␛[2J Shape the ␛]8;;http://evil.test␛\\[PM:roadmap]␛]8;;␛\\ now<U+009B>31m.␈␍X␡ <U+202E>evil<U+202C> <U+2066>iso<U+2069>\nnext\tline\n");
  });

  it("makes the title, the phrases and the model name safe too", () => {
    const titled = makeResult(HOSTILE, [], {
      title: { text: "PO\u001b[2J", leaning: "product-owner" },
      topPhrases: { productManager: [{ phrase: "road\u001b]0;x\u0007map", term: "roadmap", count: 1, weight: 1 }], productOwner: [] },
      model: { name: "m\u001b[31m", version: "1.0.0", trainingHash: "abc" },
    });
    const out = renderText(HOSTILE, titled, { color: true }).replace(ownCodes, "");
    expect(out).not.toContain("\u001b");
    expect(out).toContain("Title: PO␛[2J");
    expect(out).toContain("road␛]0;x␇map");
    expect(out).toContain("Model: m␛[31m 1.0.0");
  });
});
