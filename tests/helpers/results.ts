import type { Classification, Highlight } from "../../src/score/result.js";

/** Which side a hand-made span is on. */
export type Side = Highlight["leaning"];

/**
 * A hand-made result for renderer tests: each [phrase, side] is found in the text after the
 * previous one and weighs 1.5; `fields` sets the label, figures and lists the test checks.
 */
export function makeResult(text: string, spans: Array<[string, Side]>, fields: Partial<Classification> = {}): Classification {
  let cursor = 0;
  const highlights: Highlight[] = spans.map(([phrase, leaning]) => {
    const start = text.indexOf(phrase, cursor);
    if (start < 0) throw new Error(`test setup: "${phrase}" not found after ${cursor}`);
    cursor = start + phrase.length;
    return { start, end: cursor, text: phrase, leaning, weight: 1.5, section: "responsibilities", term: phrase.toLowerCase() };
  });
  const pm = highlights.filter((h) => h.leaning === "product-manager").length * 1.5;
  const po = highlights.filter((h) => h.leaning === "product-owner").length * 1.5;
  return {
    label: "product-manager-leaning",
    confidence: 0.61,
    pmShare: pm + po === 0 ? 0.5 : pm / (pm + po),
    evidence: { productManager: pm, productOwner: po, total: pm + po },
    summary: "2 of 3 statements state a duty: 2 read as product manager.",
    dutyCounts: { statements: 3, productManager: 2, productOwner: 0, both: 0, otherRole: 0, none: 1 },
    duties: [],
    otherRole: null,
    flips: null,
    highlights,
    topPhrases: { productManager: [], productOwner: [] },
    sections: [],
    title: null,
    titleMismatch: false,
    model: { name: "default", version: "1.0.0", trainingHash: "abc" },
    inputLength: text.length,
    language: "en",
    ...fields,
  };
}
