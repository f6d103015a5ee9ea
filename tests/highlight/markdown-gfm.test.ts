import fc from "fast-check";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/highlight/markdown-escape.js";
import { renderMarkdown } from "../../src/highlight/render-markdown.js";
import { loadDefaultModel } from "../../src/model/io.js";
import { classify } from "../../src/score/classify.js";
import { parse } from "csv-parse/sync";
import { fixture, HAS_SHARED, SHARED } from "../helpers/paths.js";

// The report's Markdown as GitHub shows it: CommonMark with the GFM extensions (autolinks,
// tables, strikethrough, task lists, footnotes), HTML left as the parser writes it.
const toHtml = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

// Tags the ad body may render to: paragraphs, the hard line breaks, the evidence marks, and
// code spans for URLs. Anything else (a link, an image, a heading, a list, a table) came from the ad.
const BODY_TAGS = /^<\/?(?:p|br ?\/?|strong|em|code|pre)>$/;

const decode = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_m, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" })[name]!);
// Line breaks and paragraphs become white space; the marks and code spans around words add none.
const textOf = (html: string) => decode(html.replace(/<\/?(?:p|pre|br ?\/?)>/g, " ").replace(/<[^>]*>/g, ""));
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

function bodyHtml(text: string): string {
  const result = classify(text, { model: loadDefaultModel() });
  const page = renderMarkdown(text, result);
  return toHtml(page.slice(page.indexOf("---\n\n") + 5));
}

function expectInert(text: string) {
  const html = bodyHtml(text);
  for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(BODY_TAGS);
  expect(squash(textOf(html))).toBe(squash(text));
}

const HOSTILE = [
  "Send your CV to http://localhost:8080/steal?c=1 today.",
  "See https://careers.example.com/jobs/123 (apply by Friday).",
  "Visit www.example.com or WWW.Example.org/roles.",
  "Autolink <http://evil.test/x> and <mailto:a@b.test>.",
  "A [link](http://evil.test) and an ![image](http://evil.test/pixel.png) and [ref][1].\n\n[1]: http://evil.test",
  "Apply at jobs@example.com or mailto:hr@example.com, xmpp:bot@chat.example.com.",
  "<script>alert(1)</script> <img src=x onerror=alert(1)> <b>bold</b> <!-- comment -->",
  "# Heading\n## Sub\nText\n===\nMore\n---\n> quote\n- item\n+ item\n* item\n1. first\n2) second\n```\ncode\n```\n~~~\nx\n~~~",
  "| a | b |\n|---|---|\n| 1 | 2 |",
  "a | b\n:-- | --:",
  "E-Commerce, (m/w/d), Owner. ~~struck~~ ~one~ **bold** __under__ *em* _em_ snake_case `code` \\escaped &amp; &#35; 5 < 6 > 4",
  "- [ ] task\n- [x] done\nFootnote[^1].\n\n[^1]: note",
  "Shape the product strategy and own the roadmap; http://x.test/roadmap?ref=strategy is the plan.",
];

describe("renderMarkdown through a GFM parser", () => {
  it.each(HOSTILE)("renders %j as its own text, with no link, image or HTML from it", (text) => {
    expectInert(text);
  });

  it("keeps the fixture ads' text and makes no links from them", () => {
    const dir = fixture("ads");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt") || f.endsWith(".md"))) expectInert(readFileSync(`${dir}/${file}`, "utf8"));
  });

  it.skipIf(!HAS_SHARED)("keeps the real ads' text and makes no links from them (../shared/jobads)", () => {
    for (const file of ["jobads.csv", "multilingual.csv"]) {
      const rows = parse(readFileSync(`${SHARED}jobads/${file}`), { columns: true }) as Array<{ description: string }>;
      for (const row of rows) expectInert(row.description);
    }
  }, 60_000);

  it("escapes nothing that Markdown would not read as syntax", () => {
    expect(escapeMarkdown("E-Commerce (m/w/d) Product Owner. 100% remote, 5+ years, a = b, snake_case, 3 < 4, AT&T", true)).toBe(
      "E-Commerce (m/w/d) Product Owner. 100% remote, 5+ years, a = b, snake_case, 3 < 4, AT&T",
    );
  });

  it("has no link or image in the title or the phrase lists either", () => {
    const text = "Own the roadmap.";
    const result = { ...classify(text, { model: loadDefaultModel(), title: "PM [x](http://evil.test) www.evil.test\n# big" }) };
    const html = toHtml(renderMarkdown(text, result));
    expect(html).not.toMatch(/<a |<img |<h1/);
    expect(textOf(html)).toContain("PM [x](http://evil.test) www.evil.test # big");
  });

  it("property: any markup-ish text renders as itself, inert", () => {
    const alphabet = [..."#*_[]()<>!`~|-+=:.@\\&;/ \n\t", "http://", "www.", "a", "b", "1", "x.io", "&amp;", "e@x.io", "roadmap", "backlog"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const html = toHtml(escapeMarkdown(text, true).replace(/\n/g, "  \n"));
        for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(BODY_TAGS);
        expect(squash(textOf(html))).toBe(squash(text));
      }),
      { numRuns: 2000 },
    );
  });
});
