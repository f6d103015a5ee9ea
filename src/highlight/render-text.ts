import type { Classification, TopPhrase } from "../score/result.js";
import { confidenceLine, describeLabel, displaySegments, flipLine, otherRoleLine } from "./segments.js";
import { terminalSafe } from "./terminal-safe.js";

/** Options of `renderText`. */
export interface TextRenderOptions {
  /** Use ANSI colours (the CLI decides from the terminal, NO_COLOR and FORCE_COLOR). */
  color: boolean;
}

const ANSI = {
  manager: "\u001b[1;34m", // bold blue
  owner: "\u001b[1;33m", // bold yellow
  dim: "\u001b[2m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
};

function listPhrases(phrases: readonly TopPhrase[]): string {
  if (phrases.length === 0) return "  (none)\n";
  return phrases.map((p) => `  ${p.weight.toFixed(2).padStart(6)}  ${terminalSafe(p.phrase)}${p.count > 1 ? ` (×${p.count})` : ""}\n`).join("");
}

/**
 * The terminal report: label, duty summary, confidence and counterfactual, the ad with its evidence marked (colours, or
 * [PM:…] / [PO:…] brackets without colour), then the top phrases on each side.
 */
export function renderText(text: string, result: Classification, options: TextRenderOptions): string {
  const paint = (code: string, s: string) => (options.color ? `${code}${s}${ANSI.reset}` : s);
  // Each segment is made safe on its own, so highlights stay exactly where the scorer put them.
  const body = displaySegments(text, result.highlights)
    .map(({ text: raw, highlight }) => {
      const part = terminalSafe(raw);
      if (!highlight) return part;
      if (highlight.leaning === "product-manager") return options.color ? paint(ANSI.manager, part) : `[PM:${part}]`;
      return options.color ? paint(ANSI.owner, part) : `[PO:${part}]`;
    })
    .join("");
  const title = result.title
    ? `Title: ${terminalSafe(result.title.text)} (names ${result.title.leaning.replace("-", " ")})${result.titleMismatch ? " — MISMATCH: the duties lean the other way" : ""}\n`
    : "";
  const legend = options.color
    ? `Legend: ${paint(ANSI.manager, "product manager")}  ${paint(ANSI.owner, "product owner")}\n`
    : "Legend: [PM:…] product manager  [PO:…] product owner\n";
  const otherRole = otherRoleLine(result);
  return [
    `${paint(ANSI.bold, result.label)}: ${describeLabel(result.label)}\n`,
    `${result.summary}\n`,
    // These lines quote phrases of the ad, so they are made safe too.
    otherRole ? `${terminalSafe(otherRole)}\n` : "",
    `${confidenceLine(result)}\n`,
    `${terminalSafe(flipLine(result))}\n`,
    title,
    `Model: ${terminalSafe(result.model.name)} ${terminalSafe(result.model.version)}\n`,
    "\n",
    legend,
    paint(ANSI.dim, "────────────────────────────────────────") + "\n",
    body.endsWith("\n") ? body : `${body}\n`,
    paint(ANSI.dim, "────────────────────────────────────────") + "\n",
    "Top product manager phrases:\n",
    listPhrases(result.topPhrases.productManager),
    "Top product owner phrases:\n",
    listPhrases(result.topPhrases.productOwner),
  ].join("");
}
