// The app as a person uses it: demo results on arrival, pasting data, a bad
// paste, editing costs — and proof that no request leaves the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ROOT, useBrowser, openApp, screenshot, showCharts } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');

/** What the engine's CLI says about some CSV (the oracle for the page). */
function engine(csv) {
  const out = execFileSync(CLI, ['analyze', '-'], { input: csv, encoding: 'utf8' });
  return JSON.parse(out);
}

function formatSignedPercent(fraction) {
  const body = `${(Math.abs(fraction) * 100).toFixed(1)}%`;
  return fraction > 0 ? `+${body}` : fraction < 0 ? `−${body}` : body;
}

const env = useBrowser();

/** Text of a variant's cell in a results table. */
async function cell(page, table, variant, cls) {
  const row = page.locator(`#${table} tbody tr`, { has: page.locator(`th:text-is("${variant}")`) });
  return (await row.locator(`td.${cls}`).innerText()).trim();
}

test('the demo experiment is analysed on arrival', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const verdict = await page.locator('#verdict').innerText();
    // The decision first, in the words the Metrics view uses, then the lift.
    assert.match(verdict, /^Ship personalized: revenue per user is better \(p < 0\.05\)\. Compared with control, personalized lifts revenue per user by \d+\.\d%, likely between \+/);
    assert.match(verdict, /expected ROI is \d+% over 12 months, payback in month 2, (> )?\d+(\.\d)?% chance ROI > 0/);
    assert.match(verdict, /Assumed: margin, reach, costs\. These are the demo's numbers: paste or drop your export in step 1\.$/);
    assert.equal(await page.locator('#key-decision').innerText(), 'Ship personalized');
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), '+30.0%');
    assert.equal(await page.locator('#total-cost').innerText(), '$114,000');
    // The charts are below the tables: their module is not downloaded until
    // they come near the screen. Meanwhile each shows its text alternative.
    await page.waitForTimeout(300);
    assert.equal(requests.filter((u) => /\/charts/.test(u)).length, 0, `charts loaded up front: ${requests.join(', ')}`);
    assert.equal(await page.locator('figure.chart svg').count(), 0);
    assert.match(await page.locator('#conversion-chart figcaption').innerText(), /control: 2\.00%/);
    // Scrolling towards them downloads the module, from this origin only.
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    // The chart is a real SVG drawn by plotters, with the variant names.
    const svg = page.locator('#conversion-chart svg');
    await svg.waitFor();
    const chartRequests = requests.filter((u) => /\/charts/.test(u)).map((u) => u.slice(env.server.origin.length));
    assert.deepEqual(chartRequests.sort(), ['/charts-loader.js', '/charts.js', '/charts_bg.wasm']);
    const chartText = await svg.textContent();
    assert.match(chartText, /control/);
    assert.match(chartText, /personalized/);
    assert.ok((await svg.locator('rect').count()) >= 3, 'background plus one bar per variant');
    await screenshot(page, 'demo-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'demo-phone');
    assert.deepEqual(errors, []);
    const offOrigin = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:'));
    assert.deepEqual(offOrigin, [], `requests left the origin: ${offOrigin.join(', ')}`);
    assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm module was loaded from the origin');
  } finally {
    await context.close();
  }
});

test('a first visit downloads the precompressed files the build ships', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const finished = [];
  page.on('requestfinished', (r) => finished.push(r));
  try {
    await page.goto(`${env.server.origin}/`);
    await page.locator('#verdict').waitFor();
    await page.waitForTimeout(300);
    let total = 0;
    for (const r of finished) {
      const path = new URL(r.url()).pathname.slice(1) || 'index.html';
      const response = await r.response();
      assert.equal(response.headers()['content-encoding'], 'gzip', `${path} was not sent compressed`);
      const { responseBodySize } = await r.sizes();
      assert.equal(responseBodySize, statSync(join(DIST, `${path}.gz`)).size, `${path}: not the shipped .gz`);
      total += responseBodySize;
    }
    assert.ok(finished.some((r) => r.url().endsWith('_bg.wasm')), 'the app was loaded');
    // Decompressed by the browser into a working page: less than the files themselves.
    const raw = finished.reduce((n, r) => n + statSync(join(DIST, new URL(r.url()).pathname.slice(1) || 'index.html')).size, 0);
    assert.ok(total < raw / 2, `${total} B sent for ${raw} B of files`);
  } finally {
    await context.close();
  }
});

