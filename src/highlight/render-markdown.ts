import type { Classification } from "../score/result.js";
import { confidenceLine, describeLabel, flipLine, otherRoleLine, segmentText } from "./segments.js";

// Characters Markdown would read as syntax; escaped so the ad renders as the text it is.
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, "\\$1");
}

// Emphasis cannot span lines in Markdown, so each line of a span is marked separately.
function mark(text: string, open: string, close: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? line : `${open}${escapeMarkdown(line)}${close}`))
    .join("\n");
}

/**
 * A Markdown report for tickets: label, confidence and a legend, then the ad with product
 * manager evidence in **bold** and product owner evidence in *italics*, line breaks kept.
 */
export function renderMarkdown(text: string, result: Classification): string {
  const body = segmentText(text, result.highlights)
    .map(({ text: part, highlight }) => {
      if (!highlight) return escapeMarkdown(part);
      return highlight.leaning === "product-manager" ? mark(part, "**", "**") : mark(part, "*", "*");
    })
    .join("")
    .replace(/\n/g, "  \n");
  const title = result.title
    ? `- **Title:** ${escapeMarkdown(result.title.text)}${result.titleMismatch ? " — ⚠ title mismatch: the duties lean the other way" : ""}\n`
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
