import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { blankMarkup, stripBom } from "../../src/text/normalise.js";

const F = "\u00ad";

describe("blankMarkup", () => {
  it.each([
    ["plain text stays", "Own the backlog.", "Own the backlog."],
    ["inline tags become spaces", "<b>Own</b> it", "   Own     it"],
    ["block tags start a line", "<li>Own</li>", "\n   Own\n    "],
    ["entities become spaces", "R&amp;D &nbsp;x", "R     D       x"],
    ["numeric entities", "you&#39;ll", "you     ll"],
    // An entity of a letter is the letter, the rest of its length invisible fillers (soft hyphens), so the word stays one word.
    ["an entity of a letter is the letter", "d&eacute;finir &Uuml;ber", `dé${F.repeat(7)}finir Ü${F.repeat(5)}ber`],
    ["a numeric entity of a letter too", "m&#233;tier &#xFC;", `mé${F.repeat(5)}tier ü${F.repeat(5)}`],
    ["a soft hyphen entity is fillers only", "road&shy;map", `road${F.repeat(5)}map`],
    ["an entity that is no letter Unicode composes stays blank", "&qacute; x", "         x"],
    ["script bodies vanish", "a<script>alert(1)</script>b", "a\n                        b"],
    ["markdown emphasis", "**Roadmap** and __vision__", "  Roadmap   and   vision  "],
    ["markdown heading hashes", "## Responsibilities", "   Responsibilities"],
    ["backslash escapes", "\\- item \\* star", " - item  * star"],
    ["link targets", "[our site](https://example.com) now", "[our site                       now"],
    ["a lone < is text", "a < b and c > d", "a < b and c > d"],
    ["an unclosed script stays text, its tag blanked", "<script>a<script>b", "        a        b"],
    ["a script body closed far away", `<script>${"x".repeat(300_000)}</script>ok`, `\n${" ".repeat(300_016)}ok`],
    ["comments", "a<!-- b -->c<!-- d", "a          c<!-- d"],
    ["style bodies in any case", "<STYLE>p{}</style>x", "\n                 x"],
  ])("%s", (_name, input, expected) => {
    const blanked = blankMarkup(input);
    expect(blanked).toBe(expected);
    expect(blanked.length).toBe(input.length);
  });

  const markupish = fc.stringMatching(/^[a-z <>/&#;*_\\[\]()!:.\n-]{0,80}$/);

  it("keeps the length, so offsets stay valid", () => {
    fc.assert(fc.property(fc.oneof(fc.string(), markupish), (text) => blankMarkup(text).length === text.length));
  });

  it.each([
    ["an escaped hash after a hash", "#\\# "],
    ["a heading whose text starts with a hash", "# # x"],
    ["two openers", "## # x"],
    ["underscores after a tag name", "<b__>"],
    ["underscores after script", "<script__>alert(1)</script>"],
  ])("is idempotent on %s (%j)", (_name, input) => {
    const once = blankMarkup(input);
    expect(blankMarkup(once)).toBe(once);
  });

  // Pieces of every construct blankMarkup knows, so that random strings combine them often.
  const pieces = fc.constantFrom(
    "#", "##", " ", "\t", "\n", "\\", "*", "**", "_", "__", "<", ">", "/", "&", ";", "amp", "#39", "[", "]", "(", ")", "](x)",
    "<b>", "</b>", "<p>", "<script>", "</script>", "<style>", "</style>", "script", "<!--", "-->", "a", "x", "1",
  );
  const markupPieces = fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(""));

  it("is idempotent on strings made of markup pieces", () => {
    fc.assert(
      fc.property(markupPieces, (text) => {
        const once = blankMarkup(text);
        expect(blankMarkup(once)).toBe(once);
        expect(once.length).toBe(text.length);
      }),
      { numRuns: 5000 },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), markupish), (text) => {
        const once = blankMarkup(text);
        return blankMarkup(once) === once;
      }),
      { numRuns: 2000 },
    );
  });
});

describe("stripBom", () => {
  it.each([
    ["\uFEFFhello", "hello"],
    ["hello", "hello"],
    ["", ""],
    ["a\uFEFF", "a\uFEFF"],
  ])("%j → %j", (input, expected) => {
    expect(stripBom(input)).toBe(expected);
  });
});
