import type { StemRun } from "../text/tokenise.js";

/** Stem sequences in a trie, for longest-match lookup at a token position without building strings. */
export interface StemTrie<V> {
  next: Map<string, StemTrie<V>>;
  value: V | undefined;
}

/** A trie of the given stem sequences, each with its value (a later duplicate wins). */
export function buildStemTrie<V>(entries: Iterable<readonly [readonly string[], V]>): StemTrie<V> {
  const root: StemTrie<V> = { next: new Map(), value: undefined };
  for (const [stems, value] of entries) {
    if (stems.length === 0) continue;
    let node = root;
    for (const stem of stems) {
      let child = node.next.get(stem);
      if (!child) {
        child = { next: new Map(), value: undefined };
        node.next.set(stem, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

/**
 * The longest sequence of a trie that starts at word `from` of `run`, at most `maxLength` long
 * and never running across a break; null when none starts there. `first` is the trie's node
 * for that word's stem: callers have looked it up already (one lookup per word serves every
 * trie, see the compiled model's lexicon).
 */
export function longestMatchAfter<V>(
  first: StemTrie<V>,
  run: StemRun,
  from: number,
  maxLength = Number.POSITIVE_INFINITY,
): { length: number; value: V } | null {
  let node: StemTrie<V> | undefined = first;
  let best: { length: number; value: V } | null = first.value === undefined ? null : { length: 1, value: first.value };
  const end = Math.min(run.length, from + maxLength);
  for (let i = from + 1; i < end; i++) {
    if (run.breaks[i] === 1) break;
    node = node.next.get(run.stems[i] as string);
    if (!node) break;
    if (node.value !== undefined) best = { length: i - from + 1, value: node.value };
  }
  return best;
}
