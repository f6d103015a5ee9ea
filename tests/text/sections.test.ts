import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { detectSections, headingKind } from "../../src/text/sections.js";

describe("headingKind", () => {
  it.each([
    ["What you'll do", "responsibilities"],
    ["Responsibilities:", "responsibilities"],
    ["## Your role", "responsibilities"],
    ["Requirements", "requirements"],
    ["Who you are", "requirements"],
    ["About us", "company"],
    ["What we offer", "benefits"],
    ["Benefits & perks", "benefits"],
    ["Equal opportunity employer", "boilerplate"],
    ["How to apply", "boilerplate"],
    ["- 5+ years of experience with Go", null],
    ["We build the payments platform for the whole company and its partners.", null],
    ["Lunch", null],
  ])("%j is %s", (line, kind) => {
    expect(headingKind(line)).toBe(kind);
  });
});

describe("detectSections", () => {
  it("splits an ad at its headings", () => {
    const ad = "Intro text.\nWhat you'll do\n- Own the backlog\nRequirements\n- Scrum\nBenefits\n- Pension\n";
    expect(detectSections(ad).map((s) => [s.kind, ad.slice(s.start, s.end).split("\n")[0]])).toEqual([
      ["intro", "Intro text."],
      ["responsibilities", "What you'll do"],
      ["requirements", "Requirements"],
      ["benefits", "Benefits"],
    ]);
  });

  it("finds headings run into a flattened ad", () => {
    const ad = `${"We are a company that makes things people like to use every day. ".repeat(7)}Responsibilities Own the product backlog and write stories. Requirements Three years of Scrum. What we offer A pension.`;
    const kinds = detectSections(ad).map((s) => s.kind);
    expect(kinds).toEqual(["intro", "responsibilities", "requirements", "benefits"]);
  });

  it("fences off an equal-opportunity sentence inside another section", () => {
    const ad = "What you'll do\nSet the strategy. We are an equal opportunity employer. Define the roadmap.\n";
    const sections = detectSections(ad);
    const boilerplate = sections.find((s) => s.kind === "boilerplate");
    expect(boilerplate && ad.slice(boilerplate.start, boilerplate.end).trim()).toBe("We are an equal opportunity employer.");
    expect(sections.at(-1)?.kind).toBe("responsibilities");
  });

  it("covers the whole text without gaps or overlaps", () => {
    const line = fc.oneof(fc.constantFrom("Responsibilities", "About us", "Benefits", "- bullet", "equal opportunity employer."), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join("\n");
        const sections = detectSections(text);
        if (text.length === 0) return sections.length === 1 && sections[0]?.end === 0;
        let cursor = 0;
        for (const s of sections) {
          if (s.start !== cursor || s.end <= s.start) return false;
          cursor = s.end;
        }
        return cursor === text.length;
      }),
    );
  });
});
