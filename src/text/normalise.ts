/**
 * Markup handling that never moves a character: every function here returns a string of
 * exactly the input's length, so offsets found in the result are offsets into the input.
 */

const BLOCK_TAGS = new Set([
  "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
  "table", "section", "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd",
]);

// Tags are bounded in length so a stray "<" in a huge ad costs a bounded scan.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,20})\b[^<>]{0,2000}>|<!--[\s\S]{0,20000}?-->/g;
const RAW_TEXT_ELEMENT = /<(script|style)\b[^<>]{0,2000}>[\s\S]{0,200000}?<\/\1\s*>/gi;
const ENTITY = /&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g;
// Markdown: emphasis runs, heading hashes at line start, backslash escapes, link targets.
const EMPHASIS = /\*\*+|__+/g;
const HEADING_HASHES = /^[ \t]{0,3}#{1,6}(?=[ \t])/gm;
const BACKSLASH_ESCAPE = /\\(?=[!-/:-@[\]-`{-~])/g;
const LINK_TARGET = /\]\((?:[^()\s]{0,2000})\)/g;

function blank(match: string): string {
  return " ".repeat(match.length);
}

// A block tag ends a line of text, so it becomes a newline followed by spaces.
function blankTag(match: string, _slash: string | undefined, name: string | undefined): string {
  if (name !== undefined && BLOCK_TAGS.has(name.toLowerCase())) {
    return `\n${" ".repeat(match.length - 1)}`;
  }
  return blank(match);
}

/** Removes a leading byte-order mark; offsets in results are into the text this returns. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Blanks HTML tags, script/style bodies, entities and Markdown syntax with spaces (block tags
 * with a newline), keeping the length: the words an ad shows stay where they are. Idempotent.
 */
export function blankMarkup(text: string): string {
  if (!/[<&*_#\\\]]/.test(text)) return text;
  // Escapes go first: removing one ("\\#") must not leave syntax for a later pass to find.
  return text
    .replace(BACKSLASH_ESCAPE, " ")
    .replace(RAW_TEXT_ELEMENT, (m) => `\n${" ".repeat(m.length - 1)}`)
    .replace(TAG, blankTag)
    .replace(ENTITY, blank)
    .replace(LINK_TARGET, blank)
    .replace(EMPHASIS, blank)
    .replace(HEADING_HASHES, blank);
}
