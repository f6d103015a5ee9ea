import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeLabel, percent, segmentText } from "../../src/highlight/segments.js";
import { LABELS, type Highlight } from "../../src/score/result.js";

function hl(text: string, start: number, end: number, leaning: Highlight["leaning"] = "product-manager"): Highlight {
  return { start, end, text: text.slice(start, end), leaning, weight: 1, section: "responsibilities", term: "t" };
}

describe("segmentText", () => {
  it("gives one plain segment without highlights, and none for empty text", () => {
    expect(segmentText("plain ad", [])).toEqual([{ text: "plain ad", highlight: null }]);
    expect(segmentText("", [])).toEqual([]);
  });

  it("cuts plain and highlighted stretches in order", () => {
    const text = "own the roadmap and the backlog";
    const a = hl(text, 8, 15);
    const b = hl(text, 24, 31, "product-owner");
    expect(segmentText(text, [a, b])).toEqual([
      { text: "own the ", highlight: null },
      { text: "roadmap", highlight: a },
      { text: " and the ", highlight: null },
      { text: "backlog", highlight: b },
    ]);
  });

  it("handles highlights at the very start, at the end and next to each other", () => {
    const text = "vision roadmap";
    const a = hl(text, 0, 6);
    const b = hl(text, 6, 7, "product-owner");
    const c = hl(text, 7, 14);
    const segments = segmentText(text, [a, b, c]);
    expect(segments.map((s) => s.text)).toEqual(["vision", " ", "roadmap"]);
    expect(segments.every((s) => s.highlight !== null)).toBe(true);
  });

  it("skips a highlight that overlaps the previous one or runs past the text", () => {
    const text = "product backlog";
    const a = hl(text, 0, 7);
    const overlapping = hl(text, 3, 10);
    const outside = { ...hl(text, 8, 15), end: 99 };
    const segments = segmentText(text, [a, overlapping, outside]);
    expect(segments).toEqual([
      { text: "product", highlight: a },
      { text: " backlog", highlight: null },
    ]);
  });

  it("always covers the text exactly, with each highlight's own slice", () => {
    const arb = fc.string({ minLength: 0, maxLength: 60 }).chain((text) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 10 })
        .map((cuts) => {
          const sorted = [...cuts].sort((x, y) => x - y);
          // Distinct sorted cuts paired up: disjoint, non-empty highlights in order.
          const highlights: Highlight[] = [];
          for (let i = 0; i + 1 < sorted.length; i += 2) highlights.push(hl(text, sorted[i] as number, sorted[i + 1] as number));
          return { text, highlights };
        }),
    );
    fc.assert(
      fc.property(arb, ({ text, highlights }) => {
        const segments = segmentText(text, highlights);
        expect(segments.map((s) => s.text).join("")).toBe(text);
        const marked = segments.filter((s) => s.highlight !== null);
        expect(marked.map((s) => s.highlight)).toEqual(highlights);
        for (const s of marked) expect(s.text).toBe(text.slice(s.highlight!.start, s.highlight!.end));
        expect(segments.some((s) => s.highlight === null && s.text === "")).toBe(false);
      }),
    );
  });
});

describe("describeLabel", () => {
  it("has words for every label", () => {
    expect(describeLabel("product-manager-leaning")).toBe("leans product manager");
    expect(describeLabel("product-owner-leaning")).toBe("leans product owner");
    expect(describeLabel("hybrid")).toBe("hybrid of product manager and product owner");
    expect(describeLabel("insufficient-evidence")).toBe("insufficient evidence to judge");
    expect(new Set(LABELS.map(describeLabel)).size).toBe(LABELS.length);
  });
});

describe("percent", () => {
  it("rounds a share to a whole percentage", () => {
    expect(percent(0)).toBe("0%");
    expect(percent(1)).toBe("100%");
    expect(percent(0.5)).toBe("50%");
    expect(percent(0.7216)).toBe("72%");
    expect(percent(0.726)).toBe("73%");
  });
});
