import { RegexpTokenizer } from "natural/lib/natural/tokenizers/regexp_tokenizer.js";
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";

/** One word of an ad with its place in the text: `text.slice(start, end)` is the word. */
export interface Token {
  /** Offset of the first character, in UTF-16 code units. */
  start: number;
  /** Offset one past the last character. */
  end: number;
  /** Lower-cased, NFKC-normalised, Porter-stemmed form used for matching. */
  stem: string;
  /** True when punctuation or a line break separates this token from the one before. */
  breakBefore: boolean;
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
 * Porter stem of a word as written (folded first). Cached by the written form: ads reuse a
 * small vocabulary, so a repeated word costs one map lookup.
 */
export function stemWord(word: string): string {
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
 * Splits text into stemmed tokens with offsets, using natural's RegexpTokenizer to find the
 * words and recovering each word's offset by scanning forward (words never occur inside gaps).
 */
export function tokenise(text: string): Token[] {
  // natural returns String#match's result: null when there is no word at all.
  const words: readonly string[] = tokenizer.tokenize(text) ?? [];
  const tokens: Token[] = new Array(words.length);
  let count = 0;
  let cursor = 0;
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    const start = text.indexOf(word, cursor);
    if (start < 0) continue;
    const end = start + word.length;
    tokens[count] = { start, end, stem: stemWord(word), breakBefore: count === 0 || hasClauseBreak(text, cursor, start) };
    count++;
    cursor = end;
  }
  tokens.length = count;
  return tokens;
}
