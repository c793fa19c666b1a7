// The summary a budget owner reads: the decision first, in the Metrics
// view's words; no ROI from a metric nobody has valued; every arm of a
// three-arm test, with the control asked for; results of the previous data
// marked; the page's end at 1,440 px; dark charts on a dark phone; and the
// segments a share link carries. Files are loaded through the file input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();
const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
const SURVEY = join(tmpdir(), 'survey_sim.csv');
const PROMOTIONS = join(tmpdir(), 'promotions_sim.csv');

before(() => {
  for (const [name, out] of [['survey_sim', SURVEY], ['promotions_sim', PROMOTIONS]]) {
    writeFileSync(out, gunzipSync(readFileSync(join(ROOT, 'tests', 'data', `${name}.csv.gz`))));
  }
});

const offOrigin = (requests) => requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
const text = (page, sel) => page.locator(sel).innerText();
/** The page's whole-percent ROI, as `format::percent(x, 0)` writes it. */
const percent = (x) => `${x < 0 ? '-' : ''}${Math.round(Math.abs(x) * 100).toLocaleString('en-US')}%`;

test('a survey answer is not money: the page asks what one "yes" is worth before it shows an ROI', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.setInputFiles('#data-file', SURVEY);
    await page.locator('#data-ok:has-text("4,000")').waitFor();
    // The verdict leads with the decision, then asks; no ROI anywhere.
    await page.locator('#verdict:has-text("What is one yes worth?")').waitFor();
    const asked = await text(page, '#verdict');
    assert.match(asked, /^Keep running: yes has not changed significantly yet\. Compared with control, exposed lifts yes by /);
    assert.doesNotMatch(asked, /ROI (is|would be)/);
    assert.match(asked, /What is one yes worth\? Say it below to see the ROI\./);
    for (const id of ['#key-roi', '#key-payback', '#key-chance']) assert.equal(await text(page, id), '—', id);
    const field = page.locator('#metric-value');
    await field.waitFor();
    assert.match(await text(page, 'label[for="metric-value"]'), /What is one yes worth\?/);
    await screenshot(page, 'headline-survey-asks');
    // A value that is not an amount is refused in words, nothing changes.
    await field.fill('lots');
    await field.press('Tab');
    assert.match(await text(page, '#metric-value-error'), /“lots” is not an amount/);
    assert.match(await text(page, '#verdict'), /What is one yes worth\?/);
    // Typed: the ROI is the engine's for the same value, stated as
    // conditional because the lift is not clear yet.
    await field.fill('2.5');
    await field.press('Tab');
    await page.locator('#verdict:has-text("If the observed lift holds")').waitFor();
    const cli = JSON.parse(execFileSync(CLI, ['analyze', SURVEY, '--metric-value', '2.5'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    assert.equal(await text(page, '#key-roi'), percent(cli.investment.roi));
    assert.match(await text(page, '#verdict'), new RegExp(`ROI would be ${percent(cli.investment.roi)} over 12 months`));
    assert.match(await text(page, '#verdict'), /the chance of a loss is/);
    assert.match(await text(page, '#verdict'), /Assumed: margin, reach, costs\.$/);
    // The benefit line names the metric.
    assert.match(await page.locator('#investment-case .method-note', { hasText: 'Benefits per month' }).innerText(), /% on yes\), /);
    // Or the demo's order value, confirmed: then it is listed as assumed.
    await field.fill('');
    await field.press('Tab');
    await page.locator('#use-order-value').click();
    await page.locator('#verdict:has-text("Assumed: order value, margin, reach, costs.")').waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});

test("the verdict's first words are the Metrics view's decision", async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.setInputFiles('#data-file', SURVEY);
    await page.locator('#decision .decision-outcome').waitFor({ timeout: 30_000 });
    const outcome = (await text(page, '#decision .decision-outcome strong')).trim();
    assert.equal(outcome, 'Keep running');
    assert.ok((await text(page, '#verdict')).startsWith(`${outcome}:`));
    assert.equal(await text(page, '#key-decision'), outcome);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('three arms: the control is asked for, every arm is in the summary, and the segment table names its arm', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    // A public export whose arms neither a header nor a value names
    // (class types 1, 2, 3): the column step asks, and meanwhile the
    // results are the demo's, marked as previous.
    await page.setInputFiles('#data-file', join(ROOT, 'tests', 'data', 'exports_heads', 'qss_star.csv'));
    await page.locator('#column-mapping').waitFor();
    const banner = await page.locator('.summary-body').evaluate((el) => getComputedStyle(el, '::before').content);
    assert.match(banner, /Previous results/);
    assert.match(await text(page, '#column-mapping'), /classtype: 3 whole-number codes \(1, 2, 3\), a breakdown rather than a metric/);
    await screenshot(page, 'headline-stale-column-step');
    // "Promotion" is no name the reader knows, but a header of an
    // experiment's arms with three values: taken as the variant at once,
    // the step showing why.
    await page.setInputFiles('#data-file', PROMOTIONS);
    await page.locator('#column-mapping:has-text("Promotion: 3 values (1, 2, 3), and the header names an experiment\'s arms")').waitFor();
    // No arm is named like a control: the verdict asks which one is.
    await page.locator('#verdict:has-text("Which arm is the control?")').waitFor();
    assert.match(await text(page, '#verdict'), /No name says so \(Promotion 3 is first in the file\)/);
    assert.equal(await page.locator('#key-roi').count(), 0, 'no figures before the control is known');
    await page.locator('#control-question').selectOption('1');
    await page.locator('#every-arm').waitFor();
    const arms = await page.locator('#every-arm li').allInnerTexts();
    assert.equal(arms.length, 2, arms.join(' | '));
    assert.match(arms[0], /^Promotion 3: SalesInThousands [+−]/);
    assert.match(arms[1], /^Promotion 2: SalesInThousands −\d+\.\d% \(.*\), don't ship$/);
    assert.match(await text(page, '#every-arm'), /Every arm against Promotion 1 on SalesInThousands/);
    // The arm the money rests on is a choice, the best one marked.
    const options = await page.locator('#treatment-arm option').allInnerTexts();
    assert.equal(options.length, 2);
    assert.ok(options.some((o) => /\(best arm\)$/.test(o)), options.join(' | '));
    await page.locator('#treatment-arm').selectOption('2');
    await page.locator('#verdict:has-text("Don\'t ship Promotion 2")').waitFor();
    assert.match(await text(page, '#verdict'), /^Don't ship Promotion 2: SalesInThousands is worse \(p < 0\.05\)\. Compared with Promotion 1, Promotion 2 lowers SalesInThousands by /);
    assert.match(await text(page, '#verdict'), /What is one SalesInThousands worth\?/);
    // The segments split the chosen arm against the control, and say so.
    await page.locator('#segment-column option[value="MarketSize"]').waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('#segment-column').selectOption('MarketSize');
    await page.locator('#segment-table').waitFor({ timeout: 30_000 });
    assert.match(await text(page, '#segment-table caption'), /^Uplift of Promotion 2 over Promotion 1 on SalesInThousands by MarketSize$/);
    await screenshot(page, 'headline-three-arms');
    // A link with the rows carries the arms and the segments: a fresh
    // browser shows the same segment table.
    const rows = await page.locator('#segment-table tbody').innerText();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
    assert.match(await text(page, '#share-segments-note'), /not the segments by MarketSize/);
    await page.locator('#share-rows').check();
    assert.equal(await page.locator('#share-segments-note').count(), 0);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.waitForFunction(() => location.hash.includes('z=') || location.hash.includes('s='));
    const link = await page.evaluate(() => location.href);
    const other = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const fresh = await other.newPage();
      await fresh.goto(link);
      await fresh.locator('#segment-table').waitFor({ timeout: 30_000 });
      assert.equal(await fresh.locator('#segment-table tbody').innerText(), rows);
      assert.equal(await fresh.locator('#segment-column').inputValue(), 'MarketSize');
      assert.equal(await fresh.locator('#verdict').innerText(), await text(page, '#verdict'));
    } finally {
      await other.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('at 1,440 px the page ends with its content and the summary stays in view', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(200);
    const end = await page.evaluate(() => {
      const footer = document.querySelector('.site-footer').getBoundingClientRect();
      const verdict = document.querySelector('#verdict').getBoundingClientRect();
      return { footerBottom: footer.bottom, height: innerHeight, verdictTop: verdict.top, verdictBottom: verdict.bottom };
    });
    // The footer is the last thing on screen: no blank screen below it.
    assert.ok(end.footerBottom <= end.height + 1 && end.footerBottom > end.height - 40, JSON.stringify(end));
    assert.ok(end.verdictTop >= 0 && end.verdictBottom <= end.height, `the verdict stays in view: ${JSON.stringify(end)}`);
    await screenshot(page, 'headline-1440-end');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a 390 px phone in dark mode no chart is lighter than the page', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${env.server.origin}/`);
    await page.waitForSelector('#verdict');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const ids = await page.locator('figure.chart').evaluateAll((fs) => fs.map((f) => f.id));
    assert.ok(ids.length >= 4, ids.join());
    for (const id of ids) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.locator(`#${id} svg`).waitFor({ timeout: 30_000 });
      const png = await page.locator(`#${id} svg`).screenshot();
      // The chart as the eye sees it: its mean luminance, read back from
      // the screenshot in the page's own canvas.
      const lum = await page.evaluate(async ([data, bg]) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < px.length; i += 4) sum += 0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2];
        const [r, gg, b] = bg.match(/\d+/g).map(Number);
        return { chart: sum / (px.length / 4), page: 0.2126 * r + 0.7152 * gg + 0.0722 * b };
      }, [png.toString('base64'), background]);
      // Lines and labels are light on a dark chart; the chart as a whole
      // stays close to the page's darkness, far from a white box (255).
      assert.ok(lum.chart < lum.page + 40, `${id}: chart ${lum.chart.toFixed(0)} vs page ${lum.page.toFixed(0)}`);
    }
    await page.locator('#forest-chart').scrollIntoViewIfNeeded();
    await screenshot(page, 'headline-390-dark-charts');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every cost field keeps its width and a visible label, and every "?" opens fully on screen', async () => {
  for (const [width, height] of [[1440, 900], [768, 1024], [390, 844]]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width, height });
    try {
      // Each cost line's fields show their whole value and say what they are.
      const fields = await page.locator('.cost-table tbody tr').first().locator('td').evaluateAll((tds) =>
        tds.map((td) => {
          const field = td.querySelector('input, select');
          const label = getComputedStyle(td, '::before').content;
          return { kind: field?.className || field?.tagName, width: field?.getBoundingClientRect().width ?? 0, fits: field ? field.scrollWidth <= field.clientWidth + 1 : true, label };
        }));
      for (const f of fields.filter((f) => f.kind && f.kind !== 'BUTTON')) {
        assert.ok(f.width >= 90, `${width}px: ${JSON.stringify(f)}`);
      }
      const amount = fields.find((f) => f.kind === 'cost-amount');
      assert.ok(amount.fits, `${width}px: the amount is cut: ${JSON.stringify(amount)}`);
      const headerShown = await page.locator('.cost-table thead').isVisible();
      if (!headerShown) {
        assert.deepEqual(fields.slice(2, 5).map((f) => f.label), ['"Amount ($)"', '"Paid"', '"From month"']);
      }
      // A term's explanation opens on screen and on top of everything, its
      // four corners the tip's own.
      const clipped = [];
      const buttons = page.locator('#overview .term-info:visible, #investment-case .term-info:visible');
      const n = await buttons.count();
      assert.ok(n >= 3, `${width}px: ${n} terms`);
      for (let i = 0; i < n; i += 1) {
        const b = buttons.nth(i);
        await b.scrollIntoViewIfNeeded();
        await b.focus();
        const seen = await b.evaluate((el) => {
          const tip = el.nextElementSibling;
          const t = tip.getBoundingClientRect();
          const corners = [[t.left + 8, t.top + 8], [t.right - 8, t.top + 8], [t.left + 8, t.bottom - 8], [t.right - 8, t.bottom - 8]];
          return { name: el.getAttribute('aria-label'), ok: corners.every(([x, y]) => tip.contains(document.elementFromPoint(x, y))) };
        });
        if (!seen.ok) clipped.push(seen.name);
      }
      assert.deepEqual(clipped, [], `${width}px`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('on a phone, loading the demo or a sample brings the verdict into view', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 390, height: 844 });
  try {
    const inView = () => page.locator('#verdict').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < innerHeight;
    });
    await page.getByRole('button', { name: 'Load demo data' }).scrollIntoViewIfNeeded();
    assert.equal(await inView(), false, 'the button is below the verdict');
    await page.getByRole('button', { name: 'Load demo data' }).click();
    await page.waitForFunction(() => { const r = document.querySelector('#verdict').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
    await page.locator('#sample-select').scrollIntoViewIfNeeded();
    assert.equal(await inView(), false);
    await page.locator('#sample-select').selectOption({ index: 1 });
    await page.waitForFunction(() => { const r = document.querySelector('#verdict').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"1,200" typed into every number field of the investment is 1,200 in English and 1.2 in German', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    // Every leaf of the saved scenario that differs between two saves.
    const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem('uplift-roi:scenario')));
    const leaves = (o, path = '') => (o !== null && typeof o === 'object'
      ? Object.entries(o).flatMap(([k, v]) => leaves(v, `${path}.${k}`))
      : [[path, o]]);
    const changed = (a, b) => {
      const before = new Map(leaves(a));
      return leaves(b).filter(([p, v]) => before.get(p) !== v);
    };
    // Turn every benefit on, so all their fields are there.
    for (const box of await page.locator('#investment input[type=checkbox]').all()) {
      if (!(await box.isChecked())) await box.check();
    }
    const fields = await page.locator('#investment input[inputmode=decimal]:visible').evaluateAll((inputs) => inputs.map((i) => i.id || i.getAttribute('aria-label')));
    assert.ok(fields.length >= 12, fields.join());
    for (const [locale, expected] of [['en-US', 1200], ['de-DE', 1.2]]) {
      await page.locator('#locale-select').selectOption(locale);
      for (const name of fields) {
        const field = page.locator(name.includes(' ') ? `#investment input[aria-label="${name}"]` : `#${name}`);
        // From another value, so a field already at 1 still changes.
        await field.fill('7');
        await field.blur();
        await page.waitForTimeout(50);
        const before = await saved();
        await field.fill('1,200');
        await field.blur();
        await page.waitForTimeout(50);
        const diff = changed(before, await saved());
        // A percentage field holds its fraction (1,200% is 12); a field with
        // a ceiling (years of retention) holds its ceiling, far above 1.2.
        const v = diff[0]?.[1];
        // A field of whole months or years rounds 1.2 to 1.
        const read = [expected, expected / 100].some((x) => Math.abs(v - x) < 1e-9)
          || (expected > 12 && v >= 12 && v < expected)
          || (expected < 12 && v === Math.round(expected));
        assert.ok(diff.length === 1 && read, `${locale} ${name}: ${JSON.stringify(diff)}`);
      }
      await page.reload();
      await page.waitForSelector('#verdict');
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.waitForSelector('#verdict');
      for (const box of await page.locator('#investment input[type=checkbox]').all()) {
        if (!(await box.isChecked())) await box.check();
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
