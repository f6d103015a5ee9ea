import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_STEMMED_WORD_LENGTH, findWords, tokenise, stemWord } from "../../src/text/tokenise.js";

// The words tokenise found, as the text spells them.
function wordsOf(text: string): string[] {
  const words = tokenise(text);
  return Array.from(words.starts, (start, i) => text.slice(start, words.ends[i]));
}

describe("stemWord on long words", () => {
  it("stems a word up to the cap and only folds a longer one", () => {
    const atCap = `${"ab".repeat((MAX_STEMMED_WORD_LENGTH - 4) / 2)}ing`;
    expect(atCap.length).toBeLessThanOrEqual(MAX_STEMMED_WORD_LENGTH);
    expect(stemWord(atCap)).toBe(atCap.slice(0, -3));
    const over = `${"AB".repeat(MAX_STEMMED_WORD_LENGTH / 2)}ING`;
    expect(stemWord(over)).toBe(over.toLowerCase());
  });

  it("tokenises a 40,000-letter run and 100,000 digits as one word each, and still stems the words around them", () => {
    const text = `Own the ${"b".repeat(40_000)} backlog ${"1".repeat(100_000)} stories`;
    const tokens = tokenise(text);
    expect(tokens.stems).toEqual(["own", "the", "b".repeat(40_000), "backlog", "1".repeat(100_000), "stori"]);
    expect(tokens.ends[2]! - tokens.starts[2]!).toBe(40_000);
  });
});

