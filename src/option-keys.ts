import { UsageError } from "./errors.js";

/** Names a library function accepts as option keys, each mapped to `true`; typed against the options interface so a new option cannot be left out. */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/** Keys callers commonly write for an option, mapped to the option they meant (`textColumn` → `columns.text`). */
export type OptionAliases = Readonly<Record<string, string>>;

// Spelling variants compared without case, `_` or `-`: `top_phrases` and `TopPhrases` are `topPhrases`.
const fold = (key: string) => key.toLowerCase().replace(/[_\-\s]/g, "");

// Edits (insert, delete, replace, swap two neighbours) from one key to another.
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) next[j] = Math.min(next[j]!, before[j - 2]! + 1);
    }
    before = row;
    row = next;
  }
  return row[b.length]!;
}

/** The option a caller most likely meant by an unknown key, or null when none is close. */
export function suggestOption(key: string, known: readonly string[], aliases: OptionAliases = {}): string | null {
  const folded = fold(key);
  for (const [alias, meant] of Object.entries(aliases)) if (fold(alias) === folded) return meant;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(folded, fold(name));
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  // Up to 2 edits, and never most of a short key: `top` is not `title`.
  return best !== null && bestDistance <= Math.min(2, Math.floor(folded.length / 3)) ? best : null;
}

/**
 * Rejects option keys a function does not know, so a misspelt option is an error instead of a
 * default silently used: `UsageError` naming the key, the option meant when one is close, and
 * the accepted keys. `where` names the options in the message (`classify: options`). A key whose
 * value is `undefined` counts as given. One `Set` lookup per key: cheap enough for every call.
 */
export function checkOptionKeys(where: string, options: object, known: ReadonlySet<string>, aliases: OptionAliases = {}): void {
  for (const key in options) {
    if (known.has(key)) continue;
    const meant = suggestOption(key, [...known], aliases);
    throw new UsageError(
      `${where}: unknown option ${JSON.stringify(key)}${meant ? `: did you mean ${meant}?` : ""}`,
      `the options are ${[...known].join(", ")}`,
    );
  }
}
