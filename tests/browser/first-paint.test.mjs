// The first paint: the demo's summary written into index.html at build time
// (src/bin/prerender.rs) says what the app then draws, where the app draws
// it; and a visitor whose saved scenario or link replaces the demo never
// sees the demo's numbers, in any frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, screenshot } from './harness.mjs';
import { slowPhonePage } from '../../bench/slow-phone.mjs';

const env = useBrowser();

/** The summary's words and where they are, for the copy in `#prerendered` or the app's. */
const readSummary = (page, root) => page.evaluate((root) => {
  const scope = root ? document.getElementById(root) : document.querySelector('main');
  const verdict = scope.querySelector('.verdict');
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map(Math.round);
  };
  return {
    verdict: verdict.textContent,
    figures: [...scope.querySelectorAll('.key-figures .kpi')].map((k) => [k.querySelector('dt').textContent, k.querySelector('dd').textContent]),
    views: [...scope.querySelectorAll('.view-index a')].map((a) => a.textContent),
    verdictBox: box(verdict),
    figuresBox: box(scope.querySelector('.key-figures')),
  };
}, root);

for (const [viewport, query] of [[{ width: 390, height: 844 }, ''], [{ width: 1280, height: 900 }, ''], [{ width: 600, height: 800 }, '?embed']]) {
  test(`at ${viewport.width} px${query && `, embedded (${query})`}, the summary in the page says what the app draws, where it draws it`, async () => {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // Hold the app's WebAssembly back, so the page's own copy can be read.
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await context.route(/uplift-roi-app-[0-9a-f]+_bg\.wasm$/, async (route) => {
      await released;
      await route.continue();
    });
    try {
      await page.goto(`${env.server.origin}/${query}`);
      await page.locator('#prerendered .verdict').waitFor();
      assert.equal(await page.locator('#data-input').count(), 0, 'the app has not started');
      const copy = await readSummary(page, 'prerendered');
      await screenshot(page, `first-paint-${viewport.width}${query ? '-embed' : ''}-static`);
      assert.match(copy.verdict, /^Ship personalized: .* These are the demo's numbers/);
      assert.equal(copy.figures.length, 5);
      release();
      await page.locator('#data-input').waitFor();
      await page.locator('#verdict').waitFor();
      assert.equal(await page.locator('#prerendered').count(), 0, 'the app removed the copy');
      const app = await readSummary(page, null);
      await screenshot(page, `first-paint-${viewport.width}${query ? '-embed' : ''}-app`);
      assert.equal(copy.verdict, app.verdict);
      assert.deepEqual(copy.figures, app.figures);
      assert.deepEqual(copy.views, app.views);
      assert.deepEqual(copy.verdictBox, app.verdictBox, 'the verdict does not move when the app comes');
      assert.deepEqual(copy.figuresBox, app.figuresBox, 'the key figures do not move when the app comes');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

/** Keep the text of every visible verdict on every frame, from the first. */
function recordVerdictFrames() {
  window.__verdictFrames = [];
  const tick = () => {
    for (const v of document.querySelectorAll('.verdict')) {
      if (v.checkVisibility() && v.textContent.trim()) window.__verdictFrames.push(v.textContent);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Open `url` in `page` on the slow phone's link and CPU, recording every frame's verdict. */
async function framesOf(page, url) {
  await page.addInitScript(recordVerdictFrames);
  await page.goto(url);
  await page.locator('#data-input').waitFor({ timeout: 60_000 });
  await page.locator('#verdict').waitFor();
  // A few frames of the app's own summary.
  await page.waitForFunction(() => window.__verdictFrames.length > 0 && document.getElementById('verdict'));
  await page.waitForTimeout(200);
  return page.evaluate(() => window.__verdictFrames);
}

test('a returning visitor and a shared link never see the demo, not even for a frame', async () => {
  // A first visit: the demo's verdict is in the earliest frames (so the
  // recording would see it), then the visitor changes a cost and copies a link.
  const first = await slowPhonePage(env.browser);
  let demo;
  let link;
  try {
    const frames = await framesOf(first.page, `${env.server.origin}/`);
    demo = frames[0];
    assert.match(demo, /These are the demo's numbers/);
    assert.ok(frames.length > 5, `${frames.length} frames recorded`);
    await first.page.getByLabel('Amount of cost line 2').fill('50000');
    await first.page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$134,000');
    await first.page.locator('#copy-link').click();
    await first.page.waitForFunction(() => location.hash.startsWith('#z='));
    link = first.page.url();
    // The same browser again, with its saved scenario.
    const again = await first.context.newPage();
    const returning = await framesOf(again, `${env.server.origin}/`);
    assert.ok(returning.length > 5, `${returning.length} frames recorded`);
    assert.ok(returning.every((t) => t !== demo && t.includes('$134,000')), returning.find((t) => !t.includes('$134,000')));
    await screenshot(again, 'first-paint-returning');
  } finally {
    await first.context.close();
  }
  // Someone else opens the link: a fresh browser, nothing saved.
  const other = await slowPhonePage(env.browser);
  try {
    const shared = await framesOf(other.page, link);
    assert.ok(shared.length > 5, `${shared.length} frames recorded`);
    assert.ok(shared.every((t) => t !== demo && t.includes('$134,000')), shared.find((t) => !t.includes('$134,000')));
  } finally {
    await other.context.close();
  }
});
