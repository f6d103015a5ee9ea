import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";
import GermanStemmer from "natural/lib/natural/stemmers/porter_stemmer_de.js";
import DutchStemmer from "natural/lib/natural/stemmers/porter_stemmer_nl.js";
import FrenchStemmer from "natural/lib/natural/stemmers/porter_stemmer_fr.js";
import type { Language } from "./language.js";
import { FIRST_LIST_SYMBOL, listSymbolLength } from "./list-symbols.js";
import { isInvisibleInWord, withoutInvisible } from "./normalise.js";

/**
 * The words of a text as parallel arrays: word `i` is `words[i]`, found at
 * `text.slice(starts[i], ends[i])`. One object per text rather than one per word: a 4 KB ad
 * has some 600 words, and scoring reads these arrays in tight loops.
 */
export interface WordSpans {
  readonly length: number;
  /** Each word as written. */
  readonly words: readonly string[];
  /** Offset of each word's first character, in UTF-16 code units. */
  readonly starts: Int32Array;
  /** Offset one past each word's last character. */
  readonly ends: Int32Array;
  /** 1 where a clause break (punctuation or a line break) separates a word from the one before; always 1 for the first. */
  readonly breaks: Uint8Array;
}

/** The words of a text with their stems. */
export interface Tokens extends WordSpans, StemRun {}

/** A run of stemmed words, each with whether a break stands before it: what tries match on. */
export interface StemRun {
  readonly length: number;
  /** Lower-cased, NFKC-normalised, Porter-stemmed form of each word, used for matching. */
  readonly stems: readonly string[];
  /** 1 where a clause break (punctuation or a line break) separates a word from the one before; always 1 for the first. */
  readonly breaks: Uint8Array;
}

// Words are runs of letters, marks and digits (the Unicode classes L, M and N, code point by code
// point: what /[\p{L}\p{M}\p{N}]+/gu matches); everything else is a gap. Scanned by hand with
// tables rather than matched with that pattern and then searched for again to find each
// word's offset: one pass instead of two, and no Unicode class tried on ASCII text.
// A gap holding one of these ends a clause: phrases are never matched across it.
const CLAUSE_BREAKS = [...".;:!?\n\r•|()[]{}\u2022\u25CF\u25AA"].map((c) => c.charCodeAt(0));
// Looked up by character code (a table is cheaper than a set); the largest break is U+25CF.
const IS_CLAUSE_BREAK = new Uint8Array(Math.max(...CLAUSE_BREAKS) + 1);
for (const code of CLAUSE_BREAKS) IS_CLAUSE_BREAK[code] = 1;

// ASCII characters that belong to words: [0-9A-Za-z].
const IS_ASCII_WORD = new Uint8Array(128);
for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") IS_ASCII_WORD[c.charCodeAt(0)] = 1;

// Whether a non-ASCII code unit of the Basic Multilingual Plane is a letter, mark or digit (the
// pattern's Unicode classes): 0 not yet asked, 1 yes, 2 no; filled as characters are met.
const BMP_WORD = new Uint8Array(0x10000);
const UNICODE_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

function isBmpWordChar(code: number): boolean {
  let known = BMP_WORD[code]!;
  if (known === 0) {
    known = UNICODE_WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    BMP_WORD[code] = known;
  }
  return known === 1;
}

// Length in code units of the word character at `i` (2 for a letter written as a surrogate
// pair, such as a mathematical bold letter), or 0 when the character there is no word character.
function wordCharLength(text: string, i: number, code: number): number {
  if (code < 128) return IS_ASCII_WORD[code]!;
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return UNICODE_WORD_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return isBmpWordChar(code) ? 1 : 0;
}

// natural's Snowball stemmers for German, Dutch and French; its Porter stemmer for English.
const STEMMERS: Readonly<Record<Language, { stem(word: string): string }>> = { en: PorterStemmer, de: GermanStemmer, nl: DutchStemmer, fr: FrenchStemmer };
const stemCaches: Record<Language, Map<string, string>> = { en: new Map(), de: new Map(), nl: new Map(), fr: new Map() };
const STEM_CACHE_LIMIT = 200_000;

/** Normal form of a word before stemming: compatibility-normalised, lower case. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  return /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize("NFKC");
}

/**
 * Words longer than this (in UTF-16 code units) are not stemmed: natural's Porter stemmer runs
 * regular expressions that take time quadratic in a word's length (a 40,000-letter run took 10 s),
 * and no word of a job ad is this long (the longest English and German words of an ad are
 * about 30 letters). Such a run stands for itself, folded, and matches no term.
 */
export const MAX_STEMMED_WORD_LENGTH = 48;

