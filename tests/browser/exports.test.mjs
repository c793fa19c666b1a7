// Results people can take away: every chart downloads as SVG and PNG, every
// results table as CSV, all made in the page (no request leaves the origin);
// the forest plot, value and cost charts on the demo, the posterior with the
// Bayesian method, and hostile variant names drawn as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, useBrowser, openApp, screenshot, showCharts, showInvestmentDetails, showSettings } from './harness.mjs';

const env = useBrowser();
const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
const DEMO = `variant,users,conversions,orders,revenue,revenue_sq,orders_sq,revenue_x_orders
control,24000,480,516,41280,5640000,590,48300
personalized,24000,624,680,56440,7905000,782,66900
`;

/** What the engine's CLI says about some CSV (the oracle for the page). */
function engine(csv) {
  const dir = mkdtempSync(join(tmpdir(), 'uplift-exports-'));
  const file = join(dir, 'data.csv');
  writeFileSync(file, csv);
  return JSON.parse(execFileSync(CLI, ['analyze', file], { encoding: 'utf8' }));
}

/** Click a button and return the downloaded file's name and bytes. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** Parse an SVG document with the browser's XML parser: root name and text. */
function parseSvg(page, text) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return null;
    return { root: doc.documentElement.nodeName, text: doc.documentElement.textContent };
  }, text);
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF). */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  assert.equal(field, '', 'the last record ends with CRLF');
  return records;
}

const offOrigin = (requests, origin) =>
  requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith(`blob:${origin}/`) && !u.startsWith('data:'));


