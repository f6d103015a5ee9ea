import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { classify } from "../../src/score/classify.js";
import { classificationSchema, classifyOptionsSchema } from "../../src/schemas.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { fixture } from "../helpers/paths.js";

const model = loadDefaultModel();
const ad = (name: string) => readFileSync(fixture("ads", name), "utf8");

describe("fixtures come out right", () => {
  it.each([
    ["snap-payments-pm.txt", "product-manager-leaning"],
    ["fedex-logistics-po.txt", "product-owner-leaning"],
    ["hybrid-startup-pm-po.txt", "hybrid"],
    ["po-title-strategy-duties.txt", "product-manager-leaning"],
    ["pm-title-scrum-duties.txt", "product-owner-leaning"],
    ["html-pasted-po.html.txt", "product-owner-leaning"],
    ["markdown-escaped-pm.txt", "product-manager-leaning"],
    ["flattened-hybrid.txt", "hybrid"],
    ["teaser-short.txt", "insufficient-evidence"],
    ["boilerplate-heavy-po.txt", "product-owner-leaning"],
    // The duties issue's four patterns.
    ["discovery-pm.txt", "product-manager-leaning"],
    ["po-requirements-intake.txt", "product-owner-leaning"],
    ["hybrid-small-backlog-block.txt", "hybrid"],
    // Two duties in one sentence, joined by ", and": two duties towards the floor.
    ["short-two-duty-pm.txt", "product-manager-leaning"],
  ])("%s → %s", (file, label) => {
    const result = classify(ad(file), { model });
    expect(result.label).toBe(label);
    expect(result.otherRole).toBeNull();
  });

  it("counts two clauses joined by \", and\" that each hold a duty's evidence as two duties towards the floor", () => {
    // Three points of evidence: under the floor of points, so only the two duties pass it.
    const joined = "You will build the scheduling roadmap with our partners, and set the vision for how our apps fit together.";
    const result = classify(joined, { model });
    expect(result.evidence.total).toBeLessThan(model.settings.thresholds.minDutyVotes.value);
    expect(result.label).toBe("product-manager-leaning");
    // The same words as one clause state one duty.
    expect(classify(joined.replace(", and", " and"), { model }).label).toBe("insufficient-evidence");
    // A clause without a duty's evidence adds none: "…, and enjoy the view" is still one duty.
    expect(classify("You will build the scheduling roadmap with our partners and set the vision, and enjoy the view.", { model }).label).toBe("insufficient-evidence");
  });

  it.each([
    ["scrum-master.txt", "scrum-master"],
    ["it-project-manager.txt", "project-manager"],
    ["product-marketing-manager.txt", "product-marketing"],
    ["qa-engineer-sprints.txt", "qa-engineer"],
    ["business-analyst.txt", "business-analyst"],
    // Job boards list every role: engineers, designers and analysts use the product words too.
    ["backend-engineer.txt", "software-engineer"],
    ["software-engineer-sprints.txt", "software-engineer"],
    ["ux-designer.txt", "ux-designer"],
    ["data-analyst.txt", "data-analyst"],
  ])("%s → insufficient-evidence, reading as %s, with that role's evidence", (file, role) => {
    const result = classify(ad(file), { model });
    expect(result.label).toBe("insufficient-evidence");
    expect(result.otherRole?.role).toBe(role);
    expect(result.otherRole?.evidence.length).toBeGreaterThan(0);
  });

  it("reports a product owner title over strategy duties as a mismatch", () => {
    const result = classify(ad("po-title-strategy-duties.txt"), { model, title: "Product Owner" });
    expect(result.title).toEqual({ text: "Product Owner", leaning: "product-owner" });
    expect(result.titleMismatch).toBe(true);
  });

  it("does not flag a title that matches the duties", () => {
    const result = classify(ad("snap-payments-pm.txt"), { model, title: "Product Manager, Payments" });
    expect(result.titleMismatch).toBe(false);
  });
});

