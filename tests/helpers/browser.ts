// Debian's Chromium for the browser tests: the launch recipe scripts/screenshot.js uses too, whether
// it is installed, and a probe that shows what a page did besides drawing itself.
import { existsSync, readFileSync } from "node:fs";

/** How to start Chromium (scripts/chromium.json): its path and flags. */
export const CHROMIUM = JSON.parse(readFileSync(new URL("../../scripts/chromium.json", import.meta.url), "utf8")) as { executablePath: string; args: string[] };

/** True when Chromium is installed; browser tests skip otherwise, saying why (see `chromiumSkipReason`). */
export const hasChromium = existsSync(CHROMIUM.executablePath);

/** Why a browser test in `file` skips, printed once as a warning when Chromium is missing. */
export function chromiumSkipReason(file: string): string {
  const reason = `skipped: Chromium not found at ${CHROMIUM.executablePath}; install Debian's chromium package (apt-get install -y chromium)`;
  if (!hasChromium) console.warn(`${file} ${reason}`);
  return reason;
}

/**
 * An init script that runs before any of the page's own content: it remembers the globals there
 * were and records CSP violations, so a script or handler that got through (or was merely
 * blocked) shows in `window.__pmpoProbe()`.
 */
export const INERT_PROBE = `(() => {
  const base = Object.getOwnPropertyNames(window);
  const csp = [];
  document.addEventListener("securitypolicyviolation", (e) => csp.push(e.violatedDirective + " " + e.blockedURI));
  Object.defineProperty(window, "__pmpoProbe", {
    enumerable: false,
    value: () => ({ csp, newGlobals: Object.getOwnPropertyNames(window).filter((n) => !base.includes(n) && n !== "__pmpoProbe") }),
  });
})();`;
