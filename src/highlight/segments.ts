import type { Highlight } from "../score/result.js";
import { isHtmlDocument, visibleText } from "./visible-text.js";

/** A stretch of the ad: plain text, or a highlight. Segments cover the text in order. */
export type Segment = { text: string; highlight: Highlight | null };

/** Cuts the text into plain and highlighted segments; highlights must be in order and disjoint. */
export function segmentText(text: string, highlights: readonly Highlight[]): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const h of highlights) {
    if (h.start < cursor || h.end > text.length) continue;
    if (h.start > cursor) segments.push({ text: text.slice(cursor, h.start), highlight: null });
    segments.push({ text: text.slice(h.start, h.end), highlight: h });
    cursor = h.end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), highlight: null });
  return segments;
}

/**
 * The segments a report shows: `segmentText`'s, except that for a whole HTML page (see
 * `isHtmlDocument`) each segment is the text a reader sees of it (no scripts, navigation,
 * header or footer; entities decoded; block elements on their own lines), and a highlight
 * that falls in what is not shown is left out. Highlights keep their offsets into the input.
 */
export function displaySegments(text: string, highlights: readonly Highlight[]): Segment[] {
  const segments = segmentText(text, highlights);
  if (!isHtmlDocument(text)) return segments;
  const visible = visibleText(text);
  const shown: Segment[] = [];
  let cursor = 0;
  for (const segment of segments) {
    const from = visible.offsets[cursor] as number;
    cursor += segment.text.length;
    const part = visible.text.slice(from, visible.offsets[cursor]);
    if (part !== "") shown.push({ text: part, highlight: segment.highlight });
  }
  return shown;
}

/** Human words for a label, as the renderers print it. */
export function describeLabel(label: string): string {
  switch (label) {
    case "product-manager-leaning":
      return "leans product manager";
    case "product-owner-leaning":
      return "leans product owner";
    case "hybrid":
      return "hybrid of product manager and product owner";
    default:
      return "insufficient evidence to judge";
  }
}

/** A percentage with no decimals, for people. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