test('every chart downloads as SVG and PNG, made in the page', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await showCharts(page);
    for (const id of ['forest-chart', 'aov-chart', 'clv-chart', 'cost-chart']) {
      await page.locator(`#${id} svg`).waitFor();
    }
    const forest = await page.locator('#forest-chart svg').textContent();
    for (const label of ['Conversion rate', 'personalized: +30.0% (+', 'Revenue per user', 'Average order value']) {
      assert.ok(forest.includes(label), `forest plot lacks “${label}”`);
    }
    assert.match(await page.locator('#forest-chart figcaption').innerText(), /Conversion rate, personalized: \+30\.0% \(\+/);
    const ids = await page.locator('figure.chart').evaluateAll((fs) => fs.map((f) => f.id));
    assert.deepEqual(
      [...ids].sort(),
      ['aov-chart', 'cashflow-chart', 'clv-chart', 'conversion-chart', 'cost-chart', 'forest-chart', 'roi-chart', 'tornado-chart'],
    );
    const namesIn = { 'forest-chart': ['personalized'], 'conversion-chart': ['control', 'personalized'], 'aov-chart': ['control', 'personalized'], 'clv-chart': ['control', 'personalized'], 'cost-chart': ['Technology & infrastructure'] };
    for (const id of ids) {
      const figure = page.locator(`#${id}`);
      const svgButton = figure.getByRole('button', { name: /^Download the .+ as SVG$/ });
      const pngButton = figure.getByRole('button', { name: /^Download the .+ as PNG$/ });
      const svg = await download(page, svgButton);
      assert.equal(svg.name, `uplift-roi-${id}.svg`);
      const text = svg.bytes.toString('utf8');
      const parsed = await parseSvg(page, text);
      assert.equal(parsed?.root, 'svg', `${id}: the SVG file does not parse`);
      // The file is the chart on the page.
      assert.equal(parsed.text, await figure.locator('svg').textContent(), id);
      for (const name of namesIn[id] ?? []) assert.ok(parsed.text.includes(name), `${id}: “${name}” missing`);

      const png = await download(page, pngButton);
      assert.equal(png.name, `uplift-roi-${id}.png`);
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${id}: not a PNG`);
      // IHDR: width and height at twice the SVG's size.
      const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
      const svgWidth = Number(/<svg[^>]*\swidth="(\d+)"/.exec(text)?.[1]);
      assert.equal(width, svgWidth * 2, `${id}: PNG ${width}×${height}`);
      assert.ok(height > 0 && png.bytes.length > 5000, `${id}: PNG ${width}×${height}, ${png.bytes.length} bytes`);
      if (id === 'forest-chart') writeFileSync(join(ARTIFACTS, 'export-forest.png'), png.bytes);
    }
    // Named for screen readers by what they save.
    assert.equal(await page.getByRole('button', { name: 'Download the conversion chart as SVG' }).count(), 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests, env.server.origin), [], 'a request left the origin');
  } finally {
    await context.close();
  }
});

test('every results table downloads as CSV with the numbers it shows', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const expected = engine(DEMO);
    const rel = expected.metrics.conversion_rate.variants[1].vs_control.relative;
    const uplift = `+${(rel * 100).toFixed(1)}%`;
    assert.equal(uplift, '+30.0%');
    const shown = (await page.locator('#conversion-table tbody tr:nth-child(2) td.uplift').innerText()).trim();
    assert.equal(shown, uplift);

    const csv = await download(page, page.getByRole('button', { name: 'Download the conversion rate table as CSV' }));
    assert.equal(csv.name, 'uplift-roi-conversion-table.csv');
    const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
    const rows = parseCsv(text);
    assert.equal(rows[0][0], 'Variant');
    assert.equal(rows[0][3], 'Uplift vs control');
    const personalized = rows.find((r) => r[0] === 'personalized');
    assert.equal(personalized?.[3], shown, text);
    assert.equal(personalized?.[1], '24,000');
    assert.ok(rows.every((r) => r.length === rows[0].length), text);

    // Every results table has its button, and each file parses with the table's shape
    // (the investment case's tables come with the tools module, once the charts are on their way).
    await showInvestmentDetails(page);
    const tables = await page.locator('#results table.data-table').evaluateAll((ts) => ts.map((t) => [t.id, t.rows.length]));
    assert.ok(tables.length >= 7, JSON.stringify(tables));
    for (const [id, rowCount] of tables) {
      const button = page.locator(`#${id}`).locator('xpath=ancestor::div[contains(@class, "table-wrap")]/following-sibling::div[1]').getByRole('button', { name: /as CSV$/ });
      const file = await download(page, button);
      assert.equal(file.name, `uplift-roi-${id}.csv`);
      const records = parseCsv(file.bytes.toString('utf8').replace(/^\uFEFF/, ''));
      assert.equal(records.length, rowCount, id);
    }
    const cost = parseCsv((await download(page, page.getByRole('button', { name: 'Download the cost table as CSV' }))).bytes.toString('utf8').replace(/^\uFEFF/, ''));
    assert.deepEqual(cost.at(-1), ['Total', await page.locator('#total-cost').innerText()]);
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests, env.server.origin), []);
  } finally {
    await context.close();
  }
});

