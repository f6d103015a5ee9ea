import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { confidenceOf, decideLabel, pmShareOf } from "../../src/score/decide.js";
import type { Model } from "../../src/model/schema.js";

const reason = "a reason long enough";
const thresholds: Model["settings"]["thresholds"] = {
  minEvidence: { value: 10, reason },
  managerShare: { value: 0.65, reason },
  ownerShare: { value: 0.35, reason },
  hybridMinSide: { value: 5, reason },
  confidenceScale: { value: 8, reason },
  sharePrior: { value: 2, reason },
};

describe("decideLabel", () => {
  it.each([
    ["no evidence", 0, 0, "insufficient-evidence"],
    ["too little evidence", 6, 3, "insufficient-evidence"],
    ["clear product manager", 30, 5, "product-manager-leaning"],
    ["clear product owner", 4, 30, "product-owner-leaning"],
    ["both substantial", 20, 18, "hybrid"],
    ["middle share but a thin minority", 9, 4, "product-manager-leaning"],
  ])("%s (%d / %d) → %s", (_name, pm, po, label) => {
    expect(decideLabel({ productManager: pm, productOwner: po }, thresholds)).toBe(label);
  });
});

describe("pmShareOf", () => {
  it("is one half without evidence and moves towards the raw share as evidence grows", () => {
    expect(pmShareOf({ productManager: 0, productOwner: 0 }, 2)).toBe(0.5);
    expect(pmShareOf({ productManager: 2, productOwner: 0 }, 2)).toBeCloseTo(4 / 6);
    expect(pmShareOf({ productManager: 200, productOwner: 0 }, 2)).toBeCloseTo(202 / 204);
    expect(pmShareOf({ productManager: 3, productOwner: 1 }, 0)).toBe(0.75);
  });
});

describe("confidence and share stay in [0, 1]", () => {
  it("for any evidence", () => {
    const amount = fc.double({ min: 0, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(amount, amount, (pm, po) => {
        const totals = { productManager: pm, productOwner: po };
        const label = decideLabel(totals, thresholds);
        const c = confidenceOf(label, totals, thresholds);
        const s = pmShareOf(totals, thresholds.sharePrior.value);
        return c >= 0 && c <= 1 && s >= 0 && s <= 1;
      }),
    );
  });
});
