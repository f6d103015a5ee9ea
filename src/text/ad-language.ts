import { countMarkerWords, languageOfCounts, MIN_MARKERS, type DetectedLanguage } from "./language.js";
import { detectSections } from "./sections.js";
import { findWords, type WordSpans } from "./tokenise.js";

// Sections whose words say nothing of the language the duties are in: a German company blurb
// in an English ad, an English equal-opportunity paragraph in a German one.
const NOT_DUTIES = new Set(["company", "benefits", "boilerplate"]);
// A second language with at least this share of the first's function words is worth a closer look.
const MIXED_SHARE = 0.15;

/**
 * The language of an ad, decided by its duties: by the function words of the whole text when one
 * language clearly leads; when two compete, by the function words outside its company, benefits
 * and equal-opportunity sections (headings of every language pmpo reads), falling back to the
 * whole text when those sections hold nearly all of them. Markup should be blanked first.
 * `words` are the text's words as `findWords(text)` gives them, when the caller has them. Pure.
 */
export function detectAdLanguage(text: string, words: WordSpans = findWords(text)): DetectedLanguage {
  const counts = countMarkerWords(words.words, 0, words.length);
  const whole = languageOfCounts(counts);
  const sorted = Object.values(counts).sort((a, b) => b - a);
  if ((sorted[1] ?? 0) < MIXED_SHARE * (sorted[0] ?? 0)) return whole.language;
  const duties: Record<DetectedLanguage, number> = { en: 0, de: 0, nl: 0, fr: 0, es: 0, it: 0, pt: 0 };
  let w = 0;
  for (const section of detectSections(text, "all")) {
    // Words and sections are both in text order: one walk pairs them.
    const from = w;
    while (w < words.length && (words.starts[w] as number) < section.end) w++;
    if (NOT_DUTIES.has(section.kind)) continue;
    const own = countMarkerWords(words.words, from, w);
    for (const language of Object.keys(own) as DetectedLanguage[]) duties[language] += own[language];
  }
  const total = Object.values(duties).reduce((a, b) => a + b, 0);
  return total >= 2 * MIN_MARKERS ? languageOfCounts(duties).language : whole.language;
}
