/**
 * Markup handling that never moves a character: every function here returns a string of
 * exactly the input's length, so offsets found in the result are offsets into the input.
 */

import { letterOfEntityName } from "./entities.js";

const BLOCK_TAGS = new Set([
  "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
  "table", "section", "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd",
]);

// The start of a tag: "<", an optional "/", and a whole name. The name ends where name
// characters end ("\b" would also stop at "_", which the emphasis pass blanks, so a second call
// found "<b__>" a tag that the first had not).
const TAG_START = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,20})(?![a-zA-Z0-9-])/g;
const RAW_TEXT_START = /<(script|style)(?![a-zA-Z0-9-])/gi;
const RAW_TEXT_CLOSE: Record<string, RegExp> = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi };
// A tag runs from its start to the next ">" (as an HTML tokenizer reads it: a "<" inside does
// not end it), at most this many characters on, so a stray "<b" in a huge ad blanks little.
const MAX_TAG_BODY = 2000;
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g;
// Markdown: emphasis runs, heading hashes at line start, backslash escapes, link targets.
const EMPHASIS = /\*\*+|__+/g;
const HEADING_HASHES = /^[ \t]{0,3}#{1,6}(?=[ \t])/gm;
const BACKSLASH_ESCAPE = /\\(?=[!-/:-@[\]-`{-~])/g;
const LINK_TARGET = /\]\((?:[^()\s]{0,2000})\)/g;

function blank(match: string): string {
  return " ".repeat(match.length);
}

/**
 * Invisible inside a word: the soft hyphen, and what blanks the rest of a decoded entity. The
 * tokeniser reads a word across it ("Road&shy;map" is "Roadmap"), so it keeps offsets as blanks do.
 */
export const WORD_FILLER = "\u00ad";
// Characters with no width that pages set inside words: soft hyphen, zero-width space, non-joiner
// and joiner, word joiner, and the byte-order mark as a zero-width no-break space.
const INVISIBLE_CODES = new Set([0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "g");
const INVISIBLE_NAMES = new Set(["shy", "zwnj", "zwj", "ZeroWidthSpace", "NoBreak"]);
const WORD_CHARACTER = /^[\p{L}\p{M}\p{N}]+$/u;

/**
 * An entity as the words around it read it, at its own length: a letter or digit ("&eacute;",
 * "&#252;") as that character followed by fillers, so "d&eacute;finir" is one word; an invisible
 * one ("&shy;") as fillers only; any other as blanks, as before ("&amp;", "&nbsp;").
 */
function blankEntity(match: string): string {
  const numeric = match[1] === "#" ? (match[2] === "x" || match[2] === "X" ? Number.parseInt(match.slice(3, -1), 16) : Number(match.slice(2, -1))) : undefined;
  let decoded: string | undefined;
  if (numeric !== undefined) {
    if (INVISIBLE_CODES.has(numeric)) return WORD_FILLER.repeat(match.length);
    decoded = numeric > 0 && numeric <= 0x10ffff && (numeric < 0xd800 || numeric > 0xdfff) ? String.fromCodePoint(numeric) : undefined;
  } else {
    const name = match.slice(1, -1);
    if (INVISIBLE_NAMES.has(name)) return WORD_FILLER.repeat(match.length);
    decoded = letterOfEntityName(name);
  }
  return decoded !== undefined && WORD_CHARACTER.test(decoded) ? decoded + WORD_FILLER.repeat(match.length - decoded.length) : blank(match);
}

/** True for a character of no width that a word is read across (see `WORD_FILLER`). */
export function isInvisibleInWord(code: number): boolean {
  return INVISIBLE_CODES.has(code);
}

/** The text as a reader sees it: without its characters of no width ("Road\u00admap" is "Roadmap"). */
export function withoutInvisible(text: string): string {
  return INVISIBLE.test(text) ? text.replace(INVISIBLE_ALL, "") : text;
}

/**
 * Finds the tags `start` finds, each ending at the first ">" after its start, and calls `each`
 * with the tag's bounds and name; `each` returns where scanning goes on. The next ">" is looked
 * up once and kept until a tag start passes it, so a run of unclosed "<a" costs one scan, not
 * one window per "<".
 */
function forEachTag(text: string, start: RegExp, each: (from: number, to: number, match: RegExpExecArray) => number): void {
  let gt = -1;
  start.lastIndex = 0;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const after = m.index + m[0].length;
    if (gt < after) gt = text.indexOf(">", after);
    // No ">" after this start means none after any later one.
    if (gt < 0) return;
    if (gt - after > MAX_TAG_BODY) continue;
    start.lastIndex = each(m.index, gt + 1, m);
  }
}

// Script and style elements with their bodies, blanked to a line break and spaces. Each
// element's closing tag is searched for only forward and once per element name: a regex with a
// window ([\s\S]{0,200000}?) scanned the whole window again from every unclosed "<script>", so
// 100 KB of them took seconds. An element never closed is left to the tag pass.
function blankRawText(text: string): string {
  if (!/<(?:script|style)/i.test(text)) return text;
  const closes = new Map<string, { start: number; end: number } | null>();
  const closeAfter = (name: string, from: number) => {
    const known = closes.get(name);
    // null: no closing tag after an earlier point, so none after this one either.
    if (known === null || (known !== undefined && known.start >= from)) return known;
    const close = RAW_TEXT_CLOSE[name] as RegExp;
    close.lastIndex = from;
    const found = close.exec(text);
    const result = found ? { start: found.index, end: found.index + found[0].length } : null;
    closes.set(name, result);
    return result;
  };
  let out = "";
  let cursor = 0;
  forEachTag(text, RAW_TEXT_START, (from, to, m) => {
    const close = closeAfter((m[1] as string).toLowerCase(), to);
    if (!close) return to;
    out += `${text.slice(cursor, from)}\n${" ".repeat(close.end - from - 1)}`;
    cursor = close.end;
    return close.end;
  });
  return cursor === 0 ? text : out + text.slice(cursor);
}

// HTML comments, blanked. Found with indexOf: a "<!--" never closed means no later one closes
// either, so the scan ends there instead of trying a bounded window from each one.
function blankComments(text: string): string {
  let out = "";
  let cursor = 0;
  for (let open = text.indexOf("<!--"); open >= 0; open = text.indexOf("<!--", cursor)) {
    const close = text.indexOf("-->", open + 4);
    if (close < 0) break;
    out += text.slice(cursor, open) + " ".repeat(close + 3 - open);
    cursor = close + 3;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

// Tags become spaces; a block tag ends a line of text, so it becomes a newline and spaces.
function blankTags(text: string): string {
  if (!text.includes("<")) return text;
  let out = "";
  let cursor = 0;
  forEachTag(text, TAG_START, (from, to, m) => {
    const length = to - from;
    out += text.slice(cursor, from) + (BLOCK_TAGS.has((m[2] as string).toLowerCase()) ? `\n${" ".repeat(length - 1)}` : " ".repeat(length));
    cursor = to;
    return to;
  });
  return cursor === 0 ? text : out + text.slice(cursor);
}

// Blanking a heading's hashes can leave its text, if that starts with hashes too, at the start
// of the line ("# # x" gives "  # x"), a heading in turn. Twice is enough: after two openers a
// line has at least four characters of white space before the next, which makes it no heading.
function blankHeadings(text: string): string {
  if (!text.includes("#")) return text;
  return text.replace(HEADING_HASHES, blank).replace(HEADING_HASHES, blank);
}

/** True for a whole HTML document (a doctype, or an html, head or body tag in the first 4 KiB); a fragment pasted from a page is not one. */
export function isHtmlDocument(text: string): boolean {
  return /<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text.slice(0, 4096));
}

/** Elements of a whole HTML page that hold no text of the ad: its head and its furniture (navigation, site header and footer). */
export const PAGE_FURNITURE = ["head", "nav", "header", "footer", "noscript", "template", "svg", "iframe"] as const;
const FURNITURE_CLOSE = new RegExp(`</(?:${PAGE_FURNITURE.join("|")})(?![a-zA-Z0-9-])`, "i");

/** An element that closes: from its start tag (`from`), just past that tag (`open`), to just past its closing tag (`end`). */
export interface ElementSpan {
  from: number;
  open: number;
  end: number;
}

/**
 * The elements named `names` that close, in the order their closing tags come. Same-name
 * elements nest (a stack per name pairs the tags); script and style hold text, so each of their
 * start tags pairs with the first closing tag after it. One scan of the text: linear in its length.
 */
export function closedElements(text: string, names: readonly string[]): ElementSpan[] {
  // Per name, the start tags not yet closed, two numbers each (from, just past): no object per tag.
  const stacks = new Map<string, number[]>();
  const spans: ElementSpan[] = [];
  forEachTag(text, new RegExp(`<(/?)(${names.join("|")})(?![a-zA-Z0-9-])`, "gi"), (from, to, m) => {
    const name = (m[2] as string).toLowerCase();
    let open = stacks.get(name);
    if (!open) stacks.set(name, (open = []));
    if (m[1] !== "/") {
      open.push(from, to);
    } else if (name === "script" || name === "style") {
      for (let k = 0; k < open.length; k += 2) spans.push({ from: open[k] as number, open: open[k + 1] as number, end: to });
      open.length = 0;
    } else if (open.length > 0) {
      const after = open.pop() as number;
      spans.push({ from: open.pop() as number, open: after, end: to });
    }
    return to;
  });
  return spans;
}

// In a whole page, the head and the page furniture are blanked like script bodies (outermost
// elements only; one inside another goes with it). One that never closes keeps its content, as
// a script does.
function blankPageFurniture(text: string): string {
  // Without a closing tag of furniture nothing is blanked here: one scan says so.
  if (!isHtmlDocument(text) || !FURNITURE_CLOSE.test(text)) return text;
  const spans = closedElements(text, PAGE_FURNITURE).sort((a, b) => a.from - b.from);
  let out = "";
  let cursor = 0;
  for (const { from, end } of spans) {
    if (from < cursor) continue;
    out += `${text.slice(cursor, from)}\n${" ".repeat(end - from - 1)}`;
    cursor = end;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

/**
 * Script and style elements (closed ones) and comments blanked, keeping the length: page
 * furniture is found in this, so that a "</nav>" inside a script or a comment ends nothing.
 */
export function blankCode(text: string): string {
  return blankComments(blankRawText(text));
}

/** Removes a leading byte-order mark; offsets in results are into the text this returns. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Blanks HTML tags, script/style bodies, comments, entities and Markdown syntax with spaces
 * (block tags with a newline; an entity of a letter becomes the letter, see `blankEntity`), and in a whole HTML page its head, navigation, header and footer
 * (`PAGE_FURNITURE`), keeping the length: the words an ad shows stay where they are.
 * Idempotent, and linear in the text's length.
 */
export function blankMarkup(text: string): string {
  if (!/[<&*_#\\\]]/.test(text)) return text;
  // Escapes go first: removing one ("\\#") must not leave syntax for a later pass to find. Each
  // pass only turns characters into white space, which no earlier pass's syntax can start with.
  const tagged = blankTags(blankPageFurniture(blankCode(text.replace(BACKSLASH_ESCAPE, " "))));
  return blankHeadings(tagged.replace(ENTITY, blankEntity).replace(LINK_TARGET, blank).replace(EMPHASIS, blank));
}
