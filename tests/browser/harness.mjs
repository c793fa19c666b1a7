// Shared set-up for the browser tests: a static server for dist/ on
// 127.0.0.1, Debian's Chromium driven by playwright-core, and a log of every
// request the page makes so tests can prove nothing leaves the origin.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serveStatic as serveDir } from '../../scripts/static-server.mjs';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests', 'browser', 'artifacts');

/**
 * Serve `dir` on 127.0.0.1 at a free port, under `prefix`, with the build's
 * precompressed files, as scripts/serve.sh does; resolves to { origin, close }.
 */
export const serveStatic = (dir = DIST, prefix = '/') => serveDir(dir, prefix);

/** Flags that keep Chromium from phoning home (and so from spoiling the privacy check). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-default-apps',
  '--disable-extensions',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Open the app in a fresh page. Returns the page, the list of every request
 * URL it made, and the list of uncaught errors (a Rust panic shows up there).
 */
export async function openApp(browser, url, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('#verdict', { timeout: 30_000 });
  return { context, page, requests, errors };
}

export async function screenshot(page, name, fullPage = true) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Start the static server and Chromium once for a test file and stop them
 * after it; the returned object holds `server` and `browser` once started.
 */
export function useBrowser(prefix = '/') {
  const env = {};
  before(async () => {
    env.server = await serveStatic(DIST, prefix);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Bring the charts in as a reader does: scroll to the first chart, which
 * downloads the charts module (src/charts/lazy.rs), wait until it is drawn,
 * and scroll back to the top.
 */
export async function showCharts(page) {
  await page.locator('figure.chart').first().scrollIntoViewIfNeeded();
  await page.locator('figure.chart .chart-svg svg').first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
}

/**
 * Bring the investment case's tables in as a reader does: scroll to its
 * charts, which loads the charts and, with them, the tools module that
 * draws the tables (src/results/investment_details_slot.rs); wait for the
 * last table, and scroll back to the top.
 */
export async function showInvestmentDetails(page) {
  await page.locator('#cost-chart').scrollIntoViewIfNeeded();
  await page.locator('#tei-table').waitFor({ timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
}

/**
 * Bring the analysis settings bar (a panel of the tools module): press
 * "Change the method, confidence or control" when the page shows the line
 * that stands in for it, and wait for the bar.
 */
export async function showSettings(page) {
  const button = page.locator('#change-settings');
  if (await button.count()) await button.click();
  await page.locator('.analysis-controls .method-switch').waitFor({ timeout: 30_000 });
}
