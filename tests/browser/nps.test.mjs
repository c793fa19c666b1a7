// A survey export loaded through the file input as a person would
// (tests/data/nps_survey.csv: a 0–10 "likelihood to recommend" question with
// skipped answers, a 1–5 CSAT score, a channel and free-text comments). The
// NPS question gets its own table in points, with the numbers of
// tests/reference/nps_fixture.json (numpy/scipy/statsmodels), and a stacked
// bar of promoters, passives and detractors per variant; the adjusted Wald
// interval is a choice that stays in the link. CSAT stays a mean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();
const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'tests', 'reference', 'nps_fixture.json'), 'utf8'));
const SURVEY = join(ROOT, 'tests', 'data', 'nps_survey.csv');

/** NPS points as the page writes them: 0.2358 → "+23.6" (signed) or "23.6". */
const points = (x, signed) => `${x < 0 ? '−' : signed && x > 0 ? '+' : ''}${(Math.abs(x) * 100).toFixed(1)}`;
const pValue = (p) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

async function row(page, variant) {
  const tr = page.locator('table.nps-table tbody tr', { has: page.locator(`th:text-is("${variant}")`) });
  const cell = async (c) => (await tr.locator(c).innerText()).trim();
  return { answers: await cell('td:nth-of-type(1)'), value: await cell('td.value'), uplift: await cell('td.uplift'), ci: await cell('td.ci'), p: await cell('td.p') };
}

test('a survey export: NPS per variant in points, its difference and interval equal numpy, with a stacked bar per variant', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', SURVEY);
    const table = page.locator('table.nps-table[data-metric="likelihood_to_recommend"]');
    await table.waitFor({ timeout: 30_000 });
    assert.match(await table.locator('caption').innerText(), /Net Promoter Score, in points/);
    const want = FIXTURE.survey;
    for (const [i, name] of want.variants.entries()) {
      const r = await row(page, name);
      const [answers] = want.counts[i];
      assert.equal(r.answers, answers.toLocaleString('en-US'), `${name} answers`);
      assert.equal(r.value, points(want.nps[i], false), `${name} NPS`);
      if (i === 0) {
        assert.equal(r.uplift, 'control');
        continue;
      }
      const arm = want.wald[i - 1];
      assert.equal(r.uplift, points(arm.difference, true), `${name} difference`);
      assert.equal(r.p, pValue(arm.p_value_holm), `${name} Holm p`);
      // No relative uplift anywhere in the NPS table.
      assert.doesNotMatch(await table.locator('tbody').innerText(), /%/);
    }
    // One stacked bar per variant, its shares in its accessible name.
    const bars = page.locator('.nps-bars .nps-bar');
    assert.equal(await bars.count(), 3);
    const [n, p, d] = want.counts[1];
    const pct = (k) => `${Math.round((k / n) * 100)}%`;
    assert.equal(await bars.nth(1).getAttribute('aria-label'), `recs_a: ${pct(d)} detractors, ${pct(n - p - d)} passives, ${pct(p)} promoters`);
    // CSAT (1–5) is a mean, in the ordinary table.
    await page.locator('table.metric-table[data-metric="csat"]').waitFor();
    assert.equal(await page.locator('table.nps-table[data-metric="csat"]').count(), 0);
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'nps-survey');

    // The adjusted Wald interval: the numbers change to the fixture's, and
    // the choice is in the scenario's link.
    await page.locator('#nps-interval-0, select[id^="nps-interval-"]').first().selectOption('adjusted');
    const adjusted = want.adjusted_wald[0];
    await page.locator('table.nps-table tbody tr', { has: page.locator('th:text-is("recs_a")') })
      .locator(`td.uplift:text-is("${points(adjusted.difference, true)}")`).waitFor({ timeout: 10_000 });
    assert.equal((await row(page, 'recs_a')).p, pValue(adjusted.p_value_holm));
    await page.locator('#copy-link').click();
    await page.waitForFunction(() => location.hash.length > 1);
    const hash = await page.evaluate(() => location.hash);
    const reopened = await context.newPage();
    await reopened.goto(`${env.server.origin}/${hash}`);
    await reopened.locator('table.nps-table').waitFor({ timeout: 30_000 });
    assert.equal(await reopened.locator('select[id^="nps-interval-"]').first().inputValue(), 'adjusted');

    assert.deepEqual(errors, []);
    const off = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(off, []);
  } finally {
    await context.close();
  }
});

test('the same survey: p90 of the basket value per variant as the command line computes it, added and removed on the page; a 1–5 score’s p90 is said to be unbounded', async () => {
  const { execFileSync } = await import('node:child_process');
  const cli = JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'uplift-roi'), ['analyze', SURVEY, '--quantile', 'basket_value:0.9'], { encoding: 'utf8' }));
  const want = cli.quantile_metrics[0];
  assert.equal(want.variants.length, 3, 'every variant has its p90');
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', SURVEY);
    await page.locator('#add-quantile').waitFor({ timeout: 30_000 });
    await page.locator('#quantile-column').selectOption('basket_value');
    await page.locator('#quantile-level').selectOption('0.9');
    await page.locator('#add-quantile').click();
    const table = page.locator('#quantile-table-0');
    await table.waitFor({ timeout: 15_000 });
    assert.equal(await table.locator('caption').innerText(), 'p90 of basket_value (quantile per user)');
    assert.equal(await table.locator('tbody tr').count(), 3);
    for (const v of want.variants) {
      const tr = table.locator('tbody tr', { has: page.locator(`th:text-is("${v.name}")`) });
      assert.equal((await tr.locator('td.value').innerText()).trim(), v.value.toFixed(3), `${v.name} p90`);
      if (v.vs_control?.relative != null) {
        const r = v.vs_control.relative;
        assert.equal((await tr.locator('td.uplift').innerText()).trim(), `${r > 0 ? '+' : r < 0 ? '−' : ''}${(Math.abs(r) * 100).toFixed(2)}%`);
      }
    }
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'quantile-basket');
    // CSAT (1–5) has no spread around its p90: said in words, in place.
    await page.locator('#quantile-column').selectOption('csat');
    await page.locator('#quantile-level').selectOption('0.9');
    await page.locator('#add-quantile').click();
    await page.locator('#quantile-error-1').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#quantile-error-1').innerText(), /^The p90 of csat cannot be compared in control: too few users, or too many with the same value/);
    await page.locator('#remove-quantile-1').click();
    await page.locator('#quantile-error-1').waitFor({ state: 'detached', timeout: 15_000 });
    // The choice is in the scenario: it comes back after a reload, and goes.
    await page.reload();
    await page.locator('#quantile-table-0').waitFor({ timeout: 30_000 });
    await page.locator('#remove-quantile-0').click();
    await page.locator('#quantile-table-0').waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual(errors, []);
    const off = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(off, []);
  } finally {
    await context.close();
  }
});
