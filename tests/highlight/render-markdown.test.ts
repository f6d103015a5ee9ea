import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/highlight/render-markdown.js";
import type { Classification } from "../../src/score/result.js";
import { makeResult as makeBaseResult, type Side } from "../helpers/results.js";

// The figures this file's assertions read; each test may override them.
const FIGURES: Partial<Classification> = {
  label: "product-owner-leaning",
  confidence: 0.7024,
  pmShare: 0.1716,
  evidence: { productManager: 18.3496, productOwner: 88.6055, total: 106.9551 },
  topPhrases: {
    productManager: [{ phrase: "roadmap", term: "roadmap", count: 1, weight: 2.5 }],
    productOwner: [
      { phrase: "backlog", term: "backlog", count: 2, weight: 6.4 },
      { phrase: "user stories", term: "user stori", count: 1, weight: 3.125 },
    ],
  },
};

function makeResult(text: string, spans: Array<[string, Side]>, extra: Partial<Classification> = {}): Classification {
  return makeBaseResult(text, spans, { ...FIGURES, ...extra });
}

const AD = "Own the backlog.\nWrite user stories and feed the roadmap.\n";
const RESULT = makeResult(AD, [
  ["backlog", "product-owner"],
  ["user stories", "product-owner"],
  ["roadmap", "product-manager"],
]);

describe("renderMarkdown", () => {
  const md = renderMarkdown(AD, RESULT);

  it("opens with the label heading and the summary list", () => {
    expect(md.startsWith("### pmpo: product-owner-leaning (leans product owner)\n\n")).toBe(true);
    // Read as rendered text: what is escaped is the escaping tests' business.
    const plain = md.replace(/\\(.)/g, "$1");
    expect(plain).toContain("**2 of 3 statements state a duty: 2 read as product manager.**\n\n");
    expect(plain).toContain("- Confidence 0.70 that it leans product owner · product manager share 17% · evidence PM 18.35 / PO 88.61\n");
    expect(plain).toContain("- No set of up to 5 duties changes the label.\n");
    expect(md).toContain("- **Model:** default 1.0.0\n");
  });

  it("has a legend and never uses colour codes", () => {
    expect(md).toContain("Legend: **bold** = product manager evidence, *italics* = product owner evidence\n");
    expect(md).not.toContain("\u001b");
  });

  it("lists the top phrases of each side, and none when a side has none", () => {
    expect(md).toContain("- **Top product manager phrases:** roadmap (2.50)\n");
    expect(md).toContain("- **Top product owner phrases:** backlog (6.40), user stories (3.13)\n");
    const none = renderMarkdown("x", makeResult("x", [], { topPhrases: { productManager: [], productOwner: [] } }));
    expect(none).toContain("- **Top product manager phrases:** none\n");
    expect(none).toContain("- **Top product owner phrases:** none\n");
  });

  it("puts product manager evidence in bold and product owner evidence in italics, keeping line breaks", () => {
    const body = md.slice(md.indexOf("---\n\n") + 5);
    expect(body).toBe("Own the *backlog*.  \nWrite *user stories* and feed the **roadmap**.  \n\n");
  });

  it("escapes Markdown syntax in the ad, in phrases and in the title", () => {
    const text = "# Lead [link](https://x.io) *now* - 100% _fun_ `code` <b>bold</b> | a!";
    const page = renderMarkdown(
      text,
      makeResult(text, [["[link]", "product-manager"]], {
        title: { text: "Product *Owner* #1", leaning: "product-owner" },
        topPhrases: { productManager: [{ phrase: "go-to-market (GTM)", term: "gtm", count: 1, weight: 1 }], productOwner: [] },
      }),
    );
    const body = page.slice(page.indexOf("---\n\n") + 5);
    expect(body).toBe("\\# Lead **\\[link\\]**(`https://x.io`) \\*now\\* - 100% \\_fun\\_ \\`code\\` \\<b>bold\\</b> | a!\n");
    expect(page).toContain("- **Title:** Product \\*Owner\\* #1\n");
    expect(page).toContain("go-to-market (GTM) (1.00)");
  });

  it("marks each line of a highlight that spans lines, and skips blank lines", () => {
    const text = "Own the product\n\nbacklog daily.";
    const page = renderMarkdown(text, makeResult(text, [["product\n\nbacklog", "product-owner"]]));
    const body = page.slice(page.indexOf("---\n\n") + 5);
    expect(body).toBe("Own the *product*  \n  \n*backlog* daily.\n");
  });

  it("shows the title and flags a mismatch only when there is one", () => {
    const titled = makeResult(AD, [], { title: { text: "Product Manager", leaning: "product-manager" }, titleMismatch: true });
    expect(renderMarkdown(AD, titled)).toContain("- **Title:** Product Manager — ⚠ title mismatch: the duties lean the other way\n");
    expect(renderMarkdown(AD, { ...titled, titleMismatch: false })).toContain("- **Title:** Product Manager\n");
    expect(md).not.toContain("**Title:**");
  });
});