/**
 * Stem of a word as written (folded first) in a language (English by default: natural's Porter
 * stemmer; German, Dutch, French: its Snowball stemmers); a word longer than
 * `MAX_STEMMED_WORD_LENGTH` is only folded. Cached by the written form: ads reuse a small
 * vocabulary, so a repeated word costs one map lookup.
 */
export function stemWord(word: string, language: Language = "en"): string {
  if (word.length > MAX_STEMMED_WORD_LENGTH) return foldWord(word);
  const stemCache = stemCaches[language];
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = STEMMERS[language].stem(foldWord(word));
    // Bounded so an adversarial stream of unique words cannot grow memory without limit.
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/**
 * Finds the words of a text with their offsets: the runs of letters, marks and digits, read in one pass
 * over the text that notes each word's offsets and the clause breaks between words as it goes.
 */
export function findWords(text: string, language: Language = "en"): WordSpans {
  return inLanguage(text, findUnicodeWords(text), language);
}

/**
 * The words of `text` as a language reads them, from its words as English reads them (what
 * `findWords(text)` gives): the same object for English, the language's rules applied otherwise.
 * Lets a caller find the words once, decide the language from them, then read them in it.
 */
export function inLanguage(text: string, englishWords: WordSpans, language: Language): WordSpans {
  return language === "en" ? englishWords : applyLanguageRules(text, englishWords, language);
}

function findUnicodeWords(text: string): WordSpans {
  // At most one word per two characters: the arrays are sized once and cut to the count.
  const capacity = (text.length >> 1) + 1;
  const words: string[] = [];
  const starts = new Int32Array(capacity);
  const ends = new Int32Array(capacity);
  const breaks = new Uint8Array(capacity);
  let count = 0;
  let broken = true;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code < 128 ? IS_ASCII_WORD[code] === 0 : wordCharLength(text, i, code) === 0) {
      if ((code < IS_CLAUSE_BREAK.length && IS_CLAUSE_BREAK[code] === 1) || (code >= FIRST_LIST_SYMBOL && listSymbolLength(text, i) > 0)) broken = true;
      i++;
      continue;
    }
    const start = i;
    let hidden = false;
    // ASCII letters and digits, most of every ad, are stepped over without a call.
    while (i < length) {
      const next = text.charCodeAt(i);
      if (next < 128) {
        if (IS_ASCII_WORD[next] === 0) break;
        i++;
      } else {
        const step = wordCharLength(text, i, next);
        if (step > 0) {
          i += step;
          continue;
        }
        // Soft hyphens and zero-width characters after a word character belong to the word,
        // whether a word character follows ("road\u00admap") or not (the fillers that end a
        // decoded entity, "march&eacute;").
        const after = invisibleRunEnd(text, i);
        if (after === i) break;
        hidden = true;
        i = after;
      }
    }
    if (i - start === 1) i = joinedLetters(text, start);
    words.push(hidden ? withoutInvisible(text.slice(start, i)) : text.slice(start, i));
    starts[count] = start;
    ends[count] = i;
    breaks[count] = broken ? 1 : 0;
    broken = false;
    count++;
  }
  return { length: count, words, starts: starts.subarray(0, count), ends: ends.subarray(0, count), breaks: breaks.subarray(0, count) };
}

// Where a run of characters of no width (see `isInvisibleInWord`) starting at `i` ends; `i` when there is none.
function invisibleRunEnd(text: string, i: number): number {
  while (i < text.length && isInvisibleInWord(text.charCodeAt(i))) i++;
  return i;
}

/** Where a cut after the first `count` code units of a word as read (without its invisible characters) falls in the text. */
function offsetAfterVisible(text: string, start: number, count: number): number {
  let at = start;
  for (let seen = 0; seen < count; at++) if (!isInvisibleInWord(text.charCodeAt(at))) seen++;
  return at;
}

const isAsciiLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const AMPERSAND = 38;
const SLASH = 47;
// Letters of the gender marks of job titles ("m/w/d", "m/f", "h/f", "m/v"): such a mark is no abbreviation.
const GENDER_LETTERS = new Set([..."mfwdhxvMFWDHXV"].map((c) => c.charCodeAt(0)));

/**
 * Where a word that starts at `start` with a single letter ends: after the second letter of an
 * abbreviation of two letters joined by "&" or "/" ("P&L", "R&D", "A/B"), which is one word, not
 * two single letters (stopwords both, so "run A/B tests" would read as "run tests"); else after
 * the letter. A chain ("m/w/d") and a pair of gender letters ("m/f", "H/F") are not joined.
 */
