// Symbols that ads set before their items instead of a bullet: arrows, check marks, stars and
// emoji ("✅ Own the roadmap 🔹 Write the stories"). In an ad whose line breaks were lost, they
// are all that separates its duties.

// Symbols (Unicode So), pictographs and arrows from the arrows block on, and the private-use
// characters of the Symbol and Wingdings fonts that text copied from a word processor keeps for
// its bullets (U+F0B7 "•", U+F0A7 "▪", U+F0D8 "➢"). Below the arrows stand the symbols of ordinary
// text ("360°", "Salesforce®", "™"), which separate nothing.
const LIST_SYMBOL = /^[\p{So}\p{Extended_Pictographic}\u2190-\u21ff\uf020-\uf0ff]/u;
/** No code unit below this starts a list symbol: callers test it before calling `listSymbolLength`. */
export const FIRST_LIST_SYMBOL = 0x2190;

/**
 * Length in code units (1, or 2 for a symbol written as a surrogate pair) of the list symbol at
 * `i`, or 0 when there is none. Cheap for the characters of most text: only code units from
 * U+2190 up are tested.
 */
export function listSymbolLength(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < FIRST_LIST_SYMBOL) return 0;
  const point = text.codePointAt(i)!;
  if (!LIST_SYMBOL.test(String.fromCodePoint(point))) return 0;
  return point > 0xffff ? 2 : 1;
}
