import type { Classification } from "../score/result.js";
import { escapeMarkdown } from "./markdown-escape.js";
import { confidenceLine, describeLabel, displaySegments, flipLine, otherRoleLine } from "./segments.js";

// Emphasis cannot span lines in Markdown, so each line of a span is marked separately; white
// space at a line's end stays outside the marks (a mark must touch its text).
function mark(text: string, open: string, close: string): string {
  return text
    .split("\n")
    .map((line) => {
      const core = line.trim();
      if (core === "") return line;
      // A highlight starts with a word, so white space before a line's text starts the line: dropped, as escapeMarkdown does.
      const trail = line.slice(line.trimEnd().length);
      return `${open}${escapeMarkdown(core)}${close}${trail}`;
    })
    .join("\n");
}

/**
 * A Markdown report for tickets: label, confidence and a legend, then the ad with product
 * manager evidence in **bold** and product owner evidence in *italics*, line breaks kept.
 */
export function renderMarkdown(text: string, result: Classification): string {
  let previous = "\n";
  const body = displaySegments(text, result.highlights)
    .map(({ text: part, highlight }) => {
      // Block syntax is only read at the start of a line, so each segment is told whether it starts one.
      const atLineStart = previous.endsWith("\n");
      previous = part;
      if (!highlight) return escapeMarkdown(part, atLineStart);
      return highlight.leaning === "product-manager" ? mark(part, "**", "**") : mark(part, "*", "*");
    })
    .join("")
    .replace(/\n/g, "  \n");
  const title = result.title
    ? `- **Title:** ${escapeMarkdown(result.title.text.replace(/\s+/g, " "))}${result.titleMismatch ? " — ⚠ title mismatch: the duties lean the other way" : ""}\n`
    : "";
  const top = (side: "productManager" | "productOwner") =>
    result.topPhrases[side].map((p) => `${escapeMarkdown(p.phrase)} (${p.weight.toFixed(2)})`).join(", ") || "none";
  const otherRole = otherRoleLine(result);
  return [
    `### pmpo: ${result.label} (${describeLabel(result.label)})\n\n`,
    `**${escapeMarkdown(result.summary)}**\n\n`,
    otherRole ? `- ${escapeMarkdown(otherRole)}\n` : "",
    `- ${escapeMarkdown(confidenceLine(result))}\n`,
    `- ${escapeMarkdown(flipLine(result))}\n`,
    title,
    `- **Top product manager phrases:** ${top("productManager")}\n`,
    `- **Top product owner phrases:** ${top("productOwner")}\n`,
    `- **Model:** ${result.model.name} ${result.model.version}\n\n`,
    `Legend: **bold** = product manager evidence, *italics* = product owner evidence\n\n`,
    "---\n\n",
    body,
    "\n",
  ].join("");
}
