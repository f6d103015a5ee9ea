import { RegexpTokenizer } from "natural/lib/natural/tokenizers/regexp_tokenizer.js";
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";

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

// Words are runs of letters, marks and digits; everything else is a gap. ASCII letters and
// digits are tried as a plain range first: the same runs, but on text with any non-ASCII
// character (a two-byte string) V8 matches Unicode property classes about half as fast.
const WORD = /(?:[0-9A-Za-z]+|[\p{L}\p{M}\p{N}])+/gu;
// A gap holding one of these ends a clause: phrases are never matched across it.
const CLAUSE_BREAKS = [...".;:!?\n\r•|()[]{}\u2022\u25CF\u25AA"].map((c) => c.charCodeAt(0));
// Looked up by character code (a table is cheaper than a set); the largest break is U+25CF.
const IS_CLAUSE_BREAK = new Uint8Array(Math.max(...CLAUSE_BREAKS) + 1);
for (const code of CLAUSE_BREAKS) IS_CLAUSE_BREAK[code] = 1;

// Checked character by character: most gaps are one space, and no substring is made.
function hasClauseBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (IS_CLAUSE_BREAK[text.charCodeAt(i)] === 1) return true;
  return false;
}

// ASCII characters that belong to words: the pattern's [0-9A-Za-z].
const IS_ASCII_WORD = new Uint8Array(128);
for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") IS_ASCII_WORD[c.charCodeAt(0)] = 1;

// Matching words is about half again as fast as splitting on gaps, which also filters empties.
const tokenizer = new RegexpTokenizer({ pattern: WORD, gaps: false });
const stemCache = new Map<string, string>();
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
 * Porter stem of a word as written (folded first); a word longer than
 * `MAX_STEMMED_WORD_LENGTH` is only folded. Cached by the written form: ads reuse a small
 * vocabulary, so a repeated word costs one map lookup.
 */
export function stemWord(word: string): string {
  if (word.length > MAX_STEMMED_WORD_LENGTH) return foldWord(word);
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = PorterStemmer.stem(foldWord(word));
    // Bounded so an adversarial stream of unique words cannot grow memory without limit.
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/**
 * Finds the words of a text with their offsets, using natural's RegexpTokenizer to find the
 * words and recovering each word's offset by scanning forward (words never occur inside gaps).
 */
export function findWords(text: string): WordSpans {
  // natural returns String#match's result: null when there is no word at all.
  const words: string[] = tokenizer.tokenize(text) ?? [];
  const starts = new Int32Array(words.length);
  const ends = new Int32Array(words.length);
  const breaks = new Uint8Array(words.length);
  let count = 0;
  let cursor = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    // The next word starts at the first character after the last one that can be part of a
    // word. ASCII gap characters never can, so they are stepped over (noting clause breaks);
    // at a non-ASCII character, which may be a letter, the word is searched for instead.
    let start = cursor;
    let broken = false;
    let code = -1;
    while (start < text.length && (code = text.charCodeAt(start)) < 128 && IS_ASCII_WORD[code] === 0) {
      if (IS_CLAUSE_BREAK[code] === 1) broken = true;
      start++;
    }
    if (code >= 128 || start >= text.length) {
      start = text.indexOf(word, cursor);
      if (start < 0) continue;
      broken = hasClauseBreak(text, cursor, start);
    }
    if (count !== w) words[count] = word;
    breaks[count] = count === 0 || broken ? 1 : 0;
    starts[count] = start;
    cursor = start + word.length;
    ends[count] = cursor;
    count++;
  }
  if (count !== words.length) words.length = count;
  return { length: count, words, starts: starts.subarray(0, count), ends: ends.subarray(0, count), breaks: breaks.subarray(0, count) };
}

/** The words of a text with their offsets and stems (see `findWords` and `stemWord`). */
export function tokenise(text: string): Tokens {
  const spans = findWords(text);
  return withStems(spans, spans.words.map(stemWord));
}

/** Words with their stems, `stems[i]` being the stem of `spans.words[i]`. */
export function withStems(spans: WordSpans, stems: readonly string[]): Tokens {
  // Spelled out rather than spread, so every Tokens object has one shape for the loops that read it.
  return { length: spans.length, words: spans.words, starts: spans.starts, ends: spans.ends, breaks: spans.breaks, stems };
}