test('pasting another experiment shows the uplift the engine computes', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const csv = 'arm;visitors;purchases;revenue\r\nA;12.000;300;24.000,50\r\nB;11.900;351;29.100,00\r\n';
    const expected = engine(csv);
    const rel = expected.metrics.conversion_rate.variants[1].vs_control.relative;
    await page.locator('#data-input').fill(csv);
    const uplift = formatSignedPercent(rel);
    await page.waitForFunction(
      (u) => document.querySelector('#conversion-table tbody tr:nth-child(2) td.uplift')?.textContent.trim() === u,
      uplift,
    );
    assert.equal(await cell(page, 'conversion-table', 'B', 'uplift'), uplift);
    const p = expected.metrics.conversion_rate.variants[1].vs_control.p_value;
    assert.equal(await cell(page, 'conversion-table', 'B', 'p'), p < 0.001 ? '< 0.001' : p.toFixed(3));
    assert.match(await page.locator('#data-ok').innerText(), /Read 2 aggregated rows: 2 variants, control “A”/);
    await screenshot(page, 'pasted');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith(env.server.origin + '/')), []);
  } finally {
    await context.close();
  }
});

test('a malformed paste is explained and the last good results stay', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const before = await page.locator('#verdict').innerText();
    await page.locator('#data-input').fill('variant,users,conversions\ncontrol,1000,20\npersonalized,lots,26\n');
    const error = page.locator('#data-error');
    await error.waitFor();
    const msg = await error.innerText();
    assert.match(msg, /Line 3, column 'users': "lots" is not a number/);
    assert.match(msg, /results \(step 3\) still show the last data that could be analysed/);
    assert.equal(await page.locator('#verdict').innerText(), before);
    // The results say they are the previous data's, and look it.
    const stale = () => page.locator('.summary-body').evaluate((el) => ({
      banner: getComputedStyle(el, '::before').content,
      opacity: Number(getComputedStyle(el.querySelector('#verdict')).opacity),
    }));
    let look = await stale();
    assert.match(look.banner, /Previous results: the current data or inputs cannot be analysed yet/);
    assert.ok(look.opacity < 0.6, `the stale verdict is dimmed: ${look.opacity}`);
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), '+30.0%');
    await screenshot(page, 'malformed');
    // Fixing the paste recovers.
    await page.locator('#data-input').fill('variant,users,conversions\ncontrol,1000,20\npersonalized,1000,30\n');
    await page.waitForFunction(() => !document.querySelector('#data-error'));
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), '+50.0%');
    look = await stale();
    assert.equal(look.banner, 'none');
    assert.equal(look.opacity, 1);
    // Rubbish that is not CSV at all never crashes the page.
    for (const junk of ['', '\u0000\u0001\u0002', 'variant\n', 'a,b\n1,2\n', 'variant,users\nA,0\nB,0\n']) {
      await page.locator('#data-input').fill(junk);
      await page.locator('#data-error').waitFor();
    }
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), '+50.0%');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('editing costs recomputes ROI at once; a negative cost is refused', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const amount = page.getByLabel('Amount of cost line 2');
    await amount.fill('90000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$174,000');
    const roiAfter = await page.locator('#roi').innerText();
    await amount.fill('-5');
    const err = page.locator('#inputs-error');
    await err.waitFor();
    assert.match(await err.innerText(), /Cost line 2 .* cannot be negative/);
    assert.equal(await page.locator('#total-cost').innerText(), '$174,000');
    assert.equal(await page.locator('#roi').innerText(), roiAfter);
    await amount.fill('30000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$114,000');
    // Remove a line, then undo.
    await page.getByRole('button', { name: /Remove cost line 4/ }).click();
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$108,000');
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$114,000');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a large paste is analysed and previewed, not laid out whole', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    let csv = 'user_id,variant,converted,revenue\n';
    for (let i = 0; i < 100_000; i++) {
      const b = i % 2;
      const conv = (i * 7919) % 100 < (b ? 6 : 5) ? 1 : 0;
      csv += `${i},${b ? 'personalized' : 'control'},${conv},${conv ? 25 : 0}\n`;
    }
    const want = engine(csv).metrics.conversion_rate.variants[1].vs_control.relative;
    await page.evaluate((text) => {
      const area = document.querySelector('#data-input');
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, csv);
    await page.waitForFunction(() => document.querySelector('#data-ok')?.textContent.includes('100,000 user rows'));
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), formatSignedPercent(want));
    const area = page.locator('#data-input');
    assert.match(await area.inputValue(), /99,961 more lines \(2\.\d MB\) are loaded but not shown/);
    assert.equal(await area.getAttribute('readonly') !== null || (await area.evaluate((e) => e.readOnly)), true);
    // Clear empties it and says what to do next.
    await page.locator('#clear-data').click();
    await page.locator('#data-error').waitFor();
    assert.match(await page.locator('#data-error').innerText(), /The data is empty/);
    assert.equal(await cell(page, 'conversion-table', 'personalized', 'uplift'), formatSignedPercent(want));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
