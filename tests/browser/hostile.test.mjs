// Hostile input: names from a link or a file are shown as text everywhere,
// in tables and in the SVG charts, never run; nothing is requested; and a
// panic inside the calculator shows a notice instead of a dead page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useBrowser, openApp, showCharts } from './harness.mjs';

const env = useBrowser();
const EVIL_A = '<img src=x onerror=alert(1)>';
const EVIL_B = '</svg><script>alert(2)</script>';

test('names with markup render as text in tables and charts, run nothing, request nothing', async () => {
  const scenario = JSON.parse(readFileSync(join(ROOT, 'examples', 'scenario.json'), 'utf8'));
  scenario.data = `variant,users,conversions,orders,revenue,revenue_sq\n"${EVIL_A}",24000,480,516,41280,5640000\n"${EVIL_B}",24000,624,680,56440,7905000\n`;
  scenario.costs[0].label = '<b onmouseover=alert(3)>licence</b>';
  const link = `${env.server.origin}/#s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`;
  const { context, page, requests, errors } = await openApp(env.browser, link);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    const table = await page.locator('#conversion-table').innerText();
    assert.ok(table.includes(EVIL_A) && table.includes(EVIL_B), table);
    await showCharts(page);
    const svg = page.locator('#conversion-chart svg');
    await svg.waitFor();
    const svgText = await svg.textContent();
    // Charts cut long names short with "…" (the caption keeps them whole).
    assert.ok(svgText.includes(EVIL_B.slice(0, 12)), svgText);
    assert.ok((await page.locator('#conversion-chart figcaption').innerText()).includes(EVIL_B));
    // No element was made from the names: no img, no script inside the results.
    assert.equal(await page.locator('main img, main script, main b').count(), 0);
    await page.mouse.move(10, 10);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    const offOrigin = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:'));
    assert.deepEqual(offOrigin, []);
    assert.ok(!requests.some((u) => new URL(u).pathname === '/x'), 'the img src was never requested');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('running out of stack shows the same notice', async () => {
  // The module's own stack in memory (a RuntimeError), then the browser's
  // call stack (a RangeError).
  for (const [hash, error] of [['#stack-test', /RuntimeError/], ['#call-stack-test', /RangeError/]]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
    try {
      await page.goto(`${env.server.origin}/${hash}`);
      await page.reload();
      await page.locator('#panic-notice').waitFor();
      assert.match(await page.locator('#panic-notice').innerText(), /Reload the page to continue/);
      assert.ok(errors.some((e) => error.test(e)), `${hash}: ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
});

test('a panic shows a notice with reload and reset, and the saved inputs survive', async () => {
  const { context, page } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const demoTotal = await page.locator('#total-cost').innerText();
    assert.notEqual(demoTotal, '$124,000');
    await page.getByLabel('Amount of cost line 2').fill('40000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$124,000');
    await page.goto(`${env.server.origin}/#panic-test`);
    await page.reload();
    await page.locator('#panic-notice').waitFor();
    assert.match(await page.locator('#panic-notice').innerText(), /Reload the page to continue/);
    await page.locator('#panic-reload').click();
    await page.waitForSelector('#verdict');
    assert.equal(await page.locator('#total-cost').innerText(), '$124,000');
    assert.equal(await page.locator('#panic-notice').count(), 0);
    // "Reset to the demo" reloads without the saved inputs.
    await page.goto(`${env.server.origin}/#panic-test`);
    await page.reload();
    await page.locator('#panic-reset').click();
    await page.waitForSelector('#verdict');
    assert.equal(await page.locator('#total-cost').innerText(), demoTotal);
    assert.equal(await page.locator('#panic-notice').count(), 0);
  } finally {
    await context.close();
  }
});
