// The page of `pmpo serve` in Debian's headless Chromium, against a real `pmpo serve --port 0`:
// a pasted ad shows the API's highlights as marks and the report's words; hostile ads run and
// load nothing; a CSV with bad rows gives a summary and downloads that match the CLI. Skipped
// with a warning when Chromium is not at /usr/bin/chromium.
//
// UPDATE_SCREENSHOTS=1 also regenerates docs/serve-page.png.
import { mkdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confidenceLine, flipLine } from "../../src/highlight/segments.js";
import type { Classification } from "../../src/score/result.js";
import { assertBuilt, runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/paths.js";
import { fixtureText, LISTINGS, serve, stopAll, type Running } from "./helpers.js";
import { CHROMIUM, chromiumSkipReason, hasChromium, INERT_PROBE } from "../helpers/browser.js";

// Page functions run inside Chromium; the project has no DOM lib, so they see these stand-ins.
interface PageElement {
  textContent: string | null;
  className: string;
  title: string;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
  dataset: Record<string, string>;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  documentElement: { scrollWidth: number };
};
declare const window: { __pmpoProbe(): { csp: string[]; newGlobals: string[] }; innerWidth: number };

const SKIP_REASON = chromiumSkipReason("tests/serve/page-browser.test.ts");

// The hostile ad of the HTML report tests, and more ways in.
const HOSTILE = [
  `Own the roadmap & <b>vision</b> for "Payments" — it's <script>alert("x")</script> then groom the backlog <img src=x onerror="alert(1)"> & 'refine' stories.`,
  `Write user stories <svg onload=alert(2)></svg> and own the product strategy <iframe src="javascript:alert(3)"></iframe> <a href="javascript:alert(4)">roadmap</a>`,
  `</textarea><script>alert(5)</script><style>body{display:none}</style> Prioritise the backlog ${"<img src=http://example.com/x.png>"} and define KPIs`,
];

interface Seen {
  requests: string[];
  dialogs: string[];
  errors: string[];
}

describe.skipIf(!hasChromium)(`the page in headless Chromium${hasChromium ? "" : ` (${SKIP_REASON})`}`, () => {
  let browser: Browser;
  let server: Running;

  beforeAll(async () => {
    assertBuilt();
    server = await serve(["--port", "0"]);
    browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: CHROMIUM.args });
  });
  afterAll(async () => {
    await browser?.close();
    stopAll();
  });

  async function open(viewport = { width: 1000, height: 1400 }): Promise<{ context: BrowserContext; page: Page; seen: Seen }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    await context.addInitScript({ content: INERT_PROBE });
    const seen: Seen = { requests: [], dialogs: [], errors: [] };
    // Anything not for this server is recorded and refused.
    await context.route(
      (u) => u.origin !== server.url,
      (route) => route.abort(),
    );
    const page = await context.newPage();
    page.on("request", (r) => seen.requests.push(r.url()));
    page.on("dialog", (d) => {
      seen.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error") seen.errors.push(m.text());
    });
    page.on("pageerror", (e) => seen.errors.push(e.message));
    await page.goto(`${server.url}/`, { waitUntil: "load" });
    return { context, page, seen };
  }

  async function apiClassify(text: string, title?: string): Promise<Classification> {
    const res = await fetch(`${server.url}/api/classify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(title ? { text, title } : { text }) });
    return (await res.json()) as Classification;
  }

  /** Pastes an ad (as a paste does: one input event) and waits for its result to be shown. */
  async function paste(page: Page, text: string, title?: string): Promise<void> {
    if (title) await page.fill("#title", title);
    await page.fill("#ad-text", text);
    await page.waitForFunction((expected: string) => document.querySelectorAll("#ad")[0]?.textContent === expected, text);
  }

  it("shows a pasted ad's label, words and highlights exactly as the API gives them", async () => {
    const { context, page, seen } = await open();
    try {
      const text = fixtureText("ads", "po-title-strategy-duties.txt");
      await paste(page, text, "Product Owner");
      const result = await apiClassify(text, "Product Owner");
      expect(result.highlights.length).toBeGreaterThan(0);
      const marks = await page.$$eval("#ad mark", (ms: PageElement[]) => ms.map((m) => ({ text: m.textContent, cls: m.className, title: m.title, weight: m.dataset.weight })));
      expect(marks.map((m) => m.text)).toEqual(result.highlights.map((h) => h.text));
      expect(marks.map((m) => m.cls)).toEqual(result.highlights.map((h) => (h.leaning === "product-manager" ? "pm" : "po")));
      // Hovering shows the weight and the term.
      marks.forEach((m, i) => expect(m.title).toBe(`${result.highlights[i]!.leaning} · weight ${result.highlights[i]!.weight} · term ${result.highlights[i]!.term} · ${result.highlights[i]!.section}`));
      expect(await page.getAttribute("#label", "data-label")).toBe(result.label);
      expect(await page.textContent("#summary")).toBe(result.summary);
      expect(await page.textContent("#confidence")).toBe(confidenceLine(result));
      expect(await page.textContent("#flips")).toBe(flipLine(result));
      expect(result.titleMismatch).toBe(true);
      expect(await page.isVisible("#title-mismatch")).toBe(true);
      const paths = seen.requests.map((u) => new URL(u).pathname);
      expect(new Set(paths)).toEqual(new Set(["/", "/app.css", "/app.js", "/api/classify"]));
      expect(seen.errors).toEqual([]);
      expect((await page.evaluate(() => window.__pmpoProbe())).csp).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("runs nothing and loads nothing from hostile ads, and shows them as text", async () => {
    const { context, page, seen } = await open();
    try {
      for (const text of [...HOSTILE, fixtureText("ads", "html-pasted-po.html.txt")]) {
        await paste(page, text);
        expect(await page.textContent("#ad")).toBe(text);
      }
      const dom = await page.evaluate(() => ({
        scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
        inAd: document.querySelectorAll("#ad *").length,
        marksOnly: [...document.querySelectorAll("#ad *")].every((el) => el.getAttributeNames().every((a) => ["class", "title", "data-weight", "data-term"].includes(a))),
        handlers: [...document.querySelectorAll("*")].flatMap((el) => el.getAttributeNames().filter((a) => a.startsWith("on"))),
        images: document.querySelectorAll("img, iframe, svg, object, embed").length,
      }));
      expect(dom.scripts).toEqual(["/app.js"]);
      expect(dom.inAd).toBeGreaterThan(0);
      expect(dom.marksOnly).toBe(true);
      expect(dom.handlers).toEqual([]);
      expect(dom.images).toBe(0);
      expect(seen.dialogs).toEqual([]);
      expect(seen.requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
      expect(seen.errors).toEqual([]);
      const probe = await page.evaluate(() => window.__pmpoProbe());
      expect(probe.newGlobals).toEqual([]);
      expect(probe.csp).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("scores a CSV with bad rows: summary, rejects and downloads match the CLI", async () => {
    const { context, page, seen } = await open();
    try {
      await page.setInputFiles("#csv-file", LISTINGS);
      await page.waitForSelector("#csv-summary:not([hidden])");
      expect(await page.textContent("#csv-counts")).toBe("6 records read: 3 scored, 3 rejected");
      const counts = await page.$$eval("#label-counts tbody tr", (rows: PageElement[]) => Object.fromEntries(rows.map((r) => [r.dataset.label, Number(r.textContent?.replace(/\D/g, ""))])));
      const cliJsonl = runCli(["batch", LISTINGS, "--format", "jsonl"]).stdout;
      const expected: Record<string, number> = { "product-manager-leaning": 0, "product-owner-leaning": 0, hybrid: 0, "insufficient-evidence": 0 };
      for (const line of cliJsonl.trimEnd().split("\n")) expected[(JSON.parse(line) as { label: string }).label]! += 1;
      expect(counts).toEqual(expected);
      const rejects = await page.$$eval("#rejects li", (items: PageElement[]) => items.map((li) => li.textContent));
      expect(rejects).toHaveLength(3);
      expect(rejects.map((r) => /: ([A-Z_]+):/.exec(r ?? "")?.[1])).toEqual(["EMPTY_TEXT", "FIELD_COUNT", "STRAY_QUOTE"]);
      expect(await page.evaluate(() => (document.querySelectorAll("#csv-progress")[0] as unknown as { value: number }).value)).toBe(1);

      const [jsonl] = await Promise.all([page.waitForEvent("download"), page.click("#download-jsonl")]);
      expect(jsonl.suggestedFilename()).toBe("pmpo-results.jsonl");
      expect(readFileSync((await jsonl.path()) as string, "utf8")).toBe(cliJsonl);
      const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
      expect(readFileSync((await csv.path()) as string, "utf8")).toBe(runCli(["batch", LISTINGS]).stdout);
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("copies the Markdown report and downloads the HTML report the CLI would write", async () => {
    const { context, page } = await open();
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      const text = fixtureText("ads", "snap-payments-pm.txt");
      await paste(page, text);
      await page.click("#copy-md");
      await page.waitForFunction(() => document.querySelectorAll("#status")[0]?.textContent !== "");
      const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
      expect(copied).toBe(runCli(["classify", "fixtures/ads/snap-payments-pm.txt", "--format", "markdown"]).stdout);
      const [report] = await Promise.all([page.waitForEvent("download"), page.click("#download-report")]);
      expect(report.suggestedFilename()).toBe("pmpo-report.html");
      expect(readFileSync((await report.path()) as string, "utf8")).toBe(runCli(["classify", "fixtures/ads/snap-payments-pm.txt", "--format", "html"]).stdout);
    } finally {
      await context.close();
    }
  });

  it("works from the keyboard and fits 360 px without scrolling sideways", async () => {
    const { context, page } = await open({ width: 360, height: 800 });
    try {
      await page.focus("#title");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe("ad-text");
      await page.keyboard.insertText("Own the product vision and roadmap; talk to customers and define success metrics.");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#result:not([hidden])");
      expect(await page.$$eval("#ad mark", (ms: PageElement[]) => ms.length)).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      if (process.env.UPDATE_SCREENSHOTS === "1") {
        await page.setViewportSize({ width: 1000, height: 1200 });
        await paste(page, fixtureText("ads", "hybrid-startup-pm-po.txt"), "Product Manager");
        mkdirSync(`${ROOT}docs`, { recursive: true });
        // The top of the page: the form, the result and the start of the marked ad.
        await page.screenshot({ path: `${ROOT}docs/serve-page.png`, fullPage: true, clip: { x: 0, y: 0, width: 1000, height: 1800 } });
      }
    } finally {
      await context.close();
    }
  });
});
