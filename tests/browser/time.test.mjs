// The time tool: retention measured from a file (R's lung data, as
// lifelines ships it) and a launch without a control group (Wooldridge's
// jtrain: job-training grants in 1989), loaded through the file inputs and
// checked against lifelines 0.30.0 and statsmodels 0.15.0
// (tests/reference/survival_fixture.json, did_fixture.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, useBrowser, showInvestmentDetails } from './harness.mjs';

const env = useBrowser();
const dir = mkdtempSync(join(tmpdir(), 'time-'));
const survival = JSON.parse(readFileSync(join(ROOT, 'tests/reference/survival_fixture.json'), 'utf8'));
const did = JSON.parse(readFileSync(join(ROOT, 'tests/reference/did_fixture.json'), 'utf8'));
const lung = survival.cases.find((c) => c.name === 'lung');
const jtrain = did.cases.find((c) => c.name === 'jtrain_1989_hrsemp');

// One row per patient, as a user's export would have it.
const LUNG = join(dir, 'lung.csv');
writeFileSync(LUNG, ['time,status,sex', ...Object.entries(lung.groups).flatMap(([sex, g]) =>
  g.durations.map((d, i) => `${d},${g.events[i]},${sex}`))].join('\n') + '\n');
const JTRAIN = join(dir, 'jtrain.csv');
writeFileSync(JTRAIN, jtrain.csv);
const timeline = JSON.parse(readFileSync(join(ROOT, 'tests/reference/timeline_fixture.json'), 'utf8'));
const DAILY = join(dir, 'timeline_sim.csv');
writeFileSync(DAILY, gunzipSync(readFileSync(join(ROOT, 'tests/data/timeline_sim.csv.gz'))));
const fixed = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).replace('-', '−');

async function openTime(page) {
  await page.locator('#open-time').click();
  await page.locator('#retention-file').waitFor({ state: 'attached' });
}

