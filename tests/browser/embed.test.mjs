// Embedding: the built site works from any sub-path, `?embed` is compact, and
// the embedded page tells its parent its height so the iframe fits it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, screenshot } from './harness.mjs';

const PREFIX = '/docs/tools/uplift/';
const env = useBrowser(PREFIX);

// The iframe's styled height and its content's height, read once the content
// has kept one height for 500 ms and the iframe fits it, or after 30 s
// whatever they are (the caller's assert then names both).
async function settledFit(page) {
  await page.evaluate(() => { delete window.__fit; });
  await page.waitForFunction(() => {
    const f = document.getElementById('uplift-roi');
    const inner = f.contentDocument.documentElement.scrollHeight;
    const fits = Math.abs(parseFloat(f.style.height) - inner) <= 4;
    const now = performance.now();
    const last = window.__fit;
    if (!fits || !last || last.inner !== inner) {
      window.__fit = { inner, since: now };
      return false;
    }
    return now - last.since >= 500;
  }, null, { timeout: 30_000, polling: 50 }).catch(() => {});
  return page.evaluate(() => {
    const f = document.getElementById('uplift-roi');
    return { styled: parseFloat(f.style.height), inner: f.contentDocument.documentElement.scrollHeight };
  });
}

test('the example docs page embeds the calculator from a sub-path and fits its height', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${env.server.origin}${PREFIX}embed-example.html`);
    const frame = page.frameLocator('#uplift-roi');
    await frame.locator('#verdict').waitFor({ timeout: 30_000 });
    // The parent resized the iframe to the height the page reported. The
    // page reports again as later parts arrive (the investment case's
    // tables, the charts, whose height depends on their width), so the fit
    // is checked once the content's height has held still for half a second.
    await page.waitForFunction(() => document.getElementById('uplift-roi').style.height !== '');
    const { styled, inner } = await settledFit(page);
    assert.ok(Math.abs(styled - inner) <= 4, `iframe ${styled}px vs content ${inner}px`);
    assert.ok(styled > 800, `${styled}`);
    // Compact: no tagline, share bar, CLV or planner panels.
    assert.equal(await frame.locator('.tagline').isVisible(), false);
    assert.equal(await frame.locator('#planner, .tool-card').count(), 0);
    assert.equal(await frame.locator('.share-bar').isVisible(), false);
    // Editing inside the frame still works and the height follows.
    await frame.getByLabel('Amount of cost line 2').fill('90000');
    await frame.locator('#total-cost').filter({ hasText: '$174,000' }).waitFor();
    // A new, empty cost line changes no result, only the page's height: the
    // frame still fits it (the page reports every change of its size).
    const fits = () => page.evaluate(() => {
      const f = document.getElementById('uplift-roi');
      return { styled: parseFloat(f.style.height), inner: f.contentDocument.documentElement.scrollHeight };
    });
    const before = await fits();
    await frame.locator('#add-cost').click();
    await page.waitForFunction((h) => document.getElementById('uplift-roi').contentDocument.documentElement.scrollHeight > h, before.inner);
    const after = await settledFit(page);
    assert.ok(Math.abs(after.styled - after.inner) <= 4, `after a cost line: iframe ${after.styled}px vs content ${after.inner}px`);
    // Scrolling the host page to the charts loads them in the frame, from
    // under the sub-path.
    await frame.locator('#forest-chart').scrollIntoViewIfNeeded();
    await frame.locator('#forest-chart svg').waitFor({ timeout: 30_000 });
    await screenshot(page, 'embedded');
    const off = requests.filter((u) => !u.startsWith(`${env.server.origin}${PREFIX}`) && !u.startsWith('data:'));
    assert.deepEqual(off, [], 'every request stays under the sub-path of the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a docs page on another origin (another port) embeds the calculator and fits it', async () => {
  const { createServer } = await import('node:http');
  const app = `${env.server.origin}${PREFIX}index.html?embed`;
  // The docs site: its own origin, an iframe to the calculator and the
  // few lines a docs author adds to size it.
  const docs = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><title>Docs</title>
      <h1>Our personalization results</h1>
      <iframe id="calc" src="${app}" title="Uplift ROI" style="width:100%;height:300px;border:0"></iframe>
      <p id="after">After the calculator.</p>
      <script>
        const f = document.getElementById('calc');
        addEventListener('message', (e) => {
          if (e.origin === ${JSON.stringify(env.server.origin)} && e.data && e.data.type === 'uplift-roi:height') {
            f.style.height = Math.ceil(e.data.height) + 'px';
          }
        });
      </script>`);
  });
  await new Promise((ok) => docs.listen(0, '127.0.0.1', ok));
  const docsOrigin = `http://127.0.0.1:${docs.address().port}`;
  assert.notEqual(docsOrigin, env.server.origin);
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(`${docsOrigin}/`);
    const frame = page.frameLocator('#calc');
    await frame.locator('#verdict').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => parseFloat(document.getElementById('calc').style.height) > 800);
    await frame.getByLabel('Amount of cost line 2').fill('90000');
    await frame.locator('#total-cost').filter({ hasText: '$174,000' }).waitFor();
    // In a frame from another origin too, the charts load as they come into view.
    await frame.locator('#forest-chart').scrollIntoViewIfNeeded();
    await frame.locator('#forest-chart svg').waitFor({ timeout: 30_000 });
    await screenshot(page, 'embedded-cross-origin');
    const off = requests.filter((u) => !u.startsWith(`${env.server.origin}/`) && !u.startsWith(`${docsOrigin}/`) && !u.startsWith('data:'));
    assert.deepEqual(off, []);
  } finally {
    await context.close();
    await new Promise((ok) => docs.close(ok));
  }
});
