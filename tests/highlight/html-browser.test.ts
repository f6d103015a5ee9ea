// The `--format html` report, loaded into real headless Chromium: the evidence shows as <mark>s
// matching the JSON result, the label and legend are visible, and nothing from the ad runs or
// fetches anything. Spawns the built CLI (`npm test` builds first). Needs Debian's Chromium at
// /usr/bin/chromium; without it this file is skipped with a warning.
//
// UPDATE_SCREENSHOTS=1 also regenerates docs/html-report.png through scripts/screenshot.js.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Classification } from "../../src/score/result.js";
import { assertBuilt, runCli as runBuiltCli } from "../helpers/cli.js";
import { CHROMIUM, chromiumSkipReason, hasChromium, INERT_PROBE } from "../helpers/browser.js";

// The page functions below run inside Chromium. The project's tsconfig has no DOM lib (and
// adding one would leak browser globals into src/), so they see these module-local stand-ins.
interface PageElement {
  textContent: string | null;
  className: string;
  closest(selector: string): PageElement | null;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
};
declare const window: { __pmpoProbe(): { csp: string[]; newGlobals: string[] } };
declare function getComputedStyle(element: PageElement): { backgroundColor: string };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SNAP = "fixtures/ads/snap-payments-pm.txt";
const HTML_PASTED = "fixtures/ads/html-pasted-po.html.txt";

const SKIP_REASON = chromiumSkipReason("tests/highlight/html-browser.test.ts");

/** Runs the built CLI in the repository root, without colour, and returns stdout (a failed run fails the test with its stderr). */
function runCli(args: string[]): string {
  const ran = runBuiltCli(args, { env: { NO_COLOR: "1" } });
  if (ran.status !== 0) throw new Error(`pmpo ${args.join(" ")} exited ${ran.status}: ${ran.stderr}`);
  return ran.stdout;
}

/** What one page load showed: everything the page did besides drawing itself. */
interface Observations {
  url: string;
  requests: string[];
  dialogs: string[];
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
  newGlobals: string[];
}

