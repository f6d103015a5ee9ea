import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { tokenise, stemWord } from "../../src/text/tokenise.js";

describe("tokenise", () => {
  it("gives each word its offsets and stem", () => {
    const text = "Own the product backlog; write user stories.";
    const tokens = tokenise(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(["Own", "the", "product", "backlog", "write", "user", "stories"]);
    expect(tokens.map((t) => t.stem)).toEqual(["own", "the", "product", "backlog", "write", "user", "stori"]);
  });

  it.each([
    ["a full stop", "vision. backlog", true],
    ["a semicolon", "vision; backlog", true],
    ["a line break", "vision\nbacklog", true],
    ["a bullet", "vision • backlog", true],
    ["a comma", "vision, backlog", false],
    ["a space", "vision backlog", false],
  ])("marks a clause break after %s", (_name, text, broken) => {
    expect(tokenise(text)[1]?.breakBefore).toBe(broken);
  });

  it("handles accents, digits and NFKC compatibility forms", () => {
    const text = "Définir la ﬁnance 2024";
    const tokens = tokenise(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(["Définir", "la", "ﬁnance", "2024"]);
    expect(tokens[2]?.stem).toBe(stemWord("finance"));
  });

  it("takes every maximal run of letters, marks and digits as one word, in any script", () => {
    const mixed = fc.string({ unit: fc.constantFrom("a", "Z", "7", " ", "-", "é", "\u0301", "ß", "٣", "中", "𝒜", "😀", "\n"), maxLength: 60 });
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string({ unit: "binary", maxLength: 120 })), (text) => {
        const words = tokenise(text).map((t) => text.slice(t.start, t.end));
        expect(words).toEqual(text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
      }),
    );
  });

  it("returns offsets inside the text whose slices are words", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        let last = 0;
        for (const t of tokenise(text)) {
          if (t.start < last || t.end > text.length || t.end <= t.start) return false;
          if (!/^[\p{L}\p{M}\p{N}]+$/u.test(text.slice(t.start, t.end))) return false;
          last = t.end;
        }
        return true;
      }),
    );
  });
});
