import { words as frenchStopwords } from "natural/lib/natural/util/stopwords_fr.js";
import { words as dutchStopwords } from "natural/lib/natural/util/stopwords_nl.js";

/** The languages pmpo has vocabulary for: English, and German, Dutch and French models beside it. */
export const LANGUAGES = ["en", "de", "nl", "fr"] as const;
/** One of `LANGUAGES`. */
export type Language = (typeof LANGUAGES)[number];
/** The languages other than English, each with its own terms in a model. */
export const MODEL_LANGUAGES = ["de", "nl", "fr"] as const;
/** One of `MODEL_LANGUAGES`. */
export type ModelLanguage = (typeof MODEL_LANGUAGES)[number];
/** Languages pmpo recognises but has no model for: it names them instead of reading them as English. */
export const UNMODELLED_LANGUAGES = ["es", "it", "pt"] as const;
/** A language `detectLanguage` can return. */
export type DetectedLanguage = Language | (typeof UNMODELLED_LANGUAGES)[number];

/** The English name of each language `detectLanguage` can return, for messages. */
export const LANGUAGE_NAMES: Readonly<Record<DetectedLanguage, string>> = {
  en: "English",
  de: "German",
  nl: "Dutch",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
};

/** True for the languages pmpo has vocabulary for. */
export function isLanguage(code: string): code is Language {
  return (LANGUAGES as readonly string[]).includes(code);
}

// Function words that mark one language among these seven: each word is in one list only (words
// two languages share, such as "in", "die", "de", "en", "was", "que", are left out), so a count
// says which language the sentences are written in whatever nouns they borrow. Written for this
// project: natural ships no German stopwords, and its other lists share many words.
const MARKERS: Readonly<Record<DetectedLanguage, readonly string[]>> = {
  en: ["the", "and", "of", "to", "you", "will", "with", "for", "our", "is", "are", "we", "your", "on", "as", "be", "this", "that", "or", "from", "have", "an", "by", "who", "what", "at", "it", "can", "they", "their", "which", "would"],
  de: ["und", "der", "das", "mit", "für", "wir", "du", "dich", "dein", "deine", "deinen", "deiner", "ihr", "ihre", "ihren", "sie", "ist", "sind", "von", "zu", "den", "dem", "ein", "eine", "einen", "einer", "auf", "bei", "uns", "unser", "unsere", "unseren", "oder", "auch", "sowie", "wie", "im", "zum", "zur", "nicht", "werden", "bist", "hast", "wird", "sich", "über", "durch"],
  nl: ["het", "een", "van", "je", "jij", "jouw", "wij", "ons", "onze", "voor", "met", "naar", "zijn", "wordt", "worden", "ook", "dat", "niet", "op", "aan", "om", "te", "hebt", "ben", "bent", "wat", "kun", "jullie", "bij", "hoe", "heb", "hebben", "maar", "dit", "deze", "waar"],
  fr: ["le", "la", "les", "du", "et", "vous", "nous", "pour", "avec", "une", "est", "sont", "dans", "sur", "au", "aux", "votre", "vos", "notre", "nos", "qui", "ce", "cette", "ces", "par", "pas", "être", "plus", "sa", "ses", "leur", "à", "où", "d", "l", "qu", "un", "des"],
  es: ["el", "los", "las", "y", "del", "con", "para", "una", "por", "es", "su", "sus", "muy", "también", "está", "nuestro", "nuestra", "tu", "como", "más"],
  it: ["il", "gli", "della", "delle", "di", "che", "sono", "nel", "nella", "dei", "degli", "alla", "questo", "siamo", "ed", "essere", "anche", "lo"],
  pt: ["os", "das", "dos", "não", "são", "você", "nosso", "nossa", "em", "ao", "seu", "sua", "também", "muito"],
};

// "des" is French and German (genitive); "un" also Italian: each is given to the language that uses it most in ads.
const MARKER_OF = new Map<string, DetectedLanguage>();
for (const [language, words] of Object.entries(MARKERS) as Array<[DetectedLanguage, readonly string[]]>) {
  for (const word of words) if (!MARKER_OF.has(word)) MARKER_OF.set(word, language);
}

// The markers capitalised ("The", "Über") and in capitals ("THE"), as headings and sentence starts write them.
const CASED_MARKER_OF = new Map<string, DetectedLanguage>();
for (const [word, language] of MARKER_OF) {
  for (const cased of [word.charAt(0).toUpperCase() + word.slice(1), word.toUpperCase()]) {
    if (cased !== word && cased.toLowerCase() === word && !CASED_MARKER_OF.has(cased)) CASED_MARKER_OF.set(cased, language);
  }
}

/** Function-word counts of a text per language, and the language they decide. */
export interface LanguageGuess {
  /** The language with the most function words; `en` when none reaches `MIN_MARKERS`. */
  language: DetectedLanguage;
  /** Function words counted per language. */
  counts: Readonly<Record<DetectedLanguage, number>>;
}

/** Fewer function words than this in all say nothing: a text of keywords reads as English, pmpo's default. */
export const MIN_MARKERS = 3;

// A run of letters, apostrophes excluded, so "l'équipe" gives "l" and "équipe". ASCII letters are
// tried as a plain range first, as in tokenise: on text with any non-ASCII character V8 matches
// Unicode property classes about half as fast.
const WORD = /(?:[A-Za-z]+|[\p{L}\p{M}])+/gu;
// Function words are short: a longer run is looked up not at all.
const MAX_MARKER_LENGTH = Math.max(...[...MARKER_OF.keys()].map((w) => w.length));

