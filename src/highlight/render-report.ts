import type { Classification } from "../score/result.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";

/** The reports of one ad that read the same wherever they are written: no terminal, no colour. */
export type ReportFormat = "json" | "markdown" | "html";

/**
 * One ad's report as `pmpo classify --format FORMAT` prints it: the JSON document (the result,
 * indented two spaces, and a line break), the Markdown report or the standalone HTML page. Pure,
 * so a worker thread can write it and hand back only the string.
 */
export function renderReport(text: string, result: Classification, format: ReportFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(text, result);
    case "html":
      return renderHtml(text, result);
  }
}