test('charts that cannot be downloaded leave their text, say so, and are drawn on a retry', async () => {
  const { context, page, errors, requests } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // Both the glue and the WebAssembly fail: a browser keeps a failed
    // module import, so a retry must ask for the files afresh.
    await context.route(/\/charts(\.js|_bg\.wasm)/, (route) => route.abort());
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    const message = page.locator('#forest-chart .chart-missing');
    await message.waitFor();
    assert.match(await message.innerText(), /chart could not be downloaded; its figures are in the text below/);
    // Every chart keeps its text alternative; nothing else on the page is lost.
    assert.match(await page.locator('#forest-chart figcaption').innerText(), /Conversion rate, personalized: \+30\.0%/);
    assert.equal(await page.locator('figure.chart svg').count(), 0);
    assert.match(await page.locator('#verdict').innerText(), /lifts revenue per user by 36\.7%/);
    // A failure is not retried by itself while the reader scrolls: no
    // stream of failing downloads, and the button stays put.
    const chartFetches = () => requests.filter((u) => /\/charts(\.js|_bg\.wasm)/.test(u)).length;
    const fetched = chartFetches();
    await page.locator('#tornado-chart').scrollIntoViewIfNeeded();
    await page.locator('#conversion-chart').scrollIntoViewIfNeeded();
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    assert.equal(chartFetches(), fetched, 'the charts were asked for again without a click');
    await context.unroute(/\/charts(\.js|_bg\.wasm)/);
    await message.getByRole('button', { name: 'Try again to download the uplift forest plot' }).click();
    // The keyboard focus stays with the chart while the button is gone.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'forest-chart');
    await page.locator('#forest-chart svg').waitFor();
    assert.equal(await page.locator('.chart-missing').count(), 0);
    assert.equal(await page.locator('figure.chart svg').count(), await page.locator('figure.chart').count());
    assert.deepEqual(errors.filter((e) => !/charts(\.js|_bg\.wasm)|Failed to fetch|dynamically imported module|net::ERR_FAILED|WebAssembly/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('the conversion chart follows the confidence level even when the rounded figures stay the same', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await showCharts(page);
    // 500 million users a side: the intervals at 95% and 99% round to the
    // same two decimals, so only the chart's title and bars tell them apart.
    await page.locator('#data-input').fill('variant,users,conversions\ncontrol,500000000,10000000\npersonalized,500000000,13000000\n');
    await page.waitForFunction(() => document.querySelector('#conversion-chart figcaption')?.textContent.includes('control: 2.00% (2.00% to 2.00%)'));
    const title = () => page.locator('#conversion-chart svg').textContent();
    await page.waitForFunction(() => document.querySelector('#conversion-chart svg')?.textContent.includes('95% confidence'));
    const caption = await page.locator('#conversion-chart figcaption').innerText();
    await showSettings(page);
    await page.locator('#confidence').selectOption('0.99');
    await page.waitForFunction(() => document.querySelector('#conversion-chart svg')?.textContent.includes('99% confidence'));
    assert.match(await title(), /99% confidence intervals/);
    assert.equal(await page.locator('#conversion-chart figcaption').innerText(), caption, 'the caption is unchanged');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a charts module from another version of the page says to reload, and draws nothing wrong', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // The loader of a page from another build: the same module, asked with
    // another report format (what a tab open across a deploy would send).
    await context.route('**/charts-loader.js', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: `self.upliftCharts = { start: async () => {
        const glue = await import('./charts.js');
        await glue.default({ module_or_path: new URL('./charts_bg.wasm', import.meta.url) });
        return (kind, report) => glue.chart_svg(kind, report, '0000000000000000');
      } };`,
    }));
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    const message = page.locator('#forest-chart .chart-missing');
    await message.waitFor();
    assert.match(await message.innerText(), /could not be drawn: this page was updated while it was open; reload it to see the charts/);
    assert.equal(await page.locator('figure.chart svg').count(), 0);
    assert.match(await page.locator('#forest-chart figcaption').innerText(), /personalized: \+30\.0%/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a charts module that stops says so in words, and the page goes on', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // A drawing function that fails as a stopped WebAssembly module does.
    await context.route('**/charts-loader.js', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: `self.upliftCharts = { start: async () => () => { throw new WebAssembly.RuntimeError('unreachable'); } };`,
    }));
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    const message = page.locator('#forest-chart .chart-missing');
    await message.waitFor();
    assert.match(await message.innerText(), /could not be drawn: it stopped unexpectedly; reload the page to start it again/);
    assert.doesNotMatch(await message.innerText(), /unreachable/);
    // The rest of the page still works: an edit still recomputes.
    await page.getByLabel('Amount of cost line 2').fill('40000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$124,000');
    assert.equal(await page.locator('#panic-notice').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the Bayesian method shows the posterior of the lift', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    assert.equal(await page.locator('#posterior-chart').count(), 0);
    await showSettings(page);
    await page.locator('#method-bayesian').check();
    // Charts are drawn when they come near the screen, as a reader scrolls.
    await page.locator('#posterior-chart').scrollIntoViewIfNeeded();
    const svg = page.locator('#posterior-chart svg');
    await svg.waitFor();
    const chance = (await page.locator('#conversion-table tbody tr:nth-child(2) td.p').innerText()).trim();
    const text = await svg.textContent();
    assert.ok(text.includes(`personalized: ${chance} chance to beat control`), `${chance} not in ${text}`);
    assert.ok(text.includes('Posterior of the conversion rate lift'));
    assert.match(await page.locator('#posterior-chart figcaption').innerText(), /credible interval/);
    assert.equal(await svg.locator('polygon').count(), 1, 'the part above 0 is shaded');
    await page.locator('#posterior-chart').screenshot({ path: join(ARTIFACTS, 'export-posterior.png') });
    const file = await download(page, page.getByRole('button', { name: 'Download the posterior chart as SVG' }));
    assert.equal((await parseSvg(page, file.bytes.toString('utf8')))?.root, 'svg');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests, env.server.origin), []);
  } finally {
    await context.close();
  }
});