/** Counts the function words of each language in a text. */
export function countMarkers(text: string): Record<DetectedLanguage, number> {
  const counts = emptyCounts();
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) countWord(counts, match[0]);
  return counts;
}

/** Counts the function words of each language among words already found (`from` to `to`, all by default). */
export function countMarkerWords(words: readonly string[], from = 0, to = words.length): Record<DetectedLanguage, number> {
  const counts = emptyCounts();
  for (let i = from; i < to; i++) countWord(counts, words[i] as string);
  return counts;
}

function emptyCounts(): Record<DetectedLanguage, number> {
  return { en: 0, de: 0, nl: 0, fr: 0, es: 0, it: 0, pt: 0 };
}

function countWord(counts: Record<DetectedLanguage, number>, word: string): void {
  if (word.length > MAX_MARKER_LENGTH) return;
  let language = MARKER_OF.get(word);
  // Most words are written in lower case; most others are capitalised or in capitals, and those
  // forms of the markers are looked up as they are. Only a word of any other form ("tHe",
  // "Ça") is lower-cased first: a copy for every capitalised word cost more than the lookups.
  if (language === undefined && !isLowerAsciiLetter(word.charCodeAt(0))) {
    language = CASED_MARKER_OF.get(word);
    if (language === undefined && !isCasedAsciiWord(word)) language = MARKER_OF.get(word.toLowerCase());
  }
  if (language !== undefined) counts[language] += 1;
}

const isLowerAsciiLetter = (code: number) => code >= 97 && code <= 122;
const isUpperAsciiLetter = (code: number) => code >= 65 && code <= 90;

// "Product" or "SCRUM": an ASCII word whose lower-cased form is a marker only if the word is in CASED_MARKER_OF.
function isCasedAsciiWord(word: string): boolean {
  if (!isUpperAsciiLetter(word.charCodeAt(0))) return false;
  const rest = word.length > 1 && isUpperAsciiLetter(word.charCodeAt(1)) ? isUpperAsciiLetter : isLowerAsciiLetter;
  for (let i = 1; i < word.length; i++) if (!rest(word.charCodeAt(i))) return false;
  return true;
}

/**
 * The language of a text by its function words: the one with the most, ties going to the
 * earlier in `LANGUAGES` order (English first); English when fewer than `MIN_MARKERS` are found.
 * Pure. Borrowed nouns ("Backlog", "Sprint Review") are not function words, so a German duty
 * list full of Scrum words still reads as German.
 */
export function guessLanguage(text: string): LanguageGuess {
  return languageOfCounts(countMarkers(text));
}

/** The language function-word counts decide (see `guessLanguage`). */
export function languageOfCounts(counts: Readonly<Record<DetectedLanguage, number>>): LanguageGuess {
  let language: DetectedLanguage = "en";
  let best = 0;
  for (const code of Object.keys(counts) as DetectedLanguage[]) {
    if (counts[code] > best) {
      best = counts[code];
      language = code;
    }
  }
  return { language: best >= MIN_MARKERS ? language : "en", counts };
}

/**
 * Words a language's terms skip, like English stopwords: natural's lists for Dutch and French,
 * this project's list for German (natural has none), each with the language's function words,
 * elided articles ("l'", "d'") and the gender marks of job titles ("m/w/d", "h/f").
 */
export const LANGUAGE_STOPWORDS: Readonly<Record<ModelLanguage, readonly string[]>> = {
  de: [
    ...MARKERS.de,
    ...["die", "in", "an", "am", "als", "es", "so", "um", "aus", "vom", "was", "dass", "des", "kann", "können", "soll", "sollst", "hat", "haben", "sein", "ich", "er", "man", "dir", "dir", "ihnen", "ihrem", "ihrer", "eines", "einem", "alle", "allen", "jede", "jeden", "jeder", "dabei", "damit", "dafür", "gemeinsam", "mehr", "sehr", "bzw", "z", "b", "u", "a", "m", "w", "d", "x", "f", "innen", "jeweils", "noch", "nach", "vor", "unter", "zwischen", "gerne", "wenn", "dort", "hier"],
  ],
  nl: [...dutchStopwords, ...MARKERS.nl, "m", "v", "x", "jouw", "jou", "samen", "mee", "zoals"],
  fr: [
    ...frenchStopwords,
    ...MARKERS.fr,
    ...["h", "f", "s", "c", "j", "n", "m", "t", "fe", "e", "euse", "ère", "rice", "ainsi", "afin", "tout", "tous", "toute", "toutes"],
    // Prepositions, adverbs and elided conjunctions natural's list lacks: they carry no duty.
    ...["avant", "après", "pendant", "lors", "chez", "selon", "entre", "sous", "vers", "dont", "chaque", "notamment", "aussi", "très", "auprès", "depuis", "puis", "déjà", "jusqu", "lorsqu", "quelques", "plusieurs", "autre", "autres", "également", "comme", "non"],
    // Support verbs and their nouns in fixed expressions ("mise en place", "mettre en œuvre",
    // "prise en charge"): the duty is in the word that follows, the same in every role's ads.
    ...["mise", "mises", "mettre", "prise", "prises", "prendre"],
  ],
};
