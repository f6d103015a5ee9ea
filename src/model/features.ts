import type { Token } from "../text/tokenise.js";
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

/** The features of each token's stem (two set and map lookups per token; scoring keeps them in one map instead). */
export function stemFeatures(tokens: readonly Token[], vocabulary: FeatureVocabulary): Array<StemFeatures | undefined> {
  return tokens.map((token) => ({ stopword: vocabulary.stopwords.has(token.stem), roleName: vocabulary.roleNames.next.get(token.stem) }));
}

/** A run of content words with no clause break inside; terms are matched within one run. */
export type Clause = Token[];

/**
 * Groups tokens into clauses of content words: stopwords are dropped (so "own the backlog"
 * reads as "own backlog"), role names and punctuation breaks end a clause. `features[i]` is
 * what the vocabulary says about `tokens[i]` (see `stemFeatures`).
 */
export function contentClauses(tokens: readonly Token[], features: ReadonlyArray<StemFeatures | undefined>): Clause[] {
  const clauses: Clause[] = [];
  let current: Clause = [];
  const flush = () => {
    if (current.length > 0) clauses.push(current);
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const known = features[i];
    if (token.breakBefore) flush();
    const roleName = known?.roleName ? longestMatchAfter(known.roleName, tokens, i) : null;
    if (roleName) {
      flush();
      i += roleName.length - 1;
      continue;
    }
    if (!known?.stopword) current.push(token);
  }
  flush();
  return clauses;
}

/** The key of a term made of these tokens: their stems joined by single spaces. */
export function termKey(tokens: readonly Token[], from: number, length: number): string {
  let key = (tokens[from] as Token).stem;
  for (let k = 1; k < length; k++) key += ` ${(tokens[from + k] as Token).stem}`;
  return key;
}
