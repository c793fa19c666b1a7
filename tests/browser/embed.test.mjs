// Embedding: the built site works from any sub-path, `?embed` is compact, and
// the embedded page tells its parent its height so the iframe fits it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, screenshot } from './harness.mjs';

const PREFIX = '/docs/tools/uplift/';
const env = useBrowser(PREFIX);

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
    // The parent resized the iframe to the height the page reported.
    await page.waitForFunction(() => document.getElementById('uplift-roi').style.height !== '');
    const { styled, inner } = await page.evaluate(() => {
      const f = document.getElementById('uplift-roi');
      return { styled: parseFloat(f.style.height), inner: f.contentDocument.documentElement.scrollHeight };
    });
    assert.ok(Math.abs(styled - inner) <= 4, `iframe ${styled}px vs content ${inner}px`);
    assert.ok(styled > 800, `${styled}`);
    // Compact: no tagline, share bar, CLV or planner panels.
    assert.equal(await frame.locator('.tagline').isVisible(), false);
    assert.equal(await frame.locator('#planner').count(), 0);
    assert.equal(await frame.locator('.share-bar').isVisible(), false);
    // Editing inside the frame still works and the height follows.
    await frame.getByLabel('Amount of cost line 2').fill('90000');
    await frame.locator('#total-cost').filter({ hasText: '$174,000' }).waitFor();
    await screenshot(page, 'embedded');
    const off = requests.filter((u) => !u.startsWith(`${env.server.origin}${PREFIX}`) && !u.startsWith('data:'));
    assert.deepEqual(off, [], 'every request stays under the sub-path of the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