test('lung: Kaplan-Meier, log-rank and RMST per sex equal lifelines', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#retention-file', LUNG);
    await page.locator('#retention-duration option[value="time"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#retention-duration').inputValue(), 'time');
    assert.equal(await page.locator('#retention-event').inputValue(), 'status');
    assert.equal(await page.locator('#retention-group').inputValue(), 'sex');
    await page.locator('#retention-horizon').fill(String(lung.horizon));
    await page.locator('#retention-horizon').blur();
    await page.locator('#retention-run').click();
    await page.locator('#retention-verdict').waitFor({ timeout: 30_000 });
    const verdict = await page.locator('#retention-verdict').innerText();
    assert.match(verdict, new RegExp(`log-rank χ² = ${fixed(lung.logrank.statistic, 2)}, p = ${lung.logrank.p_value.toFixed(3)}`));
    assert.match(verdict, /retention differs/);
    const rows = page.locator('#retention-table tbody tr');
    assert.equal(await rows.count(), 2);
    for (const [i, name] of ['1', '2'].entries()) {
      const g = lung.groups[name];
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(Number(cells[0]), g.durations.length);
      assert.equal(cells[2], fixed(g.median, 1), `median of ${name}`);
      assert.equal(cells[3], fixed(g.rmst, 2), `RMST of ${name}`);
    }
    assert.equal(await page.locator('#retention-chart svg').count(), 1);
    await page.locator('#time').screenshot({ path: join(ROOT, 'tests/browser/artifacts/time-retention-1440.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('#time').screenshot({ path: join(ROOT, 'tests/browser/artifacts/time-retention-1440-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // A file whose event column is not 1/0: named, the curves stay.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'time,status,sex\n10,1,1\n20,maybe,2\n');
    await page.setInputFiles('#retention-file', bad);
    await page.locator('#retention-source').filter({ hasText: 'bad.csv' }).waitFor();
    await page.locator('#retention-run').click();
    await page.locator('#retention-error').waitFor();
    assert.match(await page.locator('#retention-error').innerText(), /3.*status.*maybe/);
    assert.equal(await page.locator('#retention-verdict').innerText(), verdict);
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('jtrain: the grants effect, its event study and the pre-trend check equal statsmodels', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 360, height: 800 });
  try {
    await openTime(page);
    await page.setInputFiles('#did-file', JTRAIN);
    await page.locator('#did-outcome option[value="hrsemp"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#did-treated').inputValue(), 'granted');
    assert.equal(await page.locator('#did-unit').inputValue(), 'fcode');
    assert.equal(await page.locator('#did-period').inputValue(), 'year');
    assert.equal(await page.locator('#did-outcome').inputValue(), 'hrsemp');
    // Without a launch period there is no "after": said in words.
    await page.locator('#did-run').click();
    await page.locator('#did-error').waitFor();
    assert.match(await page.locator('#did-error').innerText(), /first period after the launch/);
    await page.locator('#did-launch').fill(jtrain.launch);
    await page.locator('#did-launch').blur();
    await page.locator('#did-run').click();
    await page.locator('#did-verdict').waitFor({ timeout: 30_000 });
    const verdict = await page.locator('#did-verdict').innerText();
    const ref = jtrain.did;
    assert.ok(verdict.includes(`by ${fixed(ref.effect, 2)}`), verdict);
    const detail = await page.locator('#did-detail').innerText();
    assert.ok(detail.includes(`interval ${fixed(ref.ci[0], 2)} to ${fixed(ref.ci[1], 2)}`), detail);
    const pre = jtrain.event_study.pre_trend;
    assert.match(await page.locator('#did-pretrend').innerText(), new RegExp(`F = ${fixed(pre.f, 2)}`));
    assert.equal(await page.locator('#did-chart svg').count(), 1);
    assert.match(await page.locator('#did-method').innerText(), /cluster-robust.*289 rows, 100 clusters/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
    await page.locator('#time').screenshot({ path: join(ROOT, 'tests/browser/artifacts/time-did-360.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a 14-day experiment: the lift by day, both intervals, the novelty trend and the days to go equal gbstats', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#timeline-file', DAILY);
    await page.locator('#timeline-metric option[value="converted"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#timeline-date').inputValue(), 'exposed_at');
    assert.equal(await page.locator('#timeline-variant').inputValue(), 'variant');
    assert.equal(await page.locator('#timeline-metric').inputValue(), 'converted');
    await page.locator('#timeline-run').click();
    await page.locator('#timeline-verdict').waitFor({ timeout: 30_000 });
    const ref = timeline.cases.find((c) => c.metric === 'converted' && Number(c.days_observed) === 14);
    const last = ref.days.at(-1);
    const pct = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
    const verdict = await page.locator('#timeline-verdict').innerText();
    assert.ok(verdict.startsWith(`After 14 days: ${pct(last.estimate)}`), verdict);
    assert.ok(verdict.includes(`${pct(last.fixed_ci[0])} to ${pct(last.fixed_ci[1])} for a single look`), verdict);
    assert.ok(verdict.includes(`${pct(last.always_valid_ci[0])} to ${pct(last.always_valid_ci[1])} valid at every look`), verdict);
    assert.match(await page.locator('#timeline-to-go').innerText(), new RegExp(`about ${ref.plan.days} more days`));
    assert.match(await page.locator('#timeline-trend').innerText(), /novelty/i);
    const rows = page.locator('#timeline-table tbody tr');
    assert.equal(await rows.count(), 14);
    for (const [i, day] of ref.days.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(Number(cells[1].replace(/,/g, '')), day.cumulative_users[0], `day ${day.day} control users`);
      assert.equal(cells[4], pct(day.estimate), `day ${day.day} lift`);
    }
    assert.equal(await page.locator('#timeline-chart svg').count(), 1);
    await page.locator('#time').screenshot({ path: join(ROOT, 'tests/browser/artifacts/time-timeline-1440.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('cohorts by signup week: the heatmap table equals uplift-roi cohorts, young cells left blank', async () => {
  // 8 weeks of signups, two variants; users leave after a number of days
  // that the variant lengthens; the data ends on 2024-03-01.
  const rows = ['user,signup_date,last_seen,variant'];
  const day = (d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
  for (let i = 0; i < 800; i++) {
    const start = i % 56;
    const variant = i % 2 ? 'personalized' : 'control';
    const stay = ((i * 37) % 60) * (variant === 'personalized' ? 1.3 : 1);
    rows.push(`u${i},${day(start)},${day(Math.min(start + Math.floor(stay), 60))},${variant}`);
  }
  const file = join(dir, 'cohorts.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const cli = JSON.parse(execFileSync(join(ROOT, 'target/debug/uplift-roi'), ['cohorts', file, '--start', 'signup_date', '--end', 'last_seen', '--observed-until', '2024-03-01', '--variant', 'variant', '--weeks', '26'], { encoding: 'utf8' }));
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#cohort-file', file);
    await page.locator('#cohort-start option[value="signup_date"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#cohort-start').inputValue(), 'signup_date');
    assert.equal(await page.locator('#cohort-end').inputValue(), 'last_seen');
    assert.equal(await page.locator('#cohort-variant').inputValue(), 'variant');
    // Without the day the data ends, it ends on the last date seen
    // (2024-03-01): the same cohorts as the command line's with that day.
    await page.locator('#cohort-run').click();
    await page.locator('#cohort-summary').waitFor({ timeout: 30_000 });
    for (const [i, v] of cli.variants.entries()) {
      const table = page.locator(`#cohort-table-${i} tbody tr`);
      assert.equal(await table.count(), v.cohorts.length, `${v.variant} cohorts`);
      for (const [r, c] of v.cohorts.entries()) {
        const cells = await table.nth(r).locator('td').allInnerTexts();
        assert.equal(Number(cells[0].replace(/,/g, '')), c.users);
        // Each cell: a dash where the engine has none, else its share to the
        // whole percent (0.625 may show as 62% or 63%).
        assert.equal(cells.length - 1, cli.weeks);
        for (const [w, a] of c.active.entries()) {
          const cell = cells[w + 1];
          if (a == null) assert.equal(cell, '–', `${v.variant} ${c.week_start} week ${w}`);
          else assert.ok(Math.abs(parseFloat(cell) - a * 100) <= 0.5 + 1e-9, `${v.variant} ${c.week_start} week ${w}: ${cell} vs ${a}`);
        }
      }
      assert.equal(await page.locator(`#cohort-chart-${i} svg`).count(), 1);
    }
    // The youngest cohort has blank weeks: not counted as gone.
    assert.ok(cli.variants[0].cohorts.at(-1).active.some((a) => a == null));
    await page.locator('#time').screenshot({ path: join(ROOT, 'tests/browser/artifacts/time-cohorts-1440.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The investment case's retention benefit takes the curves' yearly
// retention (read at the horizon, here 365 days, and carried to 365.25 at a
// constant hazard), with Greenwood's error: the saved scenario holds the
// rates lifelines' curves give, and the page's chance of ROI > 0 (which now
// draws the rates) is the CLI's for that scenario.
test('lung: measured retention feeds the investment case and its chance of ROI > 0', async () => {
  const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#retention-file', LUNG);
    await page.locator('#retention-duration option[value="time"]').waitFor({ state: 'attached' });
    await page.locator('#retention-horizon').fill('365');
    await page.locator('#retention-horizon').blur();
    await page.locator('#retention-run').click();
    await page.locator('#retention-use').waitFor({ timeout: 30_000 });
    const typedChance = await page.locator('#chance-positive').innerText();
    await page.locator('#retention-use').click();
    await page.locator('#from-data-retention').filter({ hasText: 'In use' }).waitFor({ timeout: 30_000 });
    // The tool keeps its results and says what it sent.
    assert.match(await page.locator('#retention-sent').innerText(), /Sent: the investment case now uses 33\.6% \(1\) and 52\.6% \(2\)/);
    assert.match(await page.locator('#from-data-retention').innerText(), /lung\.csv.*Kaplan–Meier.*read at 365 days and carried to a year/);
    assert.equal(await page.locator('#benefit-retention').isChecked(), true);
    assert.equal(await page.locator('#retention-control').inputValue(), '33.58');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-scenario').click()]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const r = saved.investment.retention;
    const power = 365.25 / 365;
    for (const [name, rate, se] of [['1', r.retention_control, r.std_error_control], ['2', r.retention_variant, r.std_error_variant]]) {
      const g = lung.groups[name];
      let s = 1;
      let c = 0;
      g.times.forEach((t, i) => {
        if (t <= 365) {
          s = g.survival[i];
          const [n, d] = [g.at_risk[i], g.observed[i]];
          if (d > 0 && d < n) c += d / (n * (n - d));
        }
      });
      const want = s ** power;
      // The rate is kept to a hundredth of a percent.
      assert.equal(rate, Math.round(want * 1e4) / 1e4, `group ${name}: ${rate} vs lifelines ${want}`);
      assert.ok(Math.abs(se - want * power * Math.sqrt(c)) < 1e-9, `group ${name}: se ${se}`);
    }
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(saved));
    writeFileSync(join(dir, 'data.csv'), saved.data);
    const report = JSON.parse(execFileSync(CLI, ['analyze', join(dir, 'data.csv'), '--scenario', join(dir, 'scenario.json')], { encoding: 'utf8' }));
    const p = report.roi.probability_roi_positive;
    const chance = p > 0.999 ? '> 99.9%' : p < 0.001 ? '< 0.1%' : `${(p * 100).toFixed(1)}%`;
    await page.waitForFunction((c) => document.querySelector('#chance-positive')?.textContent === c, chance);
    await page.locator('#investment').screenshot({ path: join(ROOT, 'tests/browser/artifacts/investment-from-data-1440.png') });

    // Typed over: the measurement is no longer in use, and says so.
    await page.locator('#from-data-retention-toggle').click();
    await page.locator('#from-data-retention').filter({ hasText: 'Not in use' }).waitFor();
    await page.locator('#from-data-retention-toggle').click();
    await page.locator('#from-data-retention').filter({ hasText: 'In use' }).waitFor();
    await page.locator('#retention-control').fill('50');
    await page.locator('#retention-control').blur();
    await page.locator('#from-data-retention').filter({ hasText: 'Not in use' }).waitFor();
    // Forgotten: the panel goes, the typed rates stay.
    await page.locator('#from-data-forget').click();
    await page.locator('#from-data').waitFor({ state: 'detached' });
    assert.notEqual(typedChance, '');
    // The analysis' choices stay in the scenario: after a reload (the
    // autosave) the same file opens with the horizon typed before, and
    // with nothing offered the tools module is not fetched until asked for.
    await page.waitForFunction(() => !(localStorage.getItem('uplift-roi:scenario') ?? 'offer_').includes('offer_'));
    const saved2 = await page.evaluate(() => JSON.parse(localStorage.getItem('uplift-roi:scenario')));
    assert.equal(JSON.parse(saved2.tools).time.retention.horizon, '365');
    const before = requests.length;
    await page.reload();
    await page.locator('#open-time').waitFor();
    await page.waitForTimeout(500);
    assert.ok(!requests.slice(before).some((u) => u.includes('tools_bg')), 'no tools module before a tool is opened');
    await openTime(page);
    await page.setInputFiles('#retention-file', LUNG);
    await page.locator('#retention-duration option[value="time"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#retention-horizon').inputValue(), '365');
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// A launch without a control group as the investment case's uplift: the
// saved uplift is statsmodels' effect over the treated units'
// counterfactual mean, its error the effect's over the same mean; the
// case says it is quasi-experimental, and its chance of ROI > 0 is the
// CLI's for the saved scenario.
test('jtrain: the launch\'s effect as the investment case\'s uplift, marked quasi-experimental', async () => {
  const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#did-file', JTRAIN);
    await page.locator('#did-outcome option[value="hrsemp"]').waitFor({ state: 'attached' });
    await page.locator('#did-launch').fill(jtrain.launch);
    await page.locator('#did-launch').blur();
    await page.locator('#did-run').click();
    await page.locator('#did-use').waitFor({ timeout: 30_000 });
    await page.locator('#did-use').click();
    await page.locator('#from-data-did').filter({ hasText: 'In use' }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#from-data-did').innerText(), /“hrsemp” in “jtrain\.csv”.*Quasi-experimental/);
    // The investment case's note on its benefits is with its tables, drawn once its charts come near.
    await showInvestmentDetails(page);
    await page.getByText(/from the difference-in-differences uplift, quasi-experimental/).waitFor();
    assert.equal(await page.locator('#did-sent').count(), 1);

    const m = jtrain.did.means;
    const counterfactual = m.treated_after.mean - jtrain.did.effect;
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-scenario').click()]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const inv = saved.investment;
    assert.ok(Math.abs(inv.did_uplift - jtrain.did.effect / counterfactual) < 1e-9, `${inv.did_uplift}`);
    assert.ok(Math.abs(inv.did_uplift_se - jtrain.did.se / counterfactual) < 1e-9, `${inv.did_uplift_se}`);
    writeFileSync(join(dir, 'did-scenario.json'), JSON.stringify(saved));
    writeFileSync(join(dir, 'did-data.csv'), saved.data);
    const report = JSON.parse(execFileSync(CLI, ['analyze', join(dir, 'did-data.csv'), '--scenario', join(dir, 'did-scenario.json')], { encoding: 'utf8' }));
    assert.equal(report.roi.quasi_experimental, true);
    const p = report.roi.probability_roi_positive;
    const chance = p > 0.999 ? '> 99.9%' : p < 0.001 ? '< 0.1%' : `${(p * 100).toFixed(1)}%`;
    assert.equal(await page.locator('#chance-positive').innerText(), chance);
    await page.locator('#investment').screenshot({ path: join(ROOT, 'tests/browser/artifacts/investment-did-1440.png') });

    // Back to the experiment's uplift: no longer marked.
    await page.locator('#from-data-did-toggle').click();
    await page.locator('#from-data-did').filter({ hasText: 'Not in use' }).waitFor();
    await page.getByText(/from the measured uplift/).first().waitFor();
    assert.equal(await page.getByText(/quasi-experimental: a launch without/).count(), 0);
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('degenerate files get an answer in words, and every cohort table exports itself', async () => {
  // Nobody churned; a panel whose outcome never changes: before, the tool
  // waited for ever on a result it could not read.
  const noChurn = join(dir, 'no-churn.csv');
  writeFileSync(noChurn, ['days,churned,group', ...Array.from({ length: 20 }, (_, i) => `${i + 1},0,${i % 2 ? 'B' : 'A'}`)].join('\n') + '\n');
  const flat = join(dir, 'flat-panel.csv');
  writeFileSync(flat, ['store,week,treated,after,sales', ...[0, 1, 2, 3].flatMap((s) => [0, 1].map((w) => `${s},${w},${s >= 2 ? 1 : 0},${w},5`))].join('\n') + '\n');
  // Five variants: each table and chart has its own id.
  const rows = ['user,signup_date,last_seen,variant'];
  const day = (d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
  for (let i = 0; i < 500; i++) rows.push(`u${i},${day(i % 28)},${day(Math.min((i % 28) + ((i * 13) % 40), 40))},arm${i % 5}`);
  const five = join(dir, 'five-arms.csv');
  writeFileSync(five, rows.join('\n') + '\n');
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#retention-file', noChurn);
    await page.locator('#retention-duration option[value="days"]').waitFor({ state: 'attached' });
    await page.locator('#retention-run').click();
    await page.locator('#retention-error').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#retention-error').innerText(), /Nobody churned: retention is 100% in every group/);
    await page.setInputFiles('#did-file', flat);
    await page.locator('#did-outcome option[value="sales"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#did-post').inputValue(), 'after');
    await page.locator('#did-run').click();
    await page.locator('#did-error').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#did-error').innerText(), /does not vary .*it is 5 throughout.*no effect to estimate/);
    await page.setInputFiles('#cohort-file', five);
    await page.locator('#cohort-start option[value="signup_date"]').waitFor({ state: 'attached' });
    await page.locator('#cohort-until').fill('2024-02-10');
    await page.locator('#cohort-until').blur();
    await page.locator('#cohort-run').click();
    await page.locator('#cohort-summary').waitFor({ timeout: 30_000 });
    const ids = await page.locator('#time table.data-table[id^="cohort-table-"]').evaluateAll((ts) => ts.map((t) => t.id));
    assert.deepEqual(ids, [0, 1, 2, 3, 4].map((i) => `cohort-table-${i}`));
    assert.equal(await page.locator('#time figure.chart[id^="cohort-chart-"]').count(), 5);
    // The fifth table's button exports the fifth table.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#cohort-table-4').locator('xpath=ancestor::div[contains(@class, "table-wrap")]/following-sibling::div[1]').getByRole('button', { name: /as CSV$/ }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'uplift-roi-cohort-table-4.csv');
    const firstRow = async (id) => (await page.locator(`#${id} tbody tr`).first().locator('th, td').allInnerTexts()).join(',');
    const [fourth, fifth] = [await firstRow('cohort-table-3'), await firstRow('cohort-table-4')];
    assert.notEqual(fourth, fifth, 'the arms differ');
    assert.equal(readFileSync(await file.path(), 'utf8').split('\r\n')[1], fifth);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a timeline of 40,000 days is drawn in runs of weeks, and placeholder and future dates are left out and counted', async () => {
  // Before: 60,000 distinct days built a 60,000-row table and chart and
  // blocked the page for 25 s; a 9999-12-31 stretched the span to the year 9999.
  const day = (d) => new Date(Date.UTC(1900, 0, 1 + d)).toISOString().slice(0, 10);
  // A date after today is no exposure yet: left out and counted.
  const rows = ['exposed_at,variant,converted', '9999-12-31,control,1', '0001-01-01,treatment,0', '2099-01-01,control,1'];
  for (let d = 0; d < 40_000; d++) rows.push(`${day(d)},${d % 2 ? 'treatment' : 'control'},${d % 3 === 0 ? 1 : 0}`);
  const long = join(dir, 'forty-thousand-days.csv');
  writeFileSync(long, rows.join('\n') + '\n');
  const cohortRows = ['user,signup_date,last_seen,variant', 'x,9999-12-31,9999-12-31,a'];
  for (let i = 0; i < 60; i++) cohortRows.push(`u${i},${day(45_000 + (i % 20))},${day(45_000 + (i % 20) + i)},${i % 2 ? 'a' : 'b'}`);
  const cohorts = join(dir, 'cohorts-with-placeholder.csv');
  writeFileSync(cohorts, cohortRows.join('\n') + '\n');
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#timeline-file', long);
    await page.locator('#timeline-metric option[value="converted"]').waitFor({ state: 'attached' });
    const started = Date.now();
    await page.locator('#timeline-run').click();
    await page.locator('#timeline-period').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#timeline-period').innerText(), /more than 1,000 days, so each point is 42 days/);
    assert.match(await page.locator('#timeline-placeholders').innerText(), /3 row\(s\) with a placeholder date .* or a date after today were left out/);
    const points = await page.locator('#timeline-table tbody tr').count();
    assert.ok(points <= 1_000 && points > 900, `${points} points`);
    assert.match(await page.locator('#timeline-table caption').innerText(), /by 42 days/);
    // The page answers at once after drawing (no long task left running).
    const answered = await page.evaluate(() => new Promise((done) => { const t = performance.now(); setTimeout(() => done(performance.now() - t), 0); }));
    assert.ok(answered < 1_000, `the page answered after ${answered} ms`);
    assert.ok(Date.now() - started < 60_000);
    await page.setInputFiles('#cohort-file', cohorts);
    await page.locator('#cohort-start option[value="signup_date"]').waitFor({ state: 'attached' });
    await page.locator('#cohort-until').fill(day(45_100));
    await page.locator('#cohort-until').blur();
    await page.locator('#cohort-run').click();
    await page.locator('#cohort-summary').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#cohort-summary').innerText(), /1 row\(s\) with a placeholder date .* were left out/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a worker that fails or answers in a form the page cannot read ends the run with a message', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#retention-file', LUNG);
    await page.locator('#retention-duration option[value="time"]').waitFor({ state: 'attached' });
    // An answer holding a number JSON cannot carry arrives as null: before,
    // the tool dropped it and waited for ever.
    await context.route('**/ingest_worker_loader.js', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: 'postMessage(JSON.stringify("ready")); onmessage = () => postMessage(JSON.stringify({ done: { result: null, rows: 1, millis: 1 } }));',
    }));
    await page.locator('#retention-run').click();
    await page.locator('#retention-error').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#retention-error').innerText(), /stopped without an answer this page can read/);
    // A worker that cannot be downloaded.
    await context.unroute('**/ingest_worker_loader.js');
    await context.route('**/ingest_worker_loader.js', (route) => route.fulfill({ status: 404, body: '' }));
    await page.locator('#retention-run').click();
    await page.waitForFunction(() => document.querySelector('#retention-error')?.textContent.includes('stopped without an answer'));
    // With the worker back, the same file runs.
    await context.unroute('**/ingest_worker_loader.js');
    await page.locator('#retention-run').click();
    await page.locator('#retention-verdict').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#retention-error').count(), 0);
    assert.deepEqual(errors.filter((e) => !/404|Failed to load/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('"Clear my data" clears the tools too: their files, choices and results', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTime(page);
    await page.setInputFiles('#retention-file', LUNG);
    await page.locator('#retention-duration option[value="time"]').waitFor({ state: 'attached' });
    await page.locator('#retention-run').click();
    await page.locator('#retention-verdict').waitFor({ timeout: 30_000 });
    await Promise.all([page.waitForEvent('load'), page.locator('#clear-my-data').click()]);
    await page.waitForSelector('#verdict');
    assert.match(await page.locator('#share-message').innerText(), /with the tools' files and results/);
    await openTime(page);
    assert.equal(await page.locator('#retention-verdict').count(), 0, 'no result left');
    assert.equal(await page.locator('#retention-duration option').count(), 0, 'no file left');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
