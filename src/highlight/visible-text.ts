/**
 * What a browser would show of a whole HTML page (a careers page saved from a browser), with a
 * map from offsets in the page to offsets in that text, so that highlights found in the page
 * can be shown on it. Reports show this instead of the page's source.
 */

import { blankCode, closedElements, PAGE_FURNITURE } from "../text/normalise.js";
import { letterOfEntityName } from "../text/entities.js";

export { isHtmlDocument } from "../text/normalise.js";

// Elements whose content is not the ad's text: code, and the page's head and furniture. The
// same that blankMarkup blanks in a page, so what a report shows is what was scored.
const HIDDEN = new Set<string>(["script", "style", ...PAGE_FURNITURE]);
// Elements that start a line of their own.
const BLOCK = new Set([
  "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "section", "article",
  "main", "aside", "blockquote", "pre", "hr", "dt", "dd", "dl", "form", "figure", "figcaption", "body", "html",
]);
const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", rsquo: "’", lsquo: "‘", rdquo: "”", ldquo: "“",
  ndash: "–", mdash: "—", hellip: "…", bull: "•", middot: "·", euro: "€", pound: "£", copy: "©", reg: "®", trade: "™",
  laquo: "«", raquo: "»", auml: "ä", ouml: "ö", uuml: "ü", Auml: "Ä", Ouml: "Ö", Uuml: "Ü", szlig: "ß", eacute: "é",
};
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,20})(?![a-zA-Z0-9-])[^>]{0,2000}>/y;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/y;

function decodeEntity(match: RegExpExecArray): string | undefined {
  const code = match[1] !== undefined ? Number(match[1]) : match[2] !== undefined ? Number.parseInt(match[2], 16) : undefined;
  if (code !== undefined) return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : undefined;
  return ENTITIES[match[3] as string] ?? letterOfEntityName(match[3] as string);
}

/** A page's visible text and, for every offset `i` of the page (0..length), `offsets[i]`: where it falls in that text. */
export interface VisibleText {
  text: string;
  offsets: Int32Array;
}

/**
 * The text of an HTML page as a reader sees it: script, style, head, nav, header and footer
 * dropped with tags and comments, entities decoded, white space collapsed, block elements on
 * lines of their own (at most one blank line between). Linear in the page's length.
 */
export function visibleText(page: string): VisibleText {
  const offsets = new Int32Array(page.length + 1);
  let out = "";
  // What separates the last character written from the next: nothing, a space, a line break or a blank line.
  let pending = 0;
  const SPACE = 1;
  const LINE = 2;
  const PARAGRAPH = 3;
  const skip = (from: number, to: number, separation: number) => {
    for (let k = from; k < to; k++) offsets[k] = out.length;
    pending = Math.max(pending, separation);
  };
  const write = (at: number, length: number, s: string) => {
    if (out.length > 0 && pending > 0) out += pending === SPACE ? " " : pending === LINE ? "\n" : "\n\n";
    pending = 0;
    for (let k = at; k < at + length; k++) offsets[k] = out.length;
    out += s;
  };
  // Elements are paired as blankMarkup pairs them: furniture in the page with its code blanked.
  // Keyed by the offset just past the start tag; computed on the first hidden element met.
  let ends: Map<number, number> | undefined;
  const elementEnd = (to: number) => {
    if (!ends) {
      ends = new Map();
      for (const span of closedElements(page, ["script", "style"])) ends.set(span.open, span.end);
      for (const span of closedElements(blankCode(page), PAGE_FURNITURE)) ends.set(span.open, span.end);
    }
    return ends.get(to) ?? -1;
  };
  let i = 0;
  while (i < page.length) {
    const c = page[i] as string;
    if (c === "<") {
      if (page.startsWith("<!--", i)) {
        const close = page.indexOf("-->", i + 4);
        const end = close < 0 ? page.length : close + 3;
        skip(i, end, 0);
        i = end;
        continue;
      }
      if (page[i + 1] === "!" || page[i + 1] === "?") {
        const close = page.indexOf(">", i);
        const end = close < 0 ? page.length : close + 1;
        skip(i, end, 0);
        i = end;
        continue;
      }
      TAG.lastIndex = i;
      const tag = TAG.exec(page);
      if (tag) {
        const name = (tag[2] as string).toLowerCase();
        const end = i + tag[0].length;
        const elementStop = tag[1] !== "/" && HIDDEN.has(name) ? elementEnd(end) : -1;
        if (elementStop >= 0) {
          skip(i, elementStop, LINE);
          i = elementStop;
        } else {
          skip(i, end, BLOCK.has(name) ? (name === "p" || name.startsWith("h") ? PARAGRAPH : LINE) : 0);
          i = end;
        }
        continue;
      }
    } else if (c === "&") {
      ENTITY.lastIndex = i;
      const entity = ENTITY.exec(page);
      const decoded = entity ? decodeEntity(entity) : undefined;
      if (entity && decoded !== undefined) {
        if (decoded === " ") skip(i, i + entity[0].length, SPACE);
        else write(i, entity[0].length, decoded);
        i += entity[0].length;
        continue;
      }
    } else if (/\s/.test(c)) {
      skip(i, i + 1, SPACE);
      i++;
      continue;
    }
    write(i, 1, c);
    i++;
  }
  offsets[page.length] = out.length;
  return { text: out, offsets };
}