describe("tokenise", () => {
  it("gives each word its offsets and stem", () => {
    const text = "Own the product backlog; write user stories.";
    expect(wordsOf(text)).toEqual(["Own", "the", "product", "backlog", "write", "user", "stories"]);
    expect(tokenise(text).stems).toEqual(["own", "the", "product", "backlog", "write", "user", "stori"]);
    expect(Array.from(tokenise(text).breaks)).toEqual([1, 0, 0, 0, 1, 0, 0]);
  });

  it.each([
    ["a full stop", "vision. backlog", true],
    ["a semicolon", "vision; backlog", true],
    ["a line break", "vision\nbacklog", true],
    ["a bullet", "vision • backlog", true],
    ["a comma", "vision, backlog", false],
    ["a space", "vision backlog", false],
  ])("marks a clause break after %s", (_name, text, broken) => {
    expect(tokenise(text).breaks[1]).toBe(broken ? 1 : 0);
  });

  it("handles accents, digits and NFKC compatibility forms", () => {
    const text = "Définir la ﬁnance 2024";
    expect(wordsOf(text)).toEqual(["Définir", "la", "ﬁnance", "2024"]);
    expect(tokenise(text).stems[2]).toBe(stemWord("finance"));
  });

  it("takes every maximal run of letters, marks and digits as one word, in any script", () => {
    const mixed = fc.string({ unit: fc.constantFrom("a", "Z", "7", " ", "-", "é", "\u0301", "ß", "٣", "中", "𝒜", "😀", "\n"), maxLength: 60 });
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string({ unit: "binary", maxLength: 120 })), (text) => {
        expect(wordsOf(text)).toEqual(text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
      }),
    );
  });

  // A reference written with the pattern the scanner stands for: each match is a word, and a
  // clause break stands before it when it is the first or the gap before it holds a break.
  // Two letters joined by "/" or "&" and standing alone are one word ("A/B", "P&L"), unless a
  // "/" joins gender letters ("m/f").
  function referenceWords(text: string) {
    const pair = /(?<![\p{L}\p{M}\p{N}/&])[A-Za-z][/&][A-Za-z](?![\p{L}\p{M}\p{N}/&])(?![\u00ad\u200b-\u200d\u2060\ufeff]+[\p{L}\p{M}\p{N}])/u;
    const matches = [...text.matchAll(/(?<![\p{L}\p{M}\p{N}/&])[A-Za-z][/&][A-Za-z](?![\p{L}\p{M}\p{N}/&])(?![\u00ad\u200b-\u200d\u2060\ufeff]+[\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+(?:[\u00ad\u200b-\u200d\u2060\ufeff]+[\p{L}\p{M}\p{N}]+)*[\u00ad\u200b-\u200d\u2060\ufeff]*/gu)].flatMap((m) =>
      pair.test(m[0]) && m[0][1] === "/" && /[mfwdhxv]/i.test(m[0][0]! + m[0][2]!)
        ? [Object.assign([m[0][0]!], { index: m.index }), Object.assign([/^.[\u00ad\u200b-\u200d\u2060\ufeff]*/.exec(text.slice(m.index + 2))![0]], { index: m.index + 2 })]
        : [m],
    );
    return {
      // Soft hyphens and zero-width characters after a word character are inside the word, and not in the word as read.
      words: matches.map((m) => m[0].replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "")),
      ends: matches.map((m) => m.index + m[0].length),
      starts: matches.map((m) => m.index),
      breaks: matches.map((m, i) => {
        if (i === 0) return 1;
        const previous = matches[i - 1]!;
        const gap = text.slice(previous.index + previous[0].length, m.index);
        // Punctuation, line breaks and bullets break a clause; so does a symbol set before an item ("✅", "→", "😀"), from U+2190 up.
        const symbol = [...gap].some((c) => c.codePointAt(0)! >= 0x2190 && /[\p{So}\p{Extended_Pictographic}\u2190-\u21ff\uf020-\uf0ff]/u.test(c));
        return symbol || /[.;:!?\n\r•|()[\]{}\u2022\u25CF\u25AA]/.test(gap) ? 1 : 0;
      }),
    };
  }

  it("finds the words, offsets and clause breaks the word pattern finds, in any script and with lone surrogates", () => {
    const unit = fc.constantFrom("a", "Z", "m", "7", " ", ",", ".", ";", "\n", "•", "(", "/", "&", "A/B", "P&L", "m/f", "✅", "→", "\uf0b7", "°", "®", "\u00ad", "\u200b", "\ufeff", "é", "\u0301", "Ü", "ï", "·", "٣", "中", "𝒜", "😀", "\ud800", "\udc00");
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 80 }), fc.string({ unit: "binary", maxLength: 120 })), (text) => {
        const found = findWords(text);
        const expected = referenceWords(text);
        expect(found.words).toEqual(expected.words);
        expect(Array.from(found.starts)).toEqual(expected.starts);
        expect(Array.from(found.ends)).toEqual(expected.ends);
        expect(Array.from(found.breaks)).toEqual(expected.breaks);
      }),
      { numRuns: 500 },
    );
  });

  it("returns offsets inside the text whose slices are words", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const words = tokenise(text);
        if (words.starts.length !== words.length || words.ends.length !== words.length || words.stems.length !== words.length) return false;
        let last = 0;
        for (let i = 0; i < words.length; i++) {
          const start = words.starts[i]!;
          const end = words.ends[i]!;
          if (start < last || end > text.length || end <= start) return false;
          // A word is a run of letters, marks and digits, or two letters joined by "/" or "&" ("A/B").
          if (!/^(?:[\p{L}\p{M}\p{N}]+|[A-Za-z][/&][A-Za-z])$/u.test(text.slice(start, end))) return false;
          last = end;
        }
        return true;
      }),
    );
  });
});

