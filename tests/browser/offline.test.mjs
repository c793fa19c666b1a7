// Offline: after one visit the service worker has kept the page and its files,
// so a reload with the network off still shows the demo results — and neither
// the page nor its service worker ever asks anything of another origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, serveStatic, useBrowser, openApp, screenshot, showCharts } from './harness.mjs';

const env = useBrowser();

test('after the first visit the app opens with the network off', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // Wait until the worker is installed, has cached the files and controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls = [];
      for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(r.url);
      return { names, urls };
    });
    assert.equal(cached.names.length, 1, `one versioned cache: ${cached.names}`);
    assert.match(cached.names[0], /^uplift-roi-[0-9a-f]{16}$/);
    assert.ok(cached.urls.some((u) => /_bg\.wasm$/.test(u)), `the wasm is cached: ${cached.urls.join(', ')}`);
    assert.ok(cached.urls.some((u) => /\.css$/.test(u)), 'the stylesheet is cached');

    // A tool opened once is kept too, and so are the charts once seen.
    await page.locator('#open-planner').click();
    await page.locator('#plan-baseline').waitFor();
    await showCharts(page);

    await context.setOffline(true);
    // Really offline: a file the worker does not keep cannot be fetched.
    const reachable = await page.evaluate(() => fetch('./not-cached.txt').then(() => true, () => false));
    assert.equal(reachable, false, 'the network is off');
    await page.reload();
    await page.waitForSelector('#verdict', { timeout: 30_000 });
    assert.match(await page.locator('#verdict').innerText(), /^Ship personalized: .*lifts revenue per user by 36\.7%/);
    // The styles came from the cache too.
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.panel')).borderRadius);
    assert.equal(bg, '10px');
    await page.locator('#open-planner').click();
    await page.locator('#plan-needed').waitFor({ timeout: 30_000 });
    await showCharts(page);
    assert.match(await page.locator('#forest-chart svg').textContent(), /personalized/);
    // `?embed` is the same page: it opens offline as well.
    await page.goto(`${env.server.origin}/?embed`);
    await page.waitForSelector('#verdict', { timeout: 30_000 });
    await screenshot(page, 'offline-embed');
    await context.setOffline(false);

    // The one refused fetch above is the only error allowed.
    assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
    const off = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:'));
    assert.deepEqual(off, [], `requests left the origin: ${off.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('after a deploy, a tool used before is kept for offline use in the new cache', async () => {
  // A copy of the site, so a "deploy" can change its service worker.
  const dir = mkdtempSync(join(tmpdir(), 'uplift-deploy-'));
  cpSync(DIST, dir, { recursive: true });
  const server = await serveStatic(dir);
  const { context, page, errors } = await openApp(env.browser, `${server.origin}/`);
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    await page.locator('#open-planner').click();
    await page.locator('#plan-baseline').waitFor();
    await showCharts(page);
    // The deploy: the same files with a service worker of a new version.
    const sw = join(dir, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/uplift-roi-[0-9a-f]{16}/, 'uplift-roi-0123456789abcdef'));
    rmSync(`${sw}.gz`, { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    // Polled from here: the new worker has taken over when the old cache is gone.
    const names = () => page.evaluate(() => caches.keys());
    for (let i = 0; i < 150 && (await names()).join() !== 'uplift-roi-0123456789abcdef'; i++) await page.waitForTimeout(100);
    assert.deepEqual(await names(), ['uplift-roi-0123456789abcdef']);
    const kept = await page.evaluate(async () => (await (await caches.open('uplift-roi-0123456789abcdef')).keys()).map((r) => new URL(r.url).pathname));
    assert.ok(kept.includes('/tools_bg.wasm') && kept.includes('/tools.js'), `kept: ${kept.join(', ')}`);
    for (const f of ['/charts-loader.js', '/charts.js', '/charts_bg.wasm']) assert.ok(kept.includes(f), `${f} not kept: ${kept.join(', ')}`);
    assert.ok(kept.some((p) => p.endsWith('_bg.wasm') && p !== '/tools_bg.wasm'), 'the app itself is cached too');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
