import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml } from "../../src/highlight/render-html.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";
import type { Classification } from "../../src/score/result.js";
import { makeResult as makeBaseResult, type Side } from "../helpers/results.js";

// The figures this file's assertions read; each test may override them.
const FIGURES: Partial<Classification> = {
  topPhrases: {
    productManager: [{ phrase: "roadmap", term: "roadmap", count: 2, weight: 3 }],
    productOwner: [{ phrase: "backlog", term: "backlog", count: 1, weight: 1.5 }],
  },
};

function makeResult(text: string, spans: Array<[string, Side]>, extra: Partial<Classification> = {}): Classification {
  return makeBaseResult(text, spans, { ...FIGURES, ...extra });
}

/** The real tags of a page (escaped text has no "<", so this sees markup only). */
function tags(html: string): Array<{ name: string; attrs: string }> {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>/g)].map((m) => ({ name: (m[1] as string).toLowerCase(), attrs: m[2] as string }));
}

/** The marks of a page, as [class, inner HTML]. */
function marks(html: string): Array<[string, string]> {
  return [...html.matchAll(/<mark class="(pm|po)"[^>]*>([\s\S]*?)<\/mark>/g)].map((m) => [m[1] as string, m[2] as string]);
}

const HOSTILE = `Own the roadmap & <b>vision</b> for "Payments" — it's <script>alert("x")</script> then groom the backlog <img src=x onerror="alert(1)"> & 'refine' stories.`;

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
  });

  it("escapes an ampersand that already looks like an entity", () => {
    expect(escapeHtml("&amp; &nbsp; &#39;")).toBe("&amp;amp; &amp;nbsp; &amp;#39;");
  });

  it("leaves other text alone", () => {
    expect(escapeHtml("Product Owner – Rotterdam, 40h (hybrid) ✓")).toBe("Product Owner – Rotterdam, 40h (hybrid) ✓");
  });
});

describe("renderHtml", () => {
  const result = makeResult(HOSTILE, [
    ["roadmap & <b>vision</b>", "product-manager"],
    ['"Payments"', "product-manager"],
    ["backlog", "product-owner"],
    ["'refine'", "product-owner"],
  ]);
  const html = renderHtml(HOSTILE, result, `<title>"pmpo" & 'co'</title>`);

  it("is a standalone page with a Content-Security-Policy that allows only inline style", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("escapes <, >, &, and quotes in the ad text", () => {
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("it&#39;s");
    expect(html).toContain("&amp; &#39;");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('onerror="');
  });

  it("escapes the page title", () => {
    expect(html).toContain("<title>&lt;title&gt;&quot;pmpo&quot; &amp; &#39;co&#39;&lt;/title&gt;</title>");
    expect(renderHtml("ad", makeResult("ad", []))).toContain("<title>pmpo report</title>");
  });

  it("escapes the job title and flags a mismatch", () => {
    const titled = makeResult("Own the backlog.", [["backlog", "product-owner"]], {
      label: "product-owner-leaning",
      title: { text: `Product <em>Manager</em> & "Lead"`, leaning: "product-manager" },
      titleMismatch: true,
    });
    const page = renderHtml("Own the backlog.", titled);
    expect(page).toContain("Title: Product &lt;em&gt;Manager&lt;/em&gt; &amp; &quot;Lead&quot;");
    expect(page).toContain("title mismatch");
    expect(renderHtml("Own the backlog.", { ...titled, titleMismatch: false })).not.toContain("title mismatch");
    expect(renderHtml("Own the backlog.", { ...titled, title: null, titleMismatch: false })).not.toContain("Title:");
  });

  it("marks each highlight, escaped, with its side's class, in order", () => {
    expect(marks(html)).toEqual([
      ["pm", "roadmap &amp; &lt;b&gt;vision&lt;/b&gt;"],
      ["pm", "&quot;Payments&quot;"],
      ["po", "backlog"],
      ["po", "&#39;refine&#39;"],
    ]);
    expect(html.match(/<mark\b/g)).toHaveLength(result.highlights.length);
    expect(html).toMatch(/<mark class="po" title="product-owner · weight 1.5 · responsibilities" data-weight="1.5">backlog<\/mark>/);
  });

  it("keeps every character of the ad, in order, inside #ad", () => {
    const ad = /<div class="ad" id="ad">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";
    const unescaped = ad
      .replace(/<\/?mark[^>]*>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
    expect(unescaped).toBe(HOSTILE);
  });

  it("has no script, no event handler and no external URL anywhere", () => {
    const all = tags(html);
    expect(all.length).toBeGreaterThan(10);
    const names = new Set(all.map((t) => t.name));
    for (const banned of ["script", "img", "iframe", "object", "embed", "link", "a", "form", "base", "svg", "video", "audio", "source"]) {
      expect(names.has(banned), banned).toBe(false);
    }
    for (const t of all) {
      expect(t.attrs, `<${t.name}${t.attrs}>`).not.toMatch(/\s(?:on[a-z]+|src|srcset|href|action|formaction|xlink:href|background)\s*=/i);
    }
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
  });

  it("shows the label with its data-label, the score bar and both legend entries", () => {
    expect(html).toContain('<h1 id="label" data-label="product-manager-leaning">product-manager-leaning: leans product manager</h1>');
    expect(html).toContain("product manager evidence</span>");
    expect(html).toContain("product owner evidence</span>");
    expect(html).toContain('aria-label="product manager 50%, product owner 50%"');
    expect(html).toContain("Confidence 0.61");
    expect(html).toContain("model default 1.0.0");
  });

  it("lists the top phrases, escaped, and says none when a side has none", () => {
    expect(html).toContain("<li>roadmap <small>(3.00, ×2)</small></li>");
    expect(html).toContain("<li>backlog <small>(1.50)</small></li>");
    const odd = makeResult("x", [], {
      topPhrases: { productManager: [{ phrase: "<b>go-to-market</b>", term: "gtm", count: 1, weight: 2 }], productOwner: [] },
    });
    const page = renderHtml("x", odd);
    expect(page).toContain("<li>&lt;b&gt;go-to-market&lt;/b&gt; <small>(2.00)</small></li>");
    expect(page).toContain("<h2>Top product owner phrases</h2><p>none</p>");
  });

  it("renders an ad without evidence as plain escaped text", () => {
    const page = renderHtml("a < b", makeResult("a < b", [], { label: "insufficient-evidence" }));
    expect(page).not.toContain("<mark");
    expect(page).toContain('<div class="ad" id="ad">a &lt; b</div>');
    expect(page).toContain('data-label="insufficient-evidence"');
  });
});

describe("renderHtml on the HTML-pasted fixture, classified with the shipped model", () => {
  const text = readFileSync(new URL("../../fixtures/ads/html-pasted-po.html.txt", import.meta.url), "utf8");
  const result = classify(text, { model: loadDefaultModel() });
  const html = renderHtml(text, result);

  it("shows the ad's markup as text and never as tags", () => {
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(tags(html).some((t) => /\son[a-z]+\s*=/i.test(t.attrs))).toBe(false);
  });

  it("has one mark per highlight, with the highlight's text", () => {
    expect(result.highlights.length).toBeGreaterThan(0);
    const found = marks(html);
    expect(found).toHaveLength(result.highlights.length);
    expect(found.map(([, inner]) => inner)).toEqual(result.highlights.map((h) => escapeHtml(h.text)));
    expect(found.map(([cls]) => cls)).toEqual(result.highlights.map((h) => (h.leaning === "product-manager" ? "pm" : "po")));
  });
});
