import type { Token } from "../text/tokenise.js";
import { longestMatch, type StemTrie } from "./stem-trie.js";

/** What turns tokens into matchable terms: stopwords to skip and role names to mask. */
export interface FeatureVocabulary {
  stopwords: ReadonlySet<string>;
  /** Stem sequences naming a role ("product owner"): masked, never evidence. */
  roleNames: StemTrie<true>;
}

/** A run of content words with no clause break inside; terms are matched within one run. */
export type Clause = Token[];

/**
 * Groups tokens into clauses of content words: stopwords are dropped (so "own the backlog"
 * reads as "own backlog"), role names and punctuation breaks end a clause.
 */
export function contentClauses(tokens: readonly Token[], vocabulary: FeatureVocabulary): Clause[] {
  const clauses: Clause[] = [];
  let current: Clause = [];
  const flush = () => {
    if (current.length > 0) clauses.push(current);
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.breakBefore) flush();
    const roleName = longestMatch(vocabulary.roleNames, tokens, i);
    if (roleName) {
      flush();
      i += roleName.length - 1;
      continue;
    }
    if (!vocabulary.stopwords.has(token.stem)) current.push(token);
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
