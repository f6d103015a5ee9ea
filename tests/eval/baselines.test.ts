import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { baselineLabel, countKeywords, keywordBaseline, keywordPhraseLabel, trainBayesBaseline } from "../../src/eval/baselines.js";
import { parsePhrases } from "../../src/model/train.js";

const PHRASES_PATH = fixture("eval", "phrases-small.csv");
const { phrases } = parsePhrases(readFileSync(PHRASES_PATH, "utf8"), "phrases-small.csv");

describe("countKeywords", () => {
  it.each([
    ["Own the roadmap and the product strategy", 2, 0],
    ["Refine the backlog and write user stories", 0, 2],
    ["roadmaps, Roadmap and road-map", 3, 0],
    ["KPIs, OKRs and metrics", 3, 0],
    ["Sprint planning, sprint review, daily stand-up", 0, 3],
    ["strategic vision for new markets", 3, 0],
    // word boundaries: none of these is a keyword
    ["a strategist, backlogged, sprinter, marketing, visionary", 0, 0],
    ["", 0, 0],
  ])("%j: %i product manager, %i product owner", (text, pm, po) => {
    const counts = countKeywords(text);
    expect([counts.productManager, counts.productOwner]).toEqual([pm, po]);
  });

  it("names the keywords it found", () => {
    expect(countKeywords("Backlog backlog scrum").hits).toEqual({ backlog: 2, scrum: 1 });
  });
});

describe("baselineLabel", () => {
  it.each([
    [0, 0.5, "insufficient-evidence"],
    [2, 1, "insufficient-evidence"],
    [3, 1, "product-manager-leaning"],
    [3, 2 / 3, "product-manager-leaning"],
    [3, 0.6, "hybrid"],
    [3, 0.5, "hybrid"],
    [3, 1 / 3, "product-owner-leaning"],
    [10, 0, "product-owner-leaning"],
  ] as const)("%d units of evidence at pmShare %d: %s", (evidence, share, label) => {
    expect(baselineLabel(evidence, share)).toBe(label);
  });
});

describe("keywordBaseline", () => {
  it.each([
    ["Set the vision and strategy, own the roadmap.", "product-manager-leaning", 1],
    ["Order the backlog, write user stories, run the sprint review.", "product-owner-leaning", 0],
    ["Own the strategy and the roadmap, informed by market research; write user stories, groom the backlog, take part in every sprint and the scrum.", "hybrid", 3 / 7],
    ["A friendly team and free lunches.", "insufficient-evidence", 0.5],
    ["Vision and backlog.", "insufficient-evidence", 0.5],
  ] as const)("%j → %s", (text, label, share) => {
    const result = keywordBaseline(text);
    expect(result.label).toBe(label);
    expect(result.pmShare).toBeCloseTo(share, 10);
  });

  it("reads a phrase as the side with more hits, neutral on a tie", () => {
    expect(keywordPhraseLabel("Own the roadmap")).toBe("product-manager");
    expect(keywordPhraseLabel("Refine the backlog")).toBe("product-owner");
    expect(keywordPhraseLabel("Own the roadmap and the backlog")).toBe("neutral");
    expect(keywordPhraseLabel("Collaborate with design")).toBe("neutral");
  });
});

describe("trainBayesBaseline", () => {
  const bayes = trainBayesBaseline(phrases);

  it("classifies phrases like the ones it learnt", () => {
    expect(bayes.classifyPhrase("Write user stories for the next sprint")).toBe("product-owner");
    expect(bayes.classifyPhrase("Own the long-term product vision and the roadmap")).toBe("product-manager");
  });

  it("gives posteriors that sum to one, and none for a text with no known word", () => {
    const p = bayes.posteriors("Refine the backlog with the scrum team");
    expect(p).not.toBeNull();
    expect(p!["product-manager"] + p!["product-owner"] + p!.neutral).toBeCloseTo(1, 10);
    expect(p!["product-owner"]).toBeGreaterThan(p!["product-manager"]);
    expect(bayes.posteriors("zebra quokka")).toBeNull();
  });

  it("labels an ad by its sentences", () => {
    const owner = bayes.classifyAd("Own and order the backlog.\nWrite user stories with acceptance criteria.\nRun backlog refinement before each sprint.\nAttend the daily stand-up with the scrum team.");
    expect(owner.label).toBe("product-owner-leaning");
    expect(owner.pmShare).toBeLessThan(1 / 3);
    expect(owner.evidence.productOwner).toBeGreaterThanOrEqual(3);
    const none = bayes.classifyAd("Zebras and quokkas. Free lunches!");
    expect(none).toEqual({ label: "insufficient-evidence", pmShare: 0.5, evidence: { productManager: 0, productOwner: 0 } });
  });

  it("stays finite on an ad far too long for natural's unlogged whole-text probabilities", () => {
    // Hundreds of distinct known words: natural multiplies one small probability per word.
    const word = (i: number) => `qz${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
    const many = Array.from({ length: 300 }, (_, i) => i);
    const big = trainBayesBaseline([
      ...many.map((i) => ({ label: "product-manager" as const, phrase: `Define the roadmap ${word(i)}` })),
      ...many.map((i) => ({ label: "product-owner" as const, phrase: `Refine the backlog ${word(i + 300)}` })),
    ]);
    const ad = many.map((i) => `Define the roadmap ${word(i)}.`).join("\n");
    expect(big.posteriors(ad)).toBeNull(); // the whole ad at once underflows to 0 for every class
    const result = big.classifyAd(ad);
    expect(Number.isFinite(result.pmShare)).toBe(true);
    expect(result.pmShare).toBeGreaterThan(0.99);
    expect(result).toMatchObject({ label: "product-manager-leaning", evidence: { productManager: 300, productOwner: 0 } });
  });
});
