import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { confidenceOf, decideLabel, pmShareOf, statementLeaning, type DutyVotes, type StatementEvidence } from "../../src/score/decide.js";
import { thresholds, r } from "../helpers/thresholds.js";

const votes = (productManager: number, productOwner: number, extra: Partial<DutyVotes> = {}): DutyVotes => ({
  productManager,
  productOwner,
  roles: {},
  statements: 10,
  productStatements: 5,
  productDuties: 5,
  ...extra,
});

describe("decideLabel", () => {
  it.each([
    ["no votes", votes(0, 0, { productStatements: 0 }), "insufficient-evidence"],
    ["votes under the floor", votes(5, 2), "insufficient-evidence"],
    ["clear product manager", votes(30, 5), "product-manager-leaning"],
    ["clear product owner", votes(4, 30), "product-owner-leaning"],
    ["each side a third or more, both blocks substantial", votes(20, 12), "hybrid"],
    ["a third on the small side but a thin block", votes(14, 7), "product-manager-leaning"],
    ["just under the hybrid share", votes(29, 12), "product-manager-leaning"],
  ])("%s → %s", (_name, v, label) => {
    expect(decideLabel(v, thresholds).label).toBe(label);
  });

  it("judges a short ad that states two clear duties (minDuties), whatever its points", () => {
    const short = votes(4, 0, { productDuties: 2, productStatements: 2 });
    expect(decideLabel(short, thresholds).label).toBe("insufficient-evidence");
    expect(decideLabel(short, { ...thresholds, minDuties: r(2) }).label).toBe("product-manager-leaning");
    // One duty is still too little, and the duties count with their sections' weights.
    expect(decideLabel({ ...short, productDuties: 1.5 }, { ...thresholds, minDuties: r(2) }).label).toBe("insufficient-evidence");
  });

  it("needs a share of the statements to lean: stray phrases in a long ad of other work are not a product role", () => {
    expect(decideLabel(votes(12, 0, { statements: 40, productStatements: 3 }), thresholds).label).toBe("insufficient-evidence");
    expect(decideLabel(votes(12, 0, { statements: 20, productStatements: 3 }), thresholds).label).toBe("product-manager-leaning");
  });

  it("reads the ad as another role when that role's duties (section-weighted) outnumber the product duties", () => {
    const scrum = decideLabel(votes(3, 9, { roles: { "scrum-master": 6 }, productDuties: 4 }), thresholds);
    expect(scrum).toMatchObject({ label: "insufficient-evidence", otherRole: "scrum-master" });
    // Fewer of the role's duties than product duties: a product role that mentions the other role's work.
    expect(decideLabel(votes(3, 20, { roles: { "scrum-master": 3 }, productDuties: 6 }), thresholds)).toMatchObject({ label: "product-owner-leaning", otherRole: null });
    // One stray duty is not a role.
    expect(decideLabel(votes(0, 0, { roles: { "qa-engineer": 1 }, productDuties: 0, productStatements: 0 }), thresholds).otherRole).toBeNull();
  });

  it("picks the strongest other role, by name on a tie", () => {
    expect(decideLabel(votes(0, 0, { roles: { "project-manager": 10, "business-analyst": 10 } }), thresholds).otherRole).toBe("business-analyst");
    expect(decideLabel(votes(0, 0, { roles: { "project-manager": 11, "business-analyst": 10 } }), thresholds).otherRole).toBe("project-manager");
  });
});

const evidence = (pm: number, po: number, head: StatementEvidence["head"] = null, role: StatementEvidence["role"] = null): StatementEvidence => ({
  productManager: pm,
  productOwner: po,
  head,
  role,
});

describe("statementLeaning", () => {
  it.each([
    ["too little evidence", evidence(1, 0.5), "none"],
    ["strategy only", evidence(5, 0), "product-manager"],
    ["backlog only", evidence(0, 4), "product-owner"],
    ["both with a quarter or more each, no head", evidence(3, 2), "both"],
    ["a small minority", evidence(6, 1), "product-manager"],
    ["another role's points above the product points it does not share", evidence(3, 3, null, { role: "scrum-master", points: 3, against: 2 }), "other-role"],
    ["another role's points below the product points it does not share", evidence(3, 3, null, { role: "scrum-master", points: 3, against: 4 }), "both"],
    ["another role's points only", evidence(0, 0, null, { role: "qa-engineer", points: 2.5, against: 0 }), "other-role"],
    ["another role's points under the floor", evidence(0, 0, null, { role: "qa-engineer", points: 1.5, against: 0 }), "none"],
  ])("%s → %s", (_name, e, leaning) => {
    expect(statementLeaning(e, thresholds)).toBe(leaning);
  });

  it("lets the statement's first phrase (its verb and object) decide when strategy words stand inside backlog work", () => {
    // "Build the backlog from the market's needs and the strategy": backlog first, strategy words after.
    const mixed = evidence(2, 2.5, { leaning: "product-owner", points: 2.5, role: null });
    expect(statementLeaning(mixed, thresholds)).toBe("product-owner");
    // The same points without the head rule read as both.
    expect(statementLeaning(mixed, { ...thresholds, dutyHeadFactor: r(1) })).toBe("both");
  });

  it("the head rule holds for other roles too: 'coach the team on backlog practice' is coaching", () => {
    // "Coach the team on backlog practice": coaching first, then backlog words the role does not share.
    const coaching = evidence(0, 4, { leaning: null, points: 0, role: { role: "scrum-master", points: 1.5, shared: false } }, { role: "scrum-master", points: 2, against: 4 });
    expect(statementLeaning(coaching, thresholds)).toBe("other-role");
    expect(statementLeaning(coaching, { ...thresholds, roleHeadFactor: r(1) })).toBe("product-owner");
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

describe("confidence", () => {
  it("is the logistic curve of the margin the model was calibrated with", () => {
    expect(confidenceOf(0, thresholds)).toBeCloseTo(1 / (1 + Math.exp(-0.5)));
    expect(confidenceOf(1, thresholds)).toBeCloseTo(1 / (1 + Math.exp(-2.5)));
  });

  it("and the margin stay in [0, 1] for any votes", () => {
    const amount = fc.double({ min: 0, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(amount, amount, amount, fc.nat(50), fc.nat(50), (pm, po, role, statements, leaning) => {
        const decision = decideLabel(votes(pm, po, { roles: { "scrum-master": role }, statements, productStatements: Math.min(leaning, statements) }), thresholds);
        const c = confidenceOf(decision.margin, thresholds);
        return decision.margin >= 0 && decision.margin <= 1 && c >= 0 && c <= 1;
      }),
    );
  });
});
