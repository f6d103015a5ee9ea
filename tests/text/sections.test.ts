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
    ["## Here’s what we can offer", "benefits"],
    ["Other reasons to love working at DuckDuckGo", "benefits"],
    // "Why" and one word, a company's name, heads what it says of itself (as "Why us?" does).
    ["Why Stormlight", "company"],
    ["Why Acme?", "company"],
    ["Why this role matters", null],
    ["### What you should bring with you:", "requirements"],
    ["And it would be great if you had", "requirements"],
    ["You should have", "requirements"],
    // Heads the duties in some ads and the benefits in others: left to "other".
    ["### What you can expect from us:", null],
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

  it("ends an unnamed section at a short line ending in a colon, with white space before the colon", () => {
    const ad = "Intro.\nWhat success looks like  \t :  \n- Own the backlog\n";
    const other = detectSections(ad).find((s) => s.kind === "other");
    expect(other?.heading).toBe("What success looks like");
    expect(other && ad.slice(other.start).startsWith("What success")).toBe(true);
  });

  it("takes a long line of spaces ending in a colon for no heading (its words are too far apart)", () => {
    const ad = `Intro.\nab${" ".repeat(100_000)}x:\nRequirements\n- Scrum\n`;
    expect(detectSections(ad).map((s) => s.kind)).toEqual(["intro", "requirements"]);
  });

  it("resumes the section a boilerplate sentence interrupts, among many sections", () => {
    const block = "Requirements\nScrum. We are an equal opportunity employer. Jira.\nBenefits\nPension. Regardless of race we hire. Gym.\n";
    const ad = block.repeat(200);
    const kinds = detectSections(ad).map((s) => s.kind);
    expect(kinds.slice(0, 7)).toEqual(["requirements", "boilerplate", "requirements", "benefits", "boilerplate", "benefits", "requirements"]);
    expect(kinds.filter((k) => k === "boilerplate")).toHaveLength(400);
    expect(kinds.at(-1)).toBe("benefits");
  });

  it("finds every heading of a flattened line that holds more than a spread can pass", () => {
    const text = `${"x".repeat(500)} ${"Skills: a. ".repeat(150_000)}`;
    const last = detectSections(text).at(-1);
    expect(last).toMatchObject({ kind: "requirements", heading: "Skills", start: 512, end: text.length });
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

describe("headingKind in German, Dutch and French", () => {
  it.each([
    ["Deine Aufgaben", "de", "responsibilities"],
    ["Ihre Aufgaben:", "de", "responsibilities"],
    ["Das erwartet dich", "de", "responsibilities"],
    ["Dein Profil", "de", "requirements"],
    ["Was du mitbringst", "de", "requirements"],
    ["Wir bieten", "de", "benefits"],
    ["Über uns", "de", "company"],
    ["Wer wir sind", "de", "company"],
    ["Wat ga je doen", "nl", "responsibilities"],
    ["Jouw rol", "nl", "responsibilities"],
    ["Wat vragen wij", "nl", "requirements"],
    ["Wat bieden wij", "nl", "benefits"],
    ["Over ons", "nl", "company"],
    ["Gelijke kansen", "nl", "boilerplate"],
    ["Vos missions", "fr", "responsibilities"],
    ["Missions", "fr", "responsibilities"],
    ["Profil recherché", "fr", "requirements"],
    ["Avantages", "fr", "benefits"],
    ["Ce que nous offrons", "fr", "benefits"],
    ["Qui sommes-nous ?", "fr", "company"],
    // Some French ads put the role itself under this heading, others their benefits.
    ["Ce que nous vous proposons", "fr", "other"],
    ["Benefits", "de", "benefits"],
    ["Responsibilities", "fr", "responsibilities"],
  ] as const)("%j in %s is %s", (line, language, kind) => {
    expect(headingKind(line, language)).toBe(kind);
    expect(headingKind(line, "all")).toBe(kind);
  });

  it("knows no German heading in an English ad", () => {
    expect(headingKind("Deine Aufgaben")).toBeNull();
    expect(headingKind("Wir bieten", "en")).toBeNull();
  });

  it("fences off equal-opportunity sentences in each language as boilerplate", () => {
    for (const [language, sentence] of [
      ["de", "Wir freuen uns über Bewerbungen unabhängig von Geschlecht oder Herkunft (AGG)."],
      ["nl", "Wij bieden gelijke kansen aan iedereen."],
      ["fr", "Nous sommes engagés en faveur de la diversité."],
    ] as const) {
      const ad = `Aufgaben\n- Roadmap\n${sentence}\n`;
      expect(detectSections(ad, language).some((s) => s.kind === "boilerplate" && ad.slice(s.start, s.end).includes(sentence))).toBe(true);
      expect(detectSections(ad, "en").some((s) => s.kind === "boilerplate")).toBe(false);
    }
  });

  it("in another language, an English cue inside a compound of a flattened line opens no section", () => {
    const line = `Wir sind führend bei Arbeitgeber-Benefits und Mobilität. ${"Du gestaltest die Roadmap. ".repeat(20)}`;
    expect(detectSections(line, "de").map((s) => s.kind)).toEqual(["intro"]);
  });
});
