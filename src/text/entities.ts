// HTML entities that stand for a letter, decoded without a table of every entity: an accented
// Latin letter is its base letter and a combining mark ("eacute" is "e" + U+0301, "é" composed).
const MARKS: Readonly<Record<string, string>> = {
  acute: "\u0301",
  grave: "\u0300",
  circ: "\u0302",
  uml: "\u0308",
  tilde: "\u0303",
  ring: "\u030a",
  cedil: "\u0327",
  caron: "\u030c",
};
const LETTERS: Readonly<Record<string, string>> = {
  szlig: "ß",
  aelig: "æ",
  AElig: "Æ",
  oelig: "œ",
  OElig: "Œ",
  oslash: "ø",
  Oslash: "Ø",
  eth: "ð",
  ETH: "Ð",
  thorn: "þ",
  THORN: "Þ",
};
const ACCENTED = /^([A-Za-z])(acute|grave|circ|uml|tilde|ring|cedil|caron)$/;

/** The letter a named entity stands for ("eacute" gives "é", "Uuml" "Ü", "szlig" "ß"), or undefined. */
export function letterOfEntityName(name: string): string | undefined {
  const letter = LETTERS[name];
  if (letter !== undefined) return letter;
  const accented = ACCENTED.exec(name);
  if (!accented) return undefined;
  const composed = (accented[1]! + MARKS[accented[2]!]!).normalize("NFC");
  // Only a letter Unicode composes ("ẽ" yes, "q̈" no) is one.
  return composed.length === 1 ? composed : undefined;
}