describe("tokenise in German, Dutch and French", () => {
  // The words found, as written, and their stems.
  const read = (text: string, language: "de" | "nl" | "fr") => {
    const tokens = tokenise(text, language);
    return { words: Array.from(tokens.starts, (s, i) => text.slice(s, tokens.ends[i])), stems: tokens.stems, breaks: Array.from(tokens.breaks) };
  };

  it.each([
    ["a capital umlaut stays in the word (natural's German tokenizer drops it)", "Überblick", "de", ["Überblick"], ["uberblick"]],
    ["a diaeresis stays in the word (natural's Dutch tokenizer splits it)", "geïnteresseerde", "nl", ["geïnteresseerde"], ["geinteresseerd"]],
    ["French accents stay in the word", "priorisés", "fr", ["priorisés"], ["prioris"]],
    ["a Produkt- compound is read as two words at their offsets", "Produktbacklog", "de", ["Produkt", "backlog"], ["produkt", "backlog"]],
    ["a Dutch product- compound too", "productvisie", "nl", ["product", "visie"], ["product", "visie"]],
    ["Produktion is no compound", "Produktion", "de", ["Produktion"], ["produktion"]],
    ["a hyphenated compound is two words", "Backlog-Pflege", "de", ["Backlog", "Pflege"], ["backlog", "pfleg"]],
    ["a long compound stays one word", "Anforderungsmanagement", "de", ["Anforderungsmanagement"], ["anforderungsmanagement"]],
    ["the gender ending of Produktmanager:in is no word", "Produktmanager:in", "de", ["Produkt", "manager"], ["produkt", "manag"]],
    ["nor is *innen", "Entwickler*innen", "de", ["Entwickler"], ["entwickl"]],
    ["nor the ending of chef·fe", "chef·fe de produit", "fr", ["chef", "de", "produit"], ["chef", "de", "produit"]],
    ["nor that of développeur·euse", "développeur·euse", "fr", ["développeur"], ["développeur"]],
    ["a soft hyphen inside a word is no gap, and a compound is still cut after its head", "Pro\u00addukt\u00adstrategie Back\u200blog", "de", ["Pro\u00addukt", "strategie", "Back\u200blog"], ["produkt", "strategi", "backlog"]],
    ["elision leaves the article as a word of its own", "l'équipe d'affaires", "fr", ["l", "équipe", "d", "affaires"], ["l", "équip", "d", "affair"]],
    // Two letters joined by "/" or "&" are an abbreviation, one word: alone each letter is a stopword.
    ["A/B is one word", "Run A/B tests", "en", ["Run", "A/B", "tests"], ["run", "a/b", "test"]],
    ["so are P&L and R&D", "the P&L, R&D.", "en", ["the", "P&L", "R&D"], ["the", "p&l", "r&d"]],
    ["A/B before a hyphen too", "A/B-Tests", "de", ["A/B", "Tests"], ["a/b", "test"]],
    ["a gender mark is no abbreviation", "Chef de projet (H/F), Manager (m/f)", "fr", ["Chef", "de", "projet", "H", "F", "Manager", "m", "f"], ["chef", "de", "projet", "h", "f", "manag", "m", "f"]],
    ["nor is a chain of three", "Product Owner (m/w/d), A/B/C", "de", ["Product", "Owner", "m", "w", "d", "A", "B", "C"], ["product", "own", "m", "w", "d", "a", "b", "c"]],
    ["nor letters joined to a longer word", "A/Bs x/A/B AB&C", "en", ["A", "Bs", "x", "A", "B", "AB", "C"], ["a", "bs", "x", "a", "b", "ab", "c"]],
  ] as const)("%s", (_name, text, language, words, stems) => {
    const read1 = read(text, language);
    expect(read1.words).toEqual(words);
    expect(read1.stems).toEqual(stems);
  });

  it("no clause ends at the colon of a gender ending, but one still ends at a real colon", () => {
    expect(read("Produktmanager:in gesucht", "de").breaks).toEqual([1, 0, 0]);
    expect(read("Aufgaben: Roadmap", "de").breaks).toEqual([1, 1]);
  });

  it("leaves English exactly as it was", () => {
    const text = "Own the Produktbacklog: chef·fe, Manager:in";
    expect(tokenise(text, "en")).toEqual(tokenise(text));
    expect(tokenise(text).words).toEqual(["Own", "the", "Produktbacklog", "chef", "fe", "Manager", "in"]);
  });
});
