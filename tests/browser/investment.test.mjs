// The investment case as a budget owner uses it: benefits switched on and
// off with risk adjustments, and the simulated chance that ROI > 0 checked
// against the engine's CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, useBrowser, openApp, screenshot, showCharts, showInvestmentDetails, showSettings } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');

const env = useBrowser();

const text = (page, sel) => page.locator(sel).innerText();

test('savings and retention benefits add to the case, with risk adjustment', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    assert.equal(await text(page, '#total-benefit'), '$303,200');
    // Operational savings: (200,000 − 140,000 + 20,000) a year = 80,000 over 12 months.
    await page.getByLabel('Operational savings').check();
    await page.waitForFunction(() => document.querySelector('#total-benefit')?.textContent === '$383,200');
    // A 25% risk adjustment on the savings leaves 60,000.
    await page.locator('#savings-risk').fill('25');
    await page.waitForFunction(() => document.querySelector('#total-benefit')?.textContent === '$363,200');
    // Switching the uplift benefit off leaves only the savings.
    await page.getByLabel('Extra gross profit from the measured uplift').uncheck();
    await page.waitForFunction(() => document.querySelector('#total-benefit')?.textContent === '$60,000');
    await page.getByLabel('Extra gross profit from the measured uplift').check();
    await page.getByLabel('Customer lifetime value from better retention').check();
    await page.locator('#retention-variant').waitFor();
    const before = await text(page, '#total-benefit');
    await page.locator('#retention-variant').fill('70');
    await page.waitForFunction((b) => document.querySelector('#total-benefit')?.textContent !== b, before);
    // A retention rate above 100% is refused in words; the results stay.
    const kept = await text(page, '#total-benefit');
    await page.locator('#retention-variant').fill('140');
    await page.locator('#inputs-error').waitFor();
    assert.match(await text(page, '#inputs-error'), /Retention with personalization must be between 0% and 100%/);
    assert.equal(await text(page, '#total-benefit'), kept);
    await screenshot(page, 'investment-benefits');
    // TEI mode: the headline ROI becomes NPV / PV(costs), as in the TEI table.
    await page.locator('#retention-variant').fill('70');
    await page.getByLabel(/Forrester TEI form/).check();
    await page.locator('dt', { hasText: 'ROI (TEI)' }).waitFor();
    await showInvestmentDetails(page);
    const teiNote = await page.locator('.table-wrap:has(#tei-table) + .export-buttons + p').innerText();
    const teiRoi = teiNote.match(/ROI = NPV \/ PV\(costs\) = (\d+%)/)[1];
    assert.equal(await text(page, '#roi'), teiRoi);
    assert.match(await text(page, '#verdict'), new RegExp(`ROI in TEI terms is ${teiRoi}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the chance that ROI > 0 and the ROI range are the engine\'s', async () => {
  const scenario = JSON.parse(execFileSync(CLI, ['demo-scenario'], { encoding: 'utf8' }));
  const dir = mkdtempSync(join(tmpdir(), 'uplift-'));
  writeFileSync(join(dir, 'data.csv'), scenario.data);
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));
  const report = JSON.parse(
    execFileSync(CLI, ['analyze', join(dir, 'data.csv'), '--scenario', join(dir, 'scenario.json')], { encoding: 'utf8' }),
  );
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const p = report.roi.probability_roi_positive;
    assert.equal(await text(page, '#chance-positive'), p > 0.999 ? '> 99.9%' : `${(p * 100).toFixed(1)}%`);
    const { p5, p95 } = report.roi.roi_percentiles;
    assert.equal(await text(page, '#roi-range'), `${Math.round(p5)}% to ${Math.round(p95)}%`);
    assert.equal(await text(page, '#break-even'), `+${(report.roi.break_even_relative_uplift * 100).toFixed(1)}%`);
    await showCharts(page);
    for (const id of ['#cashflow-chart svg', '#roi-chart svg', '#tornado-chart svg']) {
      await page.locator(id).waitFor();
    }
    assert.match(await page.locator('#roi-chart').textContent(), /ROI = 0/);
    assert.match(await page.locator('#cashflow-chart').textContent(), /Payback: month 2/);
    // The investment case's tables come with the tools module, after the charts.
    await page.locator('#scenario-table tbody tr').nth(2).waitFor();
    assert.equal(await page.locator('#scenario-table tbody tr').count(), 3);
    // Cost subtotals per category, and retention-based CLV with churn.
    const costs = await page.locator('#cost-table').innerText();
    assert.match(costs, /Development & implementation\s+\$30,000/);
    assert.match(costs, /People & operations\s+\$30,000/);
    assert.match(await text(page, '#retention-clv'), /60% retention \(40% churn\).*65% \(35% churn\).*Churn falls by 12\.5%/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('CLV from a transaction log: fitted in the page, equal to the CLI', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-clv').click();
    await page.locator('#clv-sample').click();
    const log = await page.locator('#clv-input').inputValue();
    assert.match(log, /^customer_id,date,amount,variant\n/);
    await page.locator('#clv-fit').click();
    await page.locator('#clv-table').waitFor({ timeout: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 'uplift-clv-'));
    writeFileSync(join(dir, 'log.csv'), log);
    const want = JSON.parse(execFileSync(CLI, ['clv', join(dir, 'log.csv')], { encoding: 'utf8' }));
    const money = (x) => `$${x.toFixed(2)}`;
    const cells = await page.locator('#clv-table td.clv-mean').allInnerTexts();
    assert.deepEqual(cells, want.by_variant.map((v) => money(v.mean_clv)));
    assert.match(await text(page, '#clv-summary'), /time unit: weeks/);
    assert.match(await text(page, '#clv-params'), new RegExp(`r = ${want.bgnbd.params.r.toFixed(4)}`));
    assert.match(await text(page, '#clv-uplift'), /CLV uplift of personalized over control/);
    // One purchase dated 9999-12-31 is left out and counted: the figures
    // are those of the log without it (before: $0 CLV in both arms).
    const small = log.split('\n').slice(0, 800);
    await page.locator('#clv-input').fill(small.join('\n') + '\n');
    await page.locator('#clv-fit').click();
    await page.locator('#clv-summary:not(:has-text("placeholder"))').waitFor({ timeout: 60_000 });
    await page.waitForFunction((c) => [...document.querySelectorAll('#clv-table td.clv-mean')].map((e) => e.innerText).join() !== c, cells.join());
    const without = await page.locator('#clv-table td.clv-mean').allInnerTexts();
    await page.locator('#clv-input').fill([...small, small[1].replace(/\d{4}-\d{2}-\d{2}/, '9999-12-31')].join('\n') + '\n');
    await page.locator('#clv-fit').click();
    await page.locator('#clv-summary:has-text("1 row(s) with a placeholder date")').waitFor({ timeout: 60_000 });
    assert.deepEqual(await page.locator('#clv-table td.clv-mean').allInnerTexts(), without);
    // A broken log is explained and the fitted results stay.
    await page.locator('#clv-input').fill('customer_id,date,amount\na,yesterday,5\n');
    await page.locator('#clv-fit').click();
    await page.locator('#clv-error').waitFor();
    assert.match(await text(page, '#clv-error'), /Line 2, column 'date': "yesterday" is not a date/);
    assert.deepEqual(await page.locator('#clv-table td.clv-mean').allInnerTexts(), without);
    await page.locator('#clv').screenshot({ path: join(ROOT, 'tests/browser/artifacts/clv.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('fitting 20,000 customers shows progress and the page keeps responding', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-clv').click();
    await page.locator('#clv-sample').click();
    const sample = await page.locator('#clv-input').inputValue();
    const [head, ...lines] = sample.trim().split('\n');
    let big = head + '\n';
    for (let k = 0; k < 10; k++) big += lines.map((l) => `r${k}_${l}`).join('\n') + '\n';
    await page.locator('#clv-input').evaluate((el, text) => {
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, big);
    // Watch the frames while the fit runs: if the fit blocked the page, one
    // gap between frames would span nearly the whole fit.
    await page.evaluate(() => {
      window.__gaps = { max: 0, start: performance.now() };
      let last = performance.now();
      const tick = (t) => {
        window.__gaps.max = Math.max(window.__gaps.max, t - last);
        last = t;
        if (!document.querySelector('#clv-summary')?.textContent.includes('20,000')) requestAnimationFrame(tick);
        else window.__gaps.total = t - window.__gaps.start;
      };
      requestAnimationFrame(tick);
    });
    await page.locator('#clv-fit').click();
    await page.locator('#clv-progress').waitFor();
    // While the fit runs, switch the statistics method: the page answers.
    await showSettings(page);
    await page.locator('label.segment', { hasText: 'Bayesian' }).click();
    await page.waitForFunction(() => document.querySelector('#conversion-table thead')?.textContent.includes('Chance to beat control'));
    await page.waitForFunction(() => document.querySelector('#clv-summary')?.textContent.includes('20,000 customers'), null, { timeout: 60_000 });
    await page.waitForFunction(() => window.__gaps.total !== undefined);
    const gaps = await page.evaluate(() => window.__gaps);
    assert.ok(gaps.max < 0.6 * gaps.total, `longest frame gap ${gaps.max.toFixed(0)} ms of a ${gaps.total.toFixed(0)} ms fit`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
