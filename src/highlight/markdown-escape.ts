/**
 * Ad text as GitHub-flavoured Markdown that renders to the same text and links nothing:
 * characters are escaped only where Markdown would read them as syntax, and anything GFM would
 * turn into a link (a URL, a `www.` host, an e-mail address) goes in a code span, which every
 * Markdown parser shows as it is. One pass over the text: linear in its length.
 */

const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => c === " " || c === "\t";

// Where a link GFM would make starts: a scheme, or a www. host. No word boundary is asked
// for: GFM links "www." after "_" and a scheme after letters, and a code span too many is harmless.
const LINK_START = /(?:https?:|ftp:|mailto:|xmpp:|www\.)/gi;
// Characters a URL or an e-mail address runs over; white space and angle brackets end it.
const URL_CHAR = /[^\s<>]/;
const TRAILING = new Set([".", ",", ":", ";", "!", "?", "*", "_", "~", "'", '"']);
const EMAIL_LOCAL = /[\p{L}\p{N}._+-]/u;
const EMAIL_DOMAIN = /[\p{L}\p{N}._-]/u;

/** `[start, end)` ranges of `text` that GFM would autolink, in order and disjoint. */
function linkRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let covered = 0;
  for (const match of text.matchAll(LINK_START)) {
    // A start inside the URL before it ("http://www.") is part of that URL: scanned once.
    if (match.index < covered) continue;
    let end = match.index + match[0].length;
    while (end < text.length && URL_CHAR.test(text[end] as string)) end++;
    // Trailing punctuation ends a sentence, not the URL (as GFM reads it), and an unbalanced ")" closes a bracket around it.
    let open = 0;
    for (let i = match.index; i < end; i++) open += text[i] === "(" ? 1 : text[i] === ")" ? -1 : 0;
    for (;;) {
      const last = text[end - 1] as string;
      if (end - match.index > match[0].length && (TRAILING.has(last) || (last === ")" && open < 0))) {
        if (last === ")") open++;
        end--;
      } else break;
    }
    ranges.push([match.index, end]);
    covered = end;
  }
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && EMAIL_LOCAL.test(text[start - 1] as string)) start--;
    let end = at + 1;
    while (end < text.length && EMAIL_DOMAIN.test(text[end] as string)) end++;
    if (start < at && text.slice(at + 1, end).includes(".")) ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

// A code span shows its content literally; its fence is one backtick longer than any run inside.
function codeSpan(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

// Characters that open block syntax as the first of a line: headings, lists, block quotes,
// setext underlines and table delimiter rows, fenced code.
const LINE_START_SYNTAX = new Set(["#", "-", "+", "=", ">", "|", ":", "~"]);

function escapePlain(text: string, atLineStart: boolean): string {
  let out = "";
  let lineStart = atLineStart;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\n") {
      lineStart = true;
      out += c;
      continue;
    }
    // Indentation is dropped: a paragraph ignores it, and four columns of it after a blank line
    // would start a code block, showing the escapes instead of the text.
    if (lineStart && isSpace(c)) continue;
    if (lineStart) {
      lineStart = false;
      if (LINE_START_SYNTAX.has(c)) {
        out += `\\${c}`;
        continue;
      }
      // An ordered list marker: up to 9 digits, then . or ).
      const marker = /^\d{1,9}[.)]/.exec(text.slice(i, i + 11));
      if (marker) {
        out += `${marker[0].slice(0, -1)}\\${marker[0].slice(-1)}`;
        i += marker[0].length - 1;
        continue;
      }
    }
    switch (c) {
      case "\\":
      case "`":
      case "*":
      case "[":
      case "]":
      case "~":
      case "@":
        out += `\\${c}`;
        break;
      case "_":
        // Inside a word (snake_case) an underscore is never emphasis.
        out += isAlnum(text[i - 1]) && isAlnum(text[i + 1]) ? c : "\\_";
        break;
      case "<":
        // Only a letter, /, ! or ? after it opens HTML or an autolink ("<5 years" is text).
        out += /[A-Za-z/!?]/.test(text[i + 1] ?? "a") ? "\\<" : c;
        break;
      case "&":
        // Only an entity reference ("&amp;", "&#38;") would be decoded.
        out += /^&#?[A-Za-z0-9]{1,32};/.test(text.slice(i, i + 35)) ? "\\&" : c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * Escapes ad text for GitHub-flavoured Markdown: the result renders to `text` itself, with no
 * link, image, HTML, emphasis, heading or list made from it; white space at the start of a line
 * is dropped. `atLineStart` says whether `text` begins a line of the output (block syntax is only
 * read there).
 */
export function escapeMarkdown(text: string, atLineStart = false): string {
  let out = "";
  let cursor = 0;
  for (const [start, end] of linkRanges(text)) {
    out += escapePlain(text.slice(cursor, start), cursor === 0 ? atLineStart : text[cursor - 1] === "\n");
    out += codeSpan(text.slice(start, end));
    cursor = end;
  }
  return out + escapePlain(text.slice(cursor), cursor === 0 ? atLineStart : text[cursor - 1] === "\n");
}
