import { describe, expect, it } from "vitest";
import { detectAdLanguage } from "../../src/text/ad-language.js";
import fc from "fast-check";
import { countMarkerWords, guessLanguage, MIN_MARKERS } from "../../src/text/language.js";

describe("guessLanguage: by function words", () => {
  it.each([
    ["English duties", "You will own the roadmap and work with the team on the backlog.", "en"],
    ["German duties", "Du pflegst das Backlog und schreibst User Stories für das Team.", "de"],
    ["German, formal", "Sie verantworten die Produktstrategie und sind für die Roadmap zuständig.", "de"],
    ["Dutch duties", "Je beheert de backlog en schrijft user stories voor het team.", "nl"],
    ["French duties", "Vous gérez le backlog et rédigez les user stories avec l'équipe.", "fr"],
    ["French with elision only", "Animer l'équipe, piloter la recette et rédiger les critères d'acceptation.", "fr"],
    ["Spanish", "Gestionar el backlog del producto con el equipo y escribir las historias para cada sprint.", "es"],
    ["German full of English Scrum words", "Du moderierst das Sprint Planning, das Sprint Review und das Backlog Refinement mit dem Team.", "de"],
  ])("%s", (_name, text, language) => {
    expect(guessLanguage(text).language).toBe(language);
  });

  it(`reads a text with fewer than ${MIN_MARKERS} function words as English`, () => {
    expect(guessLanguage("Roadmap, Backlog, Sprint").language).toBe("en");
    expect(guessLanguage("Backlog und Roadmap").language).toBe("en");
  });
});

describe("detectAdLanguage: decided by the duties", () => {
  it("an English ad with a long German benefits block reads as English", () => {
    const ad = [
      "Responsibilities",
      "- You will own the roadmap and the product strategy",
      "- You will run market research with the team",
      "",
      "Wir bieten",
      "- Ein unbefristeter Vertrag und 30 Tage Urlaub für dich und deine Familie",
      "- Flexible Arbeitszeiten, ein Zuschuss zum Deutschlandticket und ein Team, das mit dir wächst",
      "- Regelmäßige Teamevents in unserem Büro und ein Budget für deine Weiterbildung",
    ].join("\n");
    expect(guessLanguage(ad).language).toBe("de");
    expect(detectAdLanguage(ad)).toBe("en");
  });

  it("a German ad with an English company blurb reads as German", () => {
    const ad = [
      "About us",
      "We are a fintech with a bold vision for how Europe pays, and we are growing in all of our markets this year with the best team we have ever had.",
      "",
      "Deine Aufgaben",
      "- Du pflegst das Product Backlog",
      "- Du schreibst User Stories mit dem Team",
    ].join("\n");
    expect(guessLanguage(ad).language).toBe("en");
    expect(detectAdLanguage(ad)).toBe("de");
  });

  it("an ad in one language needs no sections to decide", () => {
    expect(detectAdLanguage("Vous gérez le backlog et vous rédigez les user stories avec l'équipe.")).toBe("fr");
  });
});

describe("countMarkerWords: a function word counts in any case", () => {
  it("counts a word that does not start in lower case as its lower-cased form counts", () => {
    const markers = ["the", "you", "und", "über", "für", "het", "jouw", "vous", "être", "à", "d", "l", "qu", "también", "não", "product", "backlog", "x"];
    const anyCase = fc.tuple(fc.constantFrom(...markers), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })).map(([word, upper]) =>
      Array.from(word, (c, i) => (upper[i] ? c.toUpperCase() : c)).join(""),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(anyCase, fc.string({ maxLength: 6 })), { maxLength: 12 }), (drawn) => {
        // A word that starts in lower case is taken as written ("tHe" is no marker).
        const words = drawn.filter((w) => !/^[a-z]/.test(w));
        expect(countMarkerWords(words)).toEqual(countMarkerWords(words.map((w) => w.toLowerCase())));
      }),
      { numRuns: 500 },
    );
    expect(countMarkerWords(["The", "THE", "ThE", "tHe", "Über", "ÜBER", "À"])).toMatchObject({ en: 3, de: 2, fr: 1 });
  });
});