describe.skipIf(!hasChromium)(`HTML report in headless Chromium${hasChromium ? "" : ` (${SKIP_REASON})`}`, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "pmpo-html-"));
    browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: CHROMIUM.args });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Writes the page to a file and opens it by file:// URL, as a user opening a saved report
   * would. Requests other than the page itself are recorded and aborted. `bypassCSP` turns the
   * page's Content-Security-Policy off, to show the escaping alone keeps the ad inert.
   */
  async function openReport(html: string, name: string, bypassCSP: boolean): Promise<{ context: BrowserContext; seen: Observations; page: Page }> {
    const file = join(dir, `${name}${bypassCSP ? "-nocsp" : ""}.html`);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ bypassCSP, viewport: { width: 1000, height: 1400 } });
    const seen: Observations = { url, requests: [], dialogs: [], consoleErrors: [], pageErrors: [], cspViolations: [], newGlobals: [] };
    await context.addInitScript({ content: INERT_PROBE });
    await context.route(
      (u) => u.href !== url,
      (route) => route.abort(),
    );
    const page = await context.newPage();
    page.on("request", (r) => seen.requests.push(r.url()));
    page.on("dialog", (d) => {
      seen.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error") seen.consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => seen.pageErrors.push(e.message));
    await page.goto(url, { waitUntil: "load" });
    // Give an onerror handler or a late request a moment to show itself.
    await page.waitForTimeout(150);
    const probe = await page.evaluate(() => window.__pmpoProbe());
    seen.cspViolations = probe.csp;
    seen.newGlobals = probe.newGlobals;
    return { context, seen, page };
  }

  for (const fixture of [SNAP, HTML_PASTED]) {
    const name = fixture.replace(/^.*\//, "");

    describe(name, () => {
      let html: string;
      let json: Classification;
      let adText: string;

      beforeAll(() => {
        html = runCli(["classify", fixture, "--format", "html"]);
        json = JSON.parse(runCli(["classify", fixture, "--format", "json"])) as Classification;
        adText = readFileSync(join(ROOT, fixture), "utf8");
      });

      it("shows every highlight of the JSON result as a <mark>, in order, with the label and legend visible", async () => {
        const { context, page, seen } = await openReport(html, name, false);
        try {
          expect(json.highlights.length).toBeGreaterThan(0);
          const marks = await page.$$eval("mark", (ms: PageElement[]) =>
            ms.map((m) => ({ text: m.textContent, cls: m.className, bg: getComputedStyle(m).backgroundColor, inAd: m.closest("#ad") !== null })),
          );
          expect(marks).toHaveLength(json.highlights.length);
          expect(marks.map((m) => m.text)).toEqual(json.highlights.map((h) => h.text));
          expect(marks.map((m) => m.cls)).toEqual(json.highlights.map((h) => (h.leaning === "product-manager" ? "pm" : "po")));
          expect(marks.every((m) => m.inAd)).toBe(true);
          // The two sides are painted, and painted differently.
          const bg = (cls: string) => new Set(marks.filter((m) => m.cls === cls).map((m) => m.bg));
          for (const cls of ["pm", "po"]) {
            if (!marks.some((m) => m.cls === cls)) continue;
            expect(bg(cls).size).toBe(1);
            expect([...bg(cls)][0]).not.toBe("rgba(0, 0, 0, 0)");
          }
          if (bg("pm").size && bg("po").size) expect([...bg("pm")][0]).not.toBe([...bg("po")][0]);
          await expect(page.locator("mark").first().isVisible()).resolves.toBe(true);

          // The ad reads back exactly as given: escaped, never interpreted.
          expect(await page.locator("#ad").textContent()).toBe(adText);

          const label = page.locator("#label");
          expect(await label.isVisible()).toBe(true);
          expect(await label.getAttribute("data-label")).toBe(json.label);
          expect(await label.textContent()).toContain(json.label);

          for (const entry of ["product manager evidence", "product owner evidence"]) {
            const legend = page.locator(".legend").getByText(entry, { exact: true });
            expect(await legend.count()).toBe(1);
            expect(await legend.isVisible()).toBe(true);
          }

          expect(seen.requests).toEqual([seen.url]);
          expect(seen.dialogs).toEqual([]);
          expect(seen.consoleErrors).toEqual([]);
          expect(seen.pageErrors).toEqual([]);
          expect(seen.cspViolations).toEqual([]);
          expect(seen.newGlobals).toEqual([]);
        } finally {
          await context.close();
        }
      });

      it("runs nothing from the ad and loads nothing, even with the page's CSP bypassed", async () => {
        const { context, page, seen } = await openReport(html, name, true);
        try {
          const dom = await page.evaluate(() => ({
            scripts: document.querySelectorAll("script").length,
            images: document.querySelectorAll("img").length,
            handlers: [...document.querySelectorAll("*")].flatMap((el) => el.getAttributeNames().filter((a) => a.startsWith("on"))),
            links: document.querySelectorAll("[src], [href], [srcset], link, iframe, object, embed, form").length,
            csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? null,
          }));
          expect(seen.dialogs).toEqual([]);
          expect(seen.newGlobals).toEqual([]);
          expect(dom.scripts).toBe(0);
          expect(dom.images).toBe(0);
          expect(dom.handlers).toEqual([]);
          expect(dom.links).toBe(0);
          expect(dom.csp).toContain("default-src 'none'");
          expect(seen.requests).toEqual([seen.url]);
          expect(seen.pageErrors).toEqual([]);
          expect(seen.consoleErrors).toEqual([]);
        } finally {
          await context.close();
        }
      });

      if (fixture === HTML_PASTED) {
        it("shows the ad's <script> and <img onerror> as visible text", async () => {
          const { context, page } = await openReport(html, name, false);
          try {
            const visible = await page.locator("#ad").innerText();
            expect(visible).toContain('<script>alert("x")</script>');
            expect(visible).toContain('<img src=x onerror="alert(1)">');
            expect(visible).toContain("&amp;");
            expect(await page.getByText('<script>alert("x")</script>', { exact: false }).isVisible()).toBe(true);
          } finally {
            await context.close();
          }
        });
      }
    });
  }

  it.runIf(process.env.UPDATE_SCREENSHOTS === "1")("regenerates docs/html-report.png (UPDATE_SCREENSHOTS=1)", async () => {
    const script = pathToFileURL(join(ROOT, "scripts/screenshot.js")).href;
    const { saveScreenshot } = (await import(script)) as { saveScreenshot: (o: { browser: Browser }) => Promise<string> };
    const out = await saveScreenshot({ browser });
    expect(existsSync(out)).toBe(true);
  });
});
