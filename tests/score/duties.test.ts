import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decideLabel, type DutyLeaning } from "../../src/score/decide.js";
import { countDuties, dutySummary, findFlip, MAX_FLIP_SIZE, splitStatements, tallyVotes, type Voting } from "../../src/score/duties.js";
import type { Model, OtherRole } from "../../src/model/schema.js";
import { r, thresholds } from "../helpers/thresholds.js";

const pieces = (text: string, starts: number[] = []) => splitStatements(text, starts).map((s) => text.slice(s.start, s.end));

describe("splitStatements", () => {
  it("splits bullets, lines, sentences and semicolons, trimming list markers", () => {
    const text = "About the role\n- Own the roadmap.\n• Write stories; refine them\n* Lead discovery. Ship it! Why? Because.\n";
    expect(pieces(text)).toEqual(["About the role", "Own the roadmap.", "Write stories", "refine them", "Lead discovery.", "Ship it!", "Why?", "Because."]);
  });

  it("keeps a full stop that is not a sentence end inside the statement", () => {
    expect(pieces("Grow revenue by 2.5% with Node.js tooling.")).toEqual(["Grow revenue by 2.5% with Node.js tooling."]);
  });

  it("splits at section starts, for flattened ads whose headings run into the text", () => {
    const text = "We build apps Responsibilities Own the roadmap";
    expect(pieces(text, [0, 14])).toEqual(["We build apps", "Responsibilities Own the roadmap"]);
  });

  it("drops pieces without a letter or digit, and offsets are exact", () => {
    const text = "  ---  \n\n*  Own the backlog  \n";
    const [only, ...rest] = splitStatements(text);
    expect(rest).toEqual([]);
    expect(text.slice(only!.start, only!.end)).toBe("Own the backlog");
  });

  it("ends a statement where the pattern of breaks and sentence ends does, with any spaces and section starts", () => {
    // A reference cut at each match of that pattern, trimmed the same way.
    const reference = (text: string, starts: number[]) => {
      const cuts = [...text.matchAll(/[\n\r;•●▪◦‣·∙■□➢►✓✔]|[.!?](?=\s|$)/g)].map((m) => ({ at: m.index, keep: /[.!?]/.test(m[0]) }));
      const out: string[] = [];
      let from = 0;
      const close = (to: number) => {
        const piece = text.slice(from, to).replace(/^[\s*+>•●▪◦‣·∙■□➢►✓✔-]+/, "").replace(/\s+$/, "");
        if (/[\p{L}\p{N}]/u.test(piece)) out.push(piece);
      };
      const sorted = [...starts].sort((a, b) => a - b);
      let next = 0;
      const sectionsUpTo = (at: number) => {
        for (; next < sorted.length && sorted[next]! <= at; next++) if (sorted[next]! > from) (close(sorted[next]!), (from = sorted[next]!));
      };
      for (const { at, keep } of cuts) {
        sectionsUpTo(at);
        close(keep ? at + 1 : at);
        from = at + 1;
      }
      sectionsUpTo(text.length - 1);
      close(text.length);
      return out;
    };
    // Words of two letters or more: a lone letter before a period is an abbreviation (see the test after this one).
    const unit = fc.constantFrom("ab", "été", "7", " ", "\u00a0", "\u2003", ".", "!", "?", "\n", ";", "•", "-", "*");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 120 }), fc.array(fc.nat({ max: 120 }), { maxLength: 4 }), (text, starts) => {
        const inText = starts.filter((at) => at < text.length);
        expect(pieces(text, inText)).toEqual(reference(text, inText));
      }),
      { numRuns: 500 },
    );
  });

  it("the period of an abbreviation ends no statement, unless a capital follows one that may end a sentence", () => {
    expect(pieces("Own the roadmap, e.g. quarterly planning. Define the vision.")).toEqual(["Own the roadmap, e.g. quarterly planning.", "Define the vision."]);
    expect(pieces("Work with stakeholders (i.e. Sales and Marketing) on the strategy.")).toEqual(["Work with stakeholders (i.e. Sales and Marketing) on the strategy."]);
    expect(pieces("Pflege des Backlogs, z.B. Refinement. Planung bzw. Review.")).toEqual(["Pflege des Backlogs, z.B. Refinement.", "Planung bzw. Review."]);
    expect(pieces("Grow the U.S. market. Write stories, criteria etc. for the team.")).toEqual(["Grow the U.S. market.", "Write stories, criteria etc. for the team."]);
    // Before a capital, "P.C.", "etc." and a lone letter end their sentence.
    expect(pieces("Northwest Permanente P.C. Our platform grows. Write stories, etc. The team ships. Plan A. Then B.")).toEqual([
      "Northwest Permanente P.C.",
      "Our platform grows.",
      "Write stories, etc.",
      "The team ships.",
      "Plan A.",
      "Then B.",
    ]);
    // A word that is no abbreviation ends its sentence as before.
    expect(pieces("Ship to the EU. Own the roadmap.")).toEqual(["Ship to the EU.", "Own the roadmap."]);
  });

  it("a symbol set before an item is a bullet, in an ad whose line breaks were lost", () => {
    expect(pieces("Your tasks: ✅ Own the roadmap ✅ Write the stories 🔹 Plan sprints → Ship")).toEqual(["Your tasks:", "Own the roadmap", "Write the stories", "Plan sprints", "Ship"]);
    // So are the bullets of a word processor's symbol font, kept in copied text as private-use characters.
    expect(pieces("Your tasks: \uf0b7 Own the roadmap \uf0a7 Write the stories")).toEqual(["Your tasks:", "Own the roadmap", "Write the stories"]);
    // The symbols of ordinary text, below the arrows, are no bullets.
    expect(pieces("A 360° view of Salesforce® data™")).toEqual(["A 360° view of Salesforce® data™"]);
  });

  it("covers accented text and never overlaps", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "é", " ", ".", "\n", ";", "•", "-", "1") , maxLength: 200 }), (text) => {
        const statements = splitStatements(text);
        return statements.every((s, i) => s.start < s.end && (i === 0 || statements[i - 1]!.end <= s.start));
      }),
    );
  });
});

