/**
 * Characters of ad text a terminal would act on rather than show: C0 controls other than line
 * feed and tab (ESC opens CSI and OSC sequences: screen clears, window titles, OSC-8 links; a
 * lone CR or BS overwrites what was printed), DEL, the C1 controls (U+009B is a one-byte CSI
 * on some terminals) and the bidirectional overrides and isolates, which reorder or hide text.
 */
const UNSAFE_CLASS = "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE = new RegExp(UNSAFE_CLASS, "g");

function visible(c: string): string {
  const code = c.charCodeAt(0);
  // C0 controls and DEL have printable pictures (U+2400 block): ESC shows as ␛.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/**
 * Text safe to print to a terminal: every control character and bidi override in it is
 * replaced by a visible stand-in (`␛` for ESC, `<U+202E>` for a right-to-left override), never
 * silently dropped; line feeds and tabs are kept, and a CR that ends a CRLF line break is dropped.
 */
export function terminalSafe(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(/\r\n/g, "\n").replace(UNSAFE, visible);
}