test('a hostile variant name is drawn as text, never run', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  try {
    const hostile = '</svg><script>alert(1)</script><img src=x onerror=alert(1)>';
    await showCharts(page);
    await page.locator('#data-input').fill(DEMO.replace('personalized', hostile));
    // Table cells hold the whole name, as text.
    await page.waitForFunction((h) => [...document.querySelectorAll('#conversion-table th')].some((th) => th.textContent === h), hostile);
    // The charts cut long names short ("…"); the start is there, as text.
    for (const id of ['forest-chart', 'conversion-chart', 'aov-chart', 'clv-chart']) {
      const figure = page.locator(`#${id} .chart-svg`);
      await page.waitForFunction((i) => document.querySelector(`#${i} svg`)?.textContent.includes('</svg><script>ale'), id);
      assert.equal(await figure.locator('svg').count(), 1, `${id}: the SVG was split`);
      assert.equal(await figure.locator('script, img').count(), 0, `${id}: markup from the name`);
      assert.ok((await page.locator(`#${id} figcaption`).innerText()).includes(hostile), `${id}: the caption keeps the whole name`);
    }
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('charts at 360 and 1440 px', async () => {
  for (const width of [360, 1440]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width, height: 900 });
    try {
      await showCharts(page);
      // No chart or button row is wider than the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${width}px: page scrolls sideways by ${overflow}px`);
      await screenshot(page, `exports-${width}`);
      for (const id of ['forest-chart', 'aov-chart', 'cost-chart']) {
        await page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, `exports-${width}-${id}.png`) });
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('names that a spreadsheet would run as formulas leave every CSV export as text', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  // OWASP's CSV-injection payloads as arm names (the CSV quoting doubles
  // the quotes inside them).
  const payloads = [
    "-1+1+cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    '-2+3+HYPERLINK("http://evil","x")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
  ];
  const quote = (s) => `"${s.replace(/"/g, '""')}"`;
  const data = ['variant,users,conversions,orders,revenue,revenue_sq', 'control,24000,480,516,41280,5640000',
    ...payloads.map((p, i) => `${quote(p)},24000,${500 + 30 * i},${530 + 30 * i},${42000 + 900 * i},${5700000 + 90000 * i}`)].join('\n');
  try {
    await page.locator('#data-input').fill(data);
    await page.locator('#conversion-table tbody tr:nth-child(5)').waitFor();
    await showInvestmentDetails(page);
    const tables = await page.locator('#results table.data-table').evaluateAll((ts) => ts.map((t) => t.id));
    assert.ok(tables.length >= 5, tables.join());
    const formulaStart = /^[=+\-−@\t\r]/;
    const wholeNumber = /^[+\-−]?[$€£¥]?\d[\d,.'\u00a0\u202f ]*(%|pp| ?[$€£¥])?$/;
    let named = 0;
    for (const id of tables) {
      const button = page.locator(`#${id}`).locator('xpath=ancestor::div[contains(@class, "table-wrap")]/following-sibling::div[1]').getByRole('button', { name: /as CSV$/ });
      const records = parseCsv((await download(page, button)).bytes.toString('utf8').replace(/^\uFEFF/, ''));
      for (const cell of records.flat()) {
        assert.ok(!formulaStart.test(cell) || wholeNumber.test(cell), `${id}: ${JSON.stringify(cell)} would run as a formula`);
      }
      named += records.flat().filter((c) => payloads.some((p) => c === `'${p}`)).length;
    }
    assert.ok(named >= payloads.length, `the payloads are in the exports, kept as text (${named})`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
