// One load feeds every view its rows allow: a row-level export with a date
// gets an "Over time" view in the results' index, one with a duration and a
// churn flag a "Retention" view, one with a signup and a last-seen date a
// "Cohorts" view, each computed in the worker from the rows loaded once
// through the file input, and each equal to the command line's answer on
// the same file (and, for the lift over time, to gbstats' fixture). Sums
// (the demo) allow none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, useBrowser, screenshot } from './harness.mjs';
import { writeRows } from '../../bench/gen-rows.mjs';

const env = useBrowser();
const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
const dir = mkdtempSync(join(tmpdir(), 'views-'));
const DAILY = join(dir, 'timeline_sim.csv');
writeFileSync(DAILY, gunzipSync(readFileSync(join(ROOT, 'tests/data/timeline_sim.csv.gz'))));
const timeline = JSON.parse(readFileSync(join(ROOT, 'tests/reference/timeline_fixture.json'), 'utf8'));

const offOrigin = (requests) => requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
const indexed = (page) => page.locator('nav.view-index li:not([hidden]) a').allInnerTexts();
const pct = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
const cli = (args) => JSON.parse(execFileSync(CLI, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));

test('an export with a date: its Over time view comes from the one load and equals the command line and gbstats', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    // The demo's sums allow no view beyond the four.
    await page.locator('#verdict').waitFor();
    assert.deepEqual(await indexed(page), ['Overview', 'Metrics', 'Customer value', 'Investment case']);
    await page.setInputFiles('#data-file', DAILY);
    await page.locator('nav.view-index a[href="#over-time"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(await indexed(page), ['Overview', 'Metrics', 'Customer value', 'Investment case', 'Over time']);
    await page.locator('nav.view-index a[href="#over-time"]').click();
    await page.locator('#over-time #timeline-verdict').waitFor({ timeout: 30_000 });
    // The view says which columns it read: the date, and the verdict's metric.
    const reason = await page.locator('#over-time-reason').innerText();
    const metric = reason.match(/the lift of '([^']+)'/)?.[1];
    assert.equal(reason.split(' From the rows')[0], `'exposed_at' holds dates; the lift of '${metric}' day by day.`);
    assert.ok(['revenue', 'converted'].includes(metric), reason);
    const ref = timeline.cases.find((c) => c.metric === metric && Number(c.days_observed) === 14);
    const last = ref.days.at(-1);
    const verdict = await page.locator('#over-time #timeline-verdict').innerText();
    assert.ok(verdict.startsWith(`After 14 days: ${pct(last.estimate)}`), verdict);
    assert.ok(verdict.includes(`${pct(last.fixed_ci[0])} to ${pct(last.fixed_ci[1])} for a single look`), verdict);
    assert.ok(verdict.includes(`${pct(last.always_valid_ci[0])} to ${pct(last.always_valid_ci[1])} valid at every look`), verdict);
    // The command line on the same file, its columns guessed but the metric.
    const out = cli(['timeline', DAILY, '--metric', metric]);
    const rows = page.locator('#over-time #timeline-table tbody tr');
    assert.equal(await rows.count(), out.days.length);
    for (const [i, day] of out.days.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(Number(cells[1].replace(/,/g, '')), day.cumulative_control.users, `day ${day.day} control users`);
      assert.equal(cells[4], day.lift ? pct(day.lift.estimate) : '–', `day ${day.day} lift`);
    }
    assert.equal(await page.locator('#over-time svg').count(), 1);
    assert.match(await page.locator('#over-time #timeline-summary').innerText(), /of “the data in step 1”/);
    await page.locator('#over-time h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'views-over-time-1440', false);
    // Editing a cost changes nothing the view reads: no worker is started
    // for it again, and it still shows the same lift.
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.getByLabel('Amount of cost line 2').fill('50000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$134,000');
    await page.waitForTimeout(1500);
    assert.deepEqual(workers, []);
    assert.equal(await page.locator('#over-time #timeline-verdict').innerText(), verdict);
    // Reloaded on the view's link (#over-time): the saved rows give the
    // view again, and the page opens on it.
    assert.match(page.url(), /#over-time$/);
    await page.reload();
    await page.locator('#over-time #timeline-verdict').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#over-time #timeline-verdict').innerText(), verdict);
    await page.waitForFunction(() => {
      const r = document.querySelector('#over-time h2').getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    }, null, { timeout: 10_000 });
    // Sums again (the demo): the view leaves the index.
    await page.getByRole('button', { name: 'Load demo data' }).click();
    await page.waitForFunction(() => !document.querySelector('nav.view-index li:not([hidden]) a[href="#over-time"]'), null, { timeout: 10_000 });
    assert.deepEqual(offOrigin(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an export with a tenure, a churn flag and signup and last-seen dates: Retention and Cohorts views equal uplift-roi', async () => {
  // 1,200 users over 8 signup weeks; the personalized arm stays longer.
  const day = (d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
  const rows = ['user_id,variant,signup_date,last_seen,tenure,churned,revenue'];
  for (let i = 0; i < 1200; i++) {
    const variant = i % 2 ? 'personalized' : 'control';
    const start = i % 56;
    const stay = Math.floor(((i * 37) % 60) * (variant === 'personalized' ? 1.3 : 1));
    const end = Math.min(start + stay, 70);
    const churned = end < 70 ? 1 : 0;
    rows.push(`u${i},${variant},${day(start)},${day(end)},${end - start},${churned},${((i * 13) % 7) * 4}`);
  }
  const file = join(dir, 'subscriptions.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', file);
    await page.locator('nav.view-index a[href="#cohorts"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(await indexed(page), ['Overview', 'Metrics', 'Customer value', 'Investment case', 'Over time', 'Retention', 'Cohorts']);
    await page.locator('nav.view-index a[href="#retention"]').click();
    await page.locator('#retention #retention-verdict').waitFor({ timeout: 30_000 });
    const retention = cli(['retention', file, '--duration', 'tenure', '--event', 'churned', '--group', 'variant']);
    const verdict = await page.locator('#retention #retention-verdict').innerText();
    assert.ok(verdict.includes(`log-rank χ² = ${retention.log_rank.statistic.toFixed(2)}`), `${verdict} vs ${retention.log_rank.statistic}`);
    await page.locator('#cohorts #cohort-table-0').waitFor({ timeout: 30_000 });
    // No day the data ends is given: it ends on the last date seen, as
    // the command line's does.
    const cohorts = cli(['cohorts', file, '--start', 'signup_date', '--end', 'last_seen', '--variant', 'variant']);
    for (const [i, v] of cohorts.variants.entries()) {
      const table = page.locator(`#cohorts #cohort-table-${i} tbody tr`);
      assert.equal(await table.count(), v.cohorts.length, `${v.variant} cohorts`);
      for (const [r, c] of v.cohorts.entries()) {
        const cells = await table.nth(r).locator('td').allInnerTexts();
        assert.equal(Number(cells[0].replace(/,/g, '')), c.users, `${v.variant} ${c.week_start} users`);
      }
    }
    await page.locator('#retention h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'views-retention-1440', false);
    await page.locator('#cohorts h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'views-cohorts-1440', false);
    assert.deepEqual(offOrigin(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a large export with a date, read in the background: its Over time view comes from the same file, with no second pick', async () => {
  const file = join(dir, 'dated-70k.csv');
  await writeRows(file, { rows: 70_000, dates: true });
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', file);
    // Read in pieces by the worker: the page holds only the sums.
    await page.locator('#data-ok[data-read-ms]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#data-ok').innerText(), /70,000 user rows/);
    await page.locator('nav.view-index a[href="#over-time"]').waitFor({ timeout: 30_000 });
    await page.locator('nav.view-index a[href="#over-time"]').click();
    await page.locator('#over-time #timeline-verdict').waitFor({ timeout: 60_000 });
    const reason = await page.locator('#over-time-reason').innerText();
    const metric = reason.match(/the lift of '([^']+)'/)?.[1];
    assert.ok(reason.startsWith(`'exposed_at' holds dates; the lift of '${metric}' day by day.`), reason);
    assert.match(await page.locator('#over-time #timeline-summary').innerText(), /^70,000 users of “dated-70k\.csv” read in/);
    const out = cli(['timeline', file, '--metric', metric]);
    const last = out.days.at(-1);
    const verdict = await page.locator('#over-time #timeline-verdict').innerText();
    assert.ok(verdict.startsWith(`After ${last.day} days: ${pct(last.lift.estimate)}`), `${verdict} vs ${JSON.stringify(last.lift)}`);
    assert.equal(await page.locator('#over-time #timeline-table tbody tr').count(), out.days.length);
    assert.deepEqual(offOrigin(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an export with a date and a segment column: its Segments and Over time views from one load equal the command line', async () => {
  const file = join(dir, 'dated-20k.csv');
  await writeRows(file, { rows: 20_000, dates: true });
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', file);
    await page.locator('#data-ok:has-text("20,000 user rows")').waitFor({ timeout: 30_000 });
    await page.locator('nav.view-index li:not([hidden]) a[href="#segments"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(await indexed(page), ['Overview', 'Metrics', 'Customer value', 'Investment case', 'Segments', 'Over time']);
    await page.locator('nav.view-index a[href="#segments"]').click();
    assert.match(await page.locator('#segments-reason').innerText(), /^'segment' splits the data into groups: the uplift within each, and whether it differs\./);
    await page.locator('#segments-0-table tbody tr').first().waitFor({ timeout: 30_000 });
    const oneDecimal = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${(Math.abs(x) * 100).toFixed(1)}%`;
    const shown = await page.locator('#segments-0-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('th').textContent.trim(),
      uplift: r.querySelector('td.uplift').textContent.trim(),
    })));
    const bySegment = cli(['analyze', file, '--segment', 'segment']);
    const byName = (a, b) => a.name.localeCompare(b.name);
    assert.deepEqual(shown.sort(byName), bySegment.segments.segments.map((x) => ({ name: x.segment, uplift: oneDecimal(x.uplift.mean) })).sort(byName));
    assert.equal(shown.length, 2);
    // The command line names the same views, with the same requests.
    const views = cli(['analyze', file]).views;
    assert.deepEqual(views.map((v) => v.view), ['segments', 'over-time']);
    const metric = views[1].request.timeline.columns.metric;
    assert.match(await page.locator('#over-time-reason').innerText(), new RegExp(`the lift of '${metric}'`));
    await page.locator('#over-time #timeline-verdict').waitFor({ timeout: 30_000 });
    const out = cli(['timeline', file, '--metric', metric]);
    const last = out.days.at(-1);
    assert.ok((await page.locator('#over-time #timeline-verdict').innerText()).startsWith(`After ${last.day} days: ${pct(last.lift.estimate)}`));
    await page.locator('#segments h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'views-segments-1440', false);
    assert.deepEqual(offOrigin(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
