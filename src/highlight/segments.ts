import type { Classification } from "../score/result.js";
import { MAX_FLIP_SIZE } from "../score/duties.js";
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

/** What a confidence is confidence of, in words: "that it leans product manager". */
export function confidenceSubject(result: Classification): string {
  if (result.label !== "insufficient-evidence") return `that it ${describeLabel(result.label).replace(/^hybrid/, "is a hybrid")}`;
  if (result.otherRole) return `that it is not a product role (it reads as ${result.otherRole.name})`;
  return "that it states too few product duties to judge";
}

/** The confidence line of every report; without any evidence there is no share to give. */
export function confidenceLine(result: Classification): string {
  const share =
    result.evidence.total > 0
      ? `product manager share ${percent(result.pmShare)} · evidence PM ${result.evidence.productManager.toFixed(2)} / PO ${result.evidence.productOwner.toFixed(2)}`
      : "no product evidence (no share to give)";
  return `Confidence ${result.confidence.toFixed(2)} ${confidenceSubject(result)} · ${share}`;
}

/** The other role the duties read as, with its strongest phrases, or null. */
export function otherRoleLine(result: Classification): string | null {
  if (!result.otherRole) return null;
  const phrases = [...new Set(result.otherRole.evidence.map((e) => e.text.replace(/\s+/g, " ").toLowerCase()))].slice(0, 5);
  return `Reads as another role: ${result.otherRole.name}${phrases.length ? ` (${phrases.map((p) => `"${p}"`).join(", ")})` : ""}`;
}

/** The exact counterfactual in words: which duties (and phrases) would change the label. */
export function flipLine(result: Classification): string {
  if (!result.flips) return `No set of up to ${MAX_FLIP_SIZE} duties changes the label.`;
  const n = result.flips.duties.length;
  const becomes = result.flips.otherRole ? `another role (${result.flips.otherRole})` : result.flips.label;
  const phrases = result.flips.phrases.slice(0, 6).map((p) => `"${p}"`).join(", ");
  return `Without ${n === 1 ? "this duty" : `these ${n} duties`}${phrases ? ` (${phrases}${result.flips.phrases.length > 6 ? ", …" : ""})` : ""} it would read as ${becomes}.`;
}