describe("evidence", () => {
  it("role names in the body are not evidence", () => {
    const result = classify("The Product Owner, the product managers, the PO and the PM.", { model });
    expect(result.highlights).toEqual([]);
    expect(result.label).toBe("insufficient-evidence");
  });

  it("benefits and equal-opportunity text count for nothing", () => {
    const strategyWords = "Set the product strategy, vision and roadmap for new markets.";
    const inBenefits = classify(`Benefits\n${strategyWords}\n`, { model });
    const inDuties = classify(`Responsibilities\n${strategyWords}\n`, { model });
    expect(inBenefits.evidence.total).toBe(0);
    expect(inDuties.evidence.productManager).toBeGreaterThan(0);
  });

  it("every point of the score is a highlight", () => {
    const result = classify(ad("hybrid-startup-pm-po.txt"), { model });
    const sum = (side: string) => result.highlights.filter((h) => h.leaning === side).reduce((s, h) => s + h.weight, 0);
    expect(result.evidence.productManager).toBeCloseTo(sum("product-manager"), 3);
    expect(result.evidence.productOwner).toBeCloseTo(sum("product-owner"), 3);
  });

  it("matches the longest term: a backlog phrase is one span, not three", () => {
    const result = classify("Responsibilities\nOwn and refine the product backlog with the Scrum team.\n", { model });
    for (const h of result.highlights) expect(h.text.split(/\s+/).length).toBeLessThanOrEqual(3);
    expect(result.highlights.some((h) => /backlog/i.test(h.text))).toBe(true);
  });

  it("offsets are into the text as given, HTML and all", () => {
    const text = ad("html-pasted-po.html.txt");
    const result = classify(text, { model });
    expect(result.highlights.length).toBeGreaterThan(0);
    for (const h of result.highlights) expect(text.slice(h.start, h.end)).toBe(h.text);
  });

  it("the result matches its schema", () => {
    expect(() => classificationSchema.parse(classify(ad("fedex-logistics-po.txt"), { model, title: "Product Owner" }))).not.toThrow();
  });
});

describe("properties", () => {
  const words = ["backlog", "strategy", "user stories", "roadmap", "sprint", "vision", "the", "team", "Responsibilities\n", "Benefits\n", "<b>", "&amp;", "**", "\n- ", ". ", "é", "😀", "\uFEFF"];
  const adText = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((w) => w.join(" ")));

  it("share and confidence stay in [0, 1]; highlights lie inside the input and slice to their text", () => {
    fc.assert(
      fc.property(adText, (text) => {
        const r = classify(text, { model });
        if (r.pmShare < 0 || r.pmShare > 1 || r.confidence < 0 || r.confidence > 1) return false;
        let last = 0;
        for (const h of r.highlights) {
          if (h.start < last || h.end > text.length || text.slice(h.start, h.end) !== h.text) return false;
          last = h.end;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic", () => {
    fc.assert(fc.property(adText, (text) => JSON.stringify(classify(text, { model })) === JSON.stringify(classify(text, { model }))));
  });
});

describe("options", () => {
  it("flips: false skips the counterfactual and changes nothing else", () => {
    const text = ad("hybrid-startup-pm-po.txt");
    const full = classify(text, { model });
    expect(full.flips).not.toBeNull();
    expect(classify(text, { model, flips: false })).toEqual({ ...full, flips: null });
  });

  it.each([
    ["a missing model", { model: undefined }, "classify: options.model: expected a model from loadModel or loadDefaultModel"],
    ["a title that is not text", { model, title: 42 }, /classify: options\.title: /],
    ["a negative topPhrases", { model, topPhrases: -1 }, "classify: options.topPhrases: expected a whole number from 0 to 100, received -1"],
    ["a fractional topPhrases", { model, topPhrases: 2.5 }, "classify: options.topPhrases: expected a whole number from 0 to 100, received 2.5"],
    ["a topPhrases as text", { model, topPhrases: "3" }, "classify: options.topPhrases: expected a whole number from 0 to 100, received string"],
    ["flips that is not a boolean", { model, flips: "no" }, "classify: options.flips: expected a boolean, received string"],
  ])("refuses %s with a clear error", (_name, options, message) => {
    expect(() => classify("Own the backlog.", options as never)).toThrow(message);
  });

  it("accepts exactly the options that pmpo/schemas' classifyOptionsSchema accepts", () => {
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 103 }), fc.double({ noNaN: false }));
    fc.assert(
      fc.property(value, value, value, fc.boolean(), (title, topPhrases, flips, withModel) => {
        const options = { model: withModel ? model : { format: "other" }, title, topPhrases, flips };
        let accepted = true;
        try {
          classify("Own the backlog.", options as never);
        } catch (error) {
          expect((error as Error).message).toMatch(/^classify: options\.(model|title|topPhrases|flips): expected /);
          accepted = false;
        }
        expect(accepted).toBe(classifyOptionsSchema.safeParse(options).success);
      }),
      { numRuns: 300 },
    );
  });

  it("lists as many top phrases as asked", () => {
    const result = classify(ad("hybrid-startup-pm-po.txt"), { model, topPhrases: 2 });
    expect(result.topPhrases.productManager).toHaveLength(2);
    expect(result.topPhrases.productOwner).toHaveLength(2);
  });
});
