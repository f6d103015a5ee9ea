#!/usr/bin/env node
// Regenerates the pictures in docs/: docs/html-report.png (the `--format html` report of the Snap
// fixture in headless Chromium) and docs/terminal-sample.txt (the plain-text report, no colour).
// Needs `npm run build` first and Debian's Chromium at /usr/bin/chromium (or PMPO_CHROMIUM).
//
//   node scripts/screenshot.js
//
// The browser test calls `saveScreenshot` too when UPDATE_SCREENSHOTS=1 is set.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (this file lives in scripts/). */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
// One launch recipe for this script and the browser test: Debian's Chromium, talking to nobody.
const LAUNCH = JSON.parse(readFileSync(new URL("./chromium.json", import.meta.url), "utf8"));
/** Where the Chromium binary is expected. */
export const CHROMIUM_PATH = process.env.PMPO_CHROMIUM || LAUNCH.executablePath;
/** Flags for a quiet headless Chromium that talks to nobody. */
export const CHROMIUM_ARGS = LAUNCH.args;
/** The ad the docs show. */
export const SAMPLE_AD = "fixtures/ads/snap-payments-pm.txt";
/** Output paths, relative to the repository root. */
export const PNG_PATH = "docs/html-report.png";
export const TERMINAL_SAMPLE_PATH = "docs/terminal-sample.txt";

const VIEWPORT = { width: 1000, height: 1400 };
// Cap on the picture's height: the sample report fits (about 2,100 px); a longer ad is cut off
// below the header, top phrases and duties, which are what the picture is for.
const MAX_HEIGHT = 2400;

/** Runs the built CLI (`node bin/pmpo.js ...`) in the repository root and returns its stdout. */
export function runCli(args) {
  if (!existsSync(join(REPO_ROOT, "dist/cli/main.js"))) {
    throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  }
  const env = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  return execFileSync(process.execPath, ["bin/pmpo.js", ...args], {
    cwd: REPO_ROOT,
    env,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Launches headless Chromium with the flags above. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Renders the sample ad with `--format html` and saves a PNG of the page. Pass a browser to
 * reuse one (it is left open); otherwise one is launched and closed. Returns the PNG path.
 */
export async function saveScreenshot({ browser, out = join(REPO_ROOT, PNG_PATH) } = {}) {
  const html = runCli(["classify", SAMPLE_AD, "--format", "html"]);
  const dir = mkdtempSync(join(tmpdir(), "pmpo-shot-"));
  const own = browser ? null : await launchChromium();
  const context = await (browser ?? own).newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({
      path: out,
      fullPage: true,
      clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(height, MAX_HEIGHT) },
    });
    return out;
  } finally {
    await context.close();
    if (own) await own.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Saves the plain-text report of the sample ad (as piped: no colour). Returns the path. */
export function saveTerminalSample(out = join(REPO_ROOT, TERMINAL_SAMPLE_PATH)) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, runCli(["classify", SAMPLE_AD]));
  return out;
}

async function main() {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's chromium package (or set PMPO_CHROMIUM)`);
    process.exitCode = 2;
    return;
  }
  console.log(`wrote ${relative(process.cwd(), saveTerminalSample())}`);
  console.log(`wrote ${relative(process.cwd(), await saveScreenshot())}`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await main();
}