function joinedLetters(text: string, start: number): number {
  const end = start + 1;
  const before = start > 0 ? text.charCodeAt(start - 1) : 0;
  if (before === SLASH || before === AMPERSAND) return end;
  const mark = text.charCodeAt(end);
  if ((mark !== AMPERSAND && mark !== SLASH) || !isAsciiLetter(text.charCodeAt(start)) || !isAsciiLetter(text.charCodeAt(end + 1))) return end;
  const after = text.charCodeAt(end + 2);
  // The second letter must end the word ("A/Bs" is no pair of letters), and no third may be joined to it.
  if (end + 2 < text.length && (wordCharLength(text, end + 2, after) > 0 || after === SLASH || after === AMPERSAND)) return end;
  // Nor may a word character follow it across invisible ones ("A/B\u00ads").
  const visible = invisibleRunEnd(text, end + 2);
  if (visible > end + 2 && visible < text.length && wordCharLength(text, visible, text.charCodeAt(visible)) > 0) return end;
  if (mark === SLASH && (GENDER_LETTERS.has(text.charCodeAt(start)) || GENDER_LETTERS.has(text.charCodeAt(end + 1)))) return end;
  return end + 2;
}

/** The words of a text with their offsets and stems in a language (see `findWords` and `stemWord`). */
export function tokenise(text: string, language: Language = "en"): Tokens {
  const spans = findWords(text, language);
  return withStems(spans, spans.words.map((word) => stemWord(word, language)));
}

// Gender endings job ads join to a word with a mark and no space: "Produktmanager:in",
// "Entwickler*innen", "chef·fe", "développeur·euse", "responsable.s".
const INCLUSIVE_MARKS = new Set([":", "*", "_", "/", "·", "•", "."]);
const INCLUSIVE_ENDINGS: Readonly<Record<Exclude<Language, "en">, ReadonlySet<string>>> = {
  de: new Set(["in", "innen", "r", "e"]),
  nl: new Set(["ster", "e", "es"]),
  fr: new Set(["e", "es", "fe", "fes", "euse", "euses", "rice", "rices", "trice", "ère", "ères", "ne", "nes", "s", "le", "te"]),
};
// German and Dutch write "Produktbacklog", "Produktvision", "productvisie" as one word; the
// head of such a compound is the duty, so the word is read as two: "Produkt" + "backlog".
// Only before a consonant and at least four letters: "Produktion", "producten", "productief" stay whole.
const COMPOUND_HEAD = /^(produkt|product)(?=[bcdfghjklmnpqrstvwxz][\p{L}]{3})/iu;

/**
 * The rules of a language that English does not need: a gender ending joined by a mark is no
 * word of its own (so "Produktmanager:in" is one word and no clause ends at its colon), and in
 * German and Dutch a "Produkt…"/"product…" compound is two words at their offsets. French
 * elision ("l'équipe", "d'affaires") needs no rule here: the apostrophe is a gap, and the
 * elided article is a French stopword.
 */
function applyLanguageRules(text: string, spans: WordSpans, language: Exclude<Language, "en">): WordSpans {
  const endings = INCLUSIVE_ENDINGS[language];
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const breaks: number[] = [];
  for (let i = 0; i < spans.length; i++) {
    const word = spans.words[i] as string;
    const start = spans.starts[i] as number;
    const end = spans.ends[i] as number;
    const joined = i > 0 && start - (spans.ends[i - 1] as number) === 1 && INCLUSIVE_MARKS.has(text[start - 1] as string);
    if (joined && endings.has(word.toLowerCase()) && words.length > 0) {
      // Dropped: the mark before it is no clause break, and the word after keeps its own break.
      continue;
    }
    const broken = spans.breaks[i] === 1 || words.length === 0;
    const head = language === "fr" ? null : COMPOUND_HEAD.exec(word);
    if (head) {
      const cut = end - start === word.length ? start + head[0].length : offsetAfterVisible(text, start, head[0].length);
      // Invisible characters at the cut belong to neither word.
      const rest = invisibleRunEnd(text, cut);
      words.push(word.slice(0, head[0].length), word.slice(head[0].length));
      starts.push(start, rest);
      ends.push(cut, end);
      breaks.push(broken ? 1 : 0, 0);
      continue;
    }
    words.push(word);
    starts.push(start);
    ends.push(end);
    breaks.push(broken ? 1 : 0);
  }
  return { length: words.length, words, starts: Int32Array.from(starts), ends: Int32Array.from(ends), breaks: Uint8Array.from(breaks) };
}

/** Words with their stems, `stems[i]` being the stem of `spans.words[i]`. */
export function withStems(spans: WordSpans, stems: readonly string[]): Tokens {
  // Spelled out rather than spread, so every Tokens object has one shape for the loops that read it.
  return { length: spans.length, words: spans.words, starts: spans.starts, ends: spans.ends, breaks: spans.breaks, stems };
}
