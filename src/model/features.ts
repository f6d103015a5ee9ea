import type { StemRun } from "../text/tokenise.js";
import { longestMatchAfter, type StemTrie } from "./stem-trie.js";

/** What turns tokens into matchable terms: stopwords to skip and role names to mask. */
export interface FeatureVocabulary {
  stopwords: ReadonlySet<string>;
  /** Stem sequences naming a role ("product owner"): masked, never evidence. */
  roleNames: StemTrie<true>;
}

/**
 * What the vocabulary says about one stem, looked up once per token: whether it is a stopword,
 * and the role-name trie's node after it when a role name starts with it. A stem the
 * vocabulary does not know has none (undefined): a content word that starts no role name.
 */
export interface StemFeatures {
  stopword: boolean;
  roleName: StemTrie<true> | undefined;
}

/** The features of each word's stem (two set and map lookups per word; scoring keeps them in one map instead). */
export function stemFeatures(words: StemRun, vocabulary: FeatureVocabulary): Array<StemFeatures | undefined> {
  return words.stems.map((stem) => ({ stopword: vocabulary.stopwords.has(stem), roleName: vocabulary.roleNames.next.get(stem) }));
}

/**
 * The content words of a text, in order: `breaks[k]` is 1 where a clause starts, and terms are
 * matched within one clause. `source[k]` is the content word's index among all the words.
 */
export interface ContentWords extends StemRun {
  readonly source: Int32Array;
}

/**
 * Picks the content words and their clauses: stopwords are dropped (so "own the backlog" reads
 * as "own backlog"), role names and punctuation breaks end a clause. `features[i]` is what the
 * vocabulary says about word `i` (see `stemFeatures`).
 */
export function contentWords(words: StemRun, features: ReadonlyArray<StemFeatures | undefined>): ContentWords {
  const stems: string[] = new Array(words.length);
  const breaks = new Uint8Array(words.length);
  const source = new Int32Array(words.length);
  let length = 0;
  // A clause starts at the next content word after a break, a role name, or the start.
  let clauseEnded = true;
  for (let i = 0; i < words.length; i++) {
    const known = features[i];
    if (words.breaks[i] === 1) clauseEnded = true;
    const roleName = known?.roleName ? longestMatchAfter(known.roleName, words, i) : null;
    if (roleName) {
      clauseEnded = true;
      i += roleName.length - 1;
      continue;
    }
    if (known?.stopword) continue;
    breaks[length] = clauseEnded ? 1 : 0;
    source[length] = i;
    stems[length] = words.stems[i] as string;
    length++;
    clauseEnded = false;
  }
  stems.length = length;
  return { length, stems, breaks: breaks.subarray(0, length), source: source.subarray(0, length) };
}

/** The key of a term made of `length` words of `run` from `from`: their stems joined by single spaces. */
export function termKey(run: StemRun, from: number, length: number): string {
  let key = run.stems[from] as string;
  for (let k = 1; k < length; k++) key += ` ${run.stems[from + k] as string}`;
  return key;
}