const LEANINGS: DutyLeaning[] = ["product-manager", "product-owner", "both", "other-role", "none"];
const ROLES: OtherRole[] = ["scrum-master", "qa-engineer"];

const duty = fc.record({
  leaning: fc.constantFrom(...LEANINGS),
  role: fc.constantFrom(...ROLES),
  vote: fc.integer({ min: 1, max: 40 }).map((v) => v / 4),
  // A sentence of two clauses with a duty in each states two duties.
  duties: fc.constantFrom(1, 1, 2),
});

function asVoting(d: { leaning: DutyLeaning; role: OtherRole; vote: number; duties: number }): Voting {
  const product = d.leaning !== "none" && d.leaning !== "other-role";
  return { leaning: d.leaning, role: d.leaning === "other-role" ? d.role : null, vote: d.leaning === "none" ? 0 : d.vote, duties: product ? d.duties : 1 };
}

// With a floor of duties, so that how many duties a statement states can decide the label.
const flipThresholds = { ...thresholds, minDuties: r(3) };

// The smallest number of duties whose removal changes the decision, by trying every subset.
function bruteForceFlipSize(duties: readonly Voting[], thresholds: Model["settings"]["thresholds"]): number | null {
  const current = decideLabel(tallyVotes(duties), thresholds);
  let best: number | null = null;
  for (let mask = 1; mask < 1 << duties.length; mask++) {
    const removed = duties.filter((_, i) => mask & (1 << i));
    if (removed.some((d) => d.leaning === "none") || removed.length > MAX_FLIP_SIZE) continue;
    if (best !== null && removed.length >= best) continue;
    const decision = decideLabel(tallyVotes(duties.filter((_, i) => !(mask & (1 << i)))), thresholds);
    if (decision.label !== current.label || decision.otherRole !== current.otherRole) best = removed.length;
  }
  return best;
}

describe("findFlip", () => {
  it("finds the smallest set of duties whose removal changes the label, as trying every subset does", () => {
    fc.assert(
      fc.property(fc.array(duty, { minLength: 1, maxLength: 11 }), (raw) => {
        const duties = raw.map(asVoting);
        const current = decideLabel(tallyVotes(duties), flipThresholds);
        // Without the budget of tries, the search is exhaustive up to MAX_FLIP_SIZE.
        const flip = findFlip(duties, current, flipThresholds, Number.POSITIVE_INFINITY);
        const expected = bruteForceFlipSize(duties, flipThresholds);
        if (expected === null) return flip === null;
        if (flip === null || flip.duties.length !== expected) return false;
        // Removing exactly those duties gives the decision it reports.
        const after = decideLabel(tallyVotes(duties.filter((_, i) => !flip.duties.includes(i))), flipThresholds);
        const changed = after.label !== current.label || after.otherRole !== current.otherRole;
        return changed && after.label === flip.decision.label && after.otherRole === flip.decision.otherRole;
      }),
      { numRuns: 300 },
    );
  });

  it("names the duties to remove: the heaviest product owner duty turns a hybrid product manager", () => {
    const duties: Voting[] = [
      { leaning: "product-manager", role: null, vote: 12 },
      { leaning: "product-manager", role: null, vote: 10 },
      { leaning: "product-owner", role: null, vote: 9 },
      { leaning: "product-owner", role: null, vote: 3 },
    ];
    const current = decideLabel(tallyVotes(duties), thresholds);
    expect(current.label).toBe("hybrid");
    expect(findFlip(duties, current, thresholds)).toMatchObject({ duties: [2], decision: { label: "product-manager-leaning" } });
  });
});

describe("dutySummary", () => {
  it("says how many statements state a duty and what they read as", () => {
    const counts = countDuties(["product-manager", "product-manager", "product-owner", "none", "both"].map((leaning) => ({ leaning: leaning as DutyLeaning })));
    expect(dutySummary(counts, null)).toBe("4 of 5 statements state a duty: 2 read as product manager, 1 as product owner, 1 as both roles.");
  });

  it("names the other role, and says so when nothing leans", () => {
    const counts = countDuties(["other-role", "other-role", "none"].map((leaning) => ({ leaning: leaning as DutyLeaning })));
    expect(dutySummary(counts, "scrum-master")).toBe("2 of 3 statements state a duty: 2 read as Scrum Master or agile coach.");
    expect(dutySummary(countDuties([{ leaning: "none" }]), null)).toBe("The one statement states no product duty pmpo recognises.");
  });
});
