import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/highlight/render-html.js";
import { renderMarkdown } from "../../src/highlight/render-markdown.js";
import { renderText } from "../../src/highlight/render-text.js";
import { displaySegments } from "../../src/highlight/segments.js";
import { isHtmlDocument, visibleText } from "../../src/highlight/visible-text.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";
import { blankMarkup } from "../../src/text/normalise.js";
import { fixture } from "../helpers/paths.js";

const PAGE = readFileSync(fixture("ads", "careers-page-po.html"), "utf8");
const model = loadDefaultModel();
const result = classify(PAGE, { model });

// Text that is in the saved page but is not the ad: code, navigation, site header and footer.
const NOT_THE_AD = ["<", "gtag", "dataLayer", "font-family", "Careers Home", "Join the team that moves", "©", "trackFooter", "Careers at Larkspur"];

describe("a saved careers page", () => {
  it("is recognised as a whole HTML document, and a pasted fragment is not", () => {
    expect(isHtmlDocument(PAGE)).toBe(true);
    expect(isHtmlDocument(readFileSync(fixture("ads", "html-pasted-po.html.txt"), "utf8"))).toBe(false);
  });

  it("shows the ad's text in the text report: no code or page furniture, entities decoded, blocks on their own lines", () => {
    const out = renderText(PAGE, result, { color: false });
    for (const s of NOT_THE_AD) expect(out).not.toContain(s);
    // Read without the evidence brackets: which words are evidence is the scorer's business.
    const plain = out.replace(/\[P[MO]:([^\]]*)\]/g, "$1");
    expect(plain).toContain("Product Owner – Shipment Tracking\n\nLarkspur Freight’s tracking team builds the tools our customers use every day.\n\nWhat you'll do\n\n");
    expect(plain).toContain("Own and order the product backlog for the tracking squad\nWrite user stories with clear acceptance criteria & refine them");
    expect(plain).toContain("a Scrum team — R&D or logistics a plus.\n────");
    expect(out).toContain("[PO:product backlog]");
  });

  it("shows the same text in the Markdown and HTML reports", () => {
    const md = renderMarkdown(PAGE, result);
    const html = renderHtml(PAGE, result);
    const body = html.slice(html.indexOf('<div class="ad" id="ad">'));
    for (const s of NOT_THE_AD.slice(1)) {
      expect(md).not.toContain(s);
      expect(body).not.toContain(s);
    }
    expect(md).toContain("Own and order the *product backlog* for the tracking squad");
    expect(body).toContain('Own and order the <mark class="po"');
    expect(body).toContain("Larkspur Freight’s tracking team");
  });

  it("scores only the ad: words in the navigation, header and footer are not evidence", () => {
    expect(result.label).toBe("product-owner-leaning");
    for (const h of result.highlights) {
      expect(PAGE.slice(h.start, h.end)).toBe(h.text);
      expect(PAGE.lastIndexOf("<main>", h.start)).toBeGreaterThan(0);
      expect(PAGE.indexOf("</main>", h.start)).toBeGreaterThan(h.end);
    }
  });

  it("keeps every highlight exact: its offsets are into the page, and the report shows its words", () => {
    const visible = visibleText(PAGE);
    const shown = displaySegments(PAGE, result.highlights).filter((s) => s.highlight);
    expect(shown).toHaveLength(result.highlights.length);
    for (const { text, highlight } of shown) {
      expect(text).toBe(highlight!.text);
      expect(visible.text.slice(visible.offsets[highlight!.start], visible.offsets[highlight!.end])).toBe(highlight!.text);
    }
  });

  it("maps every offset of the page into its visible text, in order", () => {
    const { text, offsets } = visibleText(PAGE);
    expect(offsets).toHaveLength(PAGE.length + 1);
    expect(offsets[PAGE.length]).toBe(text.length);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]! >= offsets[i - 1]!).toBe(true);
  });
});

describe("page furniture in blankMarkup", () => {
  const page = (body: string) => `<!DOCTYPE html><html><body>${body}</body></html>`;

  it.each([
    ["navigation", page("<nav>Our strategy</nav><p>Own the backlog</p>"), "Own the backlog", "strategy"],
    ["nested headers", page("<header><header>vision</header>roadmap</header><p>Own the backlog</p>"), "Own the backlog", "roadmap"],
    ["a </nav> inside a script", page("<nav><script>x='</nav>'</script>strategy</nav><p>Own the backlog</p>"), "Own the backlog", "strategy"],
    ["a footer in a comment", page("<!-- <footer> --><p>Own the backlog</p>"), "Own the backlog", "footer"],
  ])("blanks %s in a whole page", (_name, text, kept, dropped) => {
    const blanked = blankMarkup(text);
    expect(blanked).toContain(kept);
    expect(blanked).not.toContain(dropped);
    expect(blanked).toHaveLength(text.length);
    expect(blankMarkup(blanked)).toBe(blanked);
  });

  it("keeps the content of a header that never closes, and of furniture in a fragment", () => {
    expect(blankMarkup(page("<header>Own the backlog"))).toContain("Own the backlog");
    expect(blankMarkup("<nav>Own the backlog</nav>")).toContain("Own the backlog");
  });

  it("leaves a fragment's report as it was: the source, escaped", () => {
    const text = "<p>Own the backlog</p> <script>alert(1)</script>";
    const segments = displaySegments(text, classify(text, { model }).highlights);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });
});
