// The tools below the results are a second WebAssembly module: a first visit
// does not download it, opening a tool does (from this site only), and the
// opened tool follows the page's confidence level and number style.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, useBrowser } from './harness.mjs';

const env = useBrowser();
const isTools = (u) => /\/tools(_bg\.wasm|\.js)$/.test(new URL(u).pathname);

test('tools are downloaded only when one is opened, and then work', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-planner').waitFor();
    // Let anything the page would load by itself arrive.
    await page.waitForTimeout(1500);
    assert.deepEqual(requests.filter(isTools), [], 'no tools code on a first visit');
    assert.equal(await page.locator('#planner').count(), 0);
    await screenshot(page, 'tools-closed');

    await page.locator('#open-planner').click();
    await page.locator('#plan-baseline').waitFor();
    // (Once the service worker controls the page, it shows each fetch twice.)
    assert.deepEqual([...new Set(requests.filter(isTools).map((u) => new URL(u).pathname))].sort(), ['/tools.js', '/tools_bg.wasm']);
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.equal(await page.locator('#planner-card').isVisible(), false, 'the card gives way to the tool');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'plan-baseline', 'focus moves into the tool');
    // The planner starts from the loaded experiment's control rate.
    const control = await page.locator('#conversion-table tbody tr').first().locator('td.value').innerText();
    assert.equal(Number(await page.locator('#plan-baseline').inputValue()), parseFloat(control));

    // Opening a second tool does not download anything again.
    const before = requests.length;
    await page.locator('#open-warehouse').click();
    await page.locator('#warehouse').waitFor();
    assert.equal(requests.slice(before).filter(isTools).length, 0);

    // The opened planner follows the page: German number style.
    await page.locator('#locale-select').selectOption('de-DE');
    await page.waitForFunction(() => /Nutzer|\d\.\d{3}/.test(document.querySelector('#plan-needed')?.textContent ?? ''));
    await screenshot(page, 'tools-open');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a tool that cannot be downloaded says so, and opens on a retry', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await context.route('**/tools_bg.wasm', (route) => route.abort());
    await page.locator('#open-clv').click();
    await page.locator('#clv-card [role=alert]').waitFor();
    assert.match(await page.locator('#clv-card [role=alert]').innerText(), /could not be opened.*try again/);
    assert.equal(await page.locator('#open-clv').isEnabled(), true);
    await context.unroute('**/tools_bg.wasm');
    await page.locator('#open-clv').click();
    await page.locator('#clv-input').waitFor();
    assert.equal(await page.locator('#clv-card [role=alert]').count(), 0);
    assert.deepEqual(errors.filter((e) => !/tools_bg\.wasm|Failed to fetch|net::ERR_FAILED/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a tool that fails to start says so instead of doing nothing', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // A tools script whose mount function throws.
    await context.route('**/tools.js', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()) + "\nwasm_bindgen.mount_tool = () => { throw new Error('broken tool'); };\n";
      await route.fulfill({ response, body });
    });
    await page.locator('#open-planner').click();
    const alert = page.locator('#planner-card [role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /could not be started \(broken tool\)/);
    assert.equal(await page.locator('#planner').count(), 0);
    assert.equal(await page.locator('#open-planner').isEnabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('after a failed download, opening another tool opens only that one, with the focus in it', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await context.route('**/tools_bg.wasm', (route) => route.abort());
    await page.locator('#open-warehouse').click();
    await page.locator('#warehouse-card [role=alert]').waitFor();
    await context.unroute('**/tools_bg.wasm');
    await page.locator('#open-planner').click();
    await page.locator('#plan-baseline').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'plan-baseline');
    assert.equal(await page.locator('#warehouse').count(), 0, 'the failed tool was not opened unasked');
    assert.equal(await page.locator('#warehouse-card').isVisible(), true);
    assert.equal(await page.locator('#warehouse-card [role=alert]').count(), 0, 'the old error is gone');
    assert.deepEqual(errors.filter((e) => !/tools_bg\.wasm|Failed to fetch|net::ERR_FAILED/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('fitted CLV results follow a change of number style', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-clv').click();
    await page.locator('#clv-sample').click();
    await page.locator('#clv-fit').click();
    const cell = page.locator('#clv-table td.clv-mean').first();
    await cell.waitFor({ timeout: 60_000 });
    const us = await cell.innerText();
    assert.match(us, /^\$\d+\.\d{2}$/);
    await page.locator('#locale-select').selectOption('de-DE');
    await page.waitForFunction((before) => document.querySelector('#clv-table td.clv-mean')?.textContent !== before, us);
    assert.match(await cell.innerText(), /^\d+,\d{2}\s\$$/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the warehouse SQL carries further metrics and a segment, and says what it cannot read', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-warehouse').click();
    await page.locator('#wh-metrics').fill('visit:flag, history');
    await page.locator('#wh-segment').fill('channel');
    await page.locator('#wh-dialect').selectOption('postgresql');
    const sql = await page.locator('#wh-sql').inputValue();
    // The segment comes first, then the app's canonical columns and the metrics' sums.
    const names = [...sql.matchAll(/ AS "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names.slice(0, 3), ['channel', 'variant', 'users']);
    for (const n of ['visit', 'visit_x_history', 'history', 'history_sq']) assert.ok(names.includes(n), n);
    assert.ok(!names.includes('visit_sq'), 'a flag has no square column');
    assert.match(sql, /CAST\("visit" AS INTEGER\) <> 0/);
    assert.match(sql, /GROUP BY uplift_segment, uplift_variant/);
    // An entry that is neither a column nor column:flag is refused in words.
    await page.locator('#wh-metrics').fill('visit:count');
    await page.locator('#warehouse-error').waitFor();
    assert.match(await page.locator('#warehouse-error').innerText(), /name:flag/);
    await page.locator('#wh-metrics').fill('visit:flag, revenue');
    assert.match(await page.locator('#warehouse-error').innerText(), /two columns called "revenue"/);
    await page.locator('#wh-metrics').fill('visit:flag, history');
    await page.locator('#wh-sql').waitFor();
    // Caps on outliers: revenue at its p95 without the zeros, history at an
    // amount; each cap's value comes out under the name the app reads back.
    await page.locator('#wh-caps').fill('revenue 95% ignoring zeros, history 500');
    await page.waitForFunction(() => document.querySelector('#wh-sql')?.value.includes('"revenue_cap"'));
    const capped = await page.locator('#wh-sql').inputValue();
    const cappedNames = [...capped.matchAll(/ AS "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(cappedNames.slice(-2), ['revenue_cap', 'history_cap']);
    assert.match(capped, /PERCENTILE_CONT\(0\.95\) WITHIN GROUP \(ORDER BY CASE WHEN uplift_revenue <> 0 THEN uplift_revenue END\)/);
    await page.locator('#wh-caps').fill('visit 99%');
    await page.locator('#warehouse-error').waitFor();
    assert.match(await page.locator('#warehouse-error').innerText(), /"visit" is not the revenue column or a summed metric/);
    await page.locator('#wh-caps').fill('revenue lots');
    assert.match(await page.locator('#warehouse-error').innerText(), /Write each cap as a column/);
    await page.locator('#wh-caps').fill('revenue 95% ignoring zeros');
    await page.locator('#wh-sql').waitFor();
    await screenshot(page, 'warehouse-metrics');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
