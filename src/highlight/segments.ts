import type { Highlight } from "../score/result.js";

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
