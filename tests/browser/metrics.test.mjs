// Real experiment exports with many metric columns, loaded through the file
// input as a person would: the Cookie Cats mobile-game test (90,189 players,
// retention flags written TRUE/FALSE, the variant in `version`) and
// Hillstrom's three-arm e-mail test (64,000 customers, the arm in
// `segment`). Every metric column gets its table; the numbers on the page
// are the reference values of tests/reference/metrics_fixture.json
// (gbstats, scipy, statsmodels); choosing the primary metric and a
// guardrail gives the decision. No request leaves the page's origin.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();
const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'tests', 'reference', 'metrics_fixture.json'), 'utf8'));
const COOKIE_CATS = join(tmpdir(), 'cookie_cats.csv');
const HILLSTROM = join(tmpdir(), 'hillstrom.csv');

before(() => {
  for (const [name, out] of [['cookie_cats', COOKIE_CATS], ['hillstrom', HILLSTROM]]) {
    writeFileSync(out, gunzipSync(readFileSync(join(ROOT, 'tests', 'data', `${name}.csv.gz`))));
  }
});

const offOrigin = (requests) => requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
/** The page's way of writing a signed percentage with two decimals. */
const signed = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${(Math.abs(x) * 100).toFixed(2)}%`;
const pValue = (p) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

/** The cells of one variant's row in the table of metric `key`. */
async function row(page, key, variant) {
  const tr = page.locator(`table.metric-table[data-metric="${key}"] tbody tr`, { has: page.locator(`th:text-is("${variant}")`) });
  return {
    value: (await tr.locator('td.value').innerText()).trim(),
    uplift: (await tr.locator('td.uplift').innerText()).trim(),
    ci: (await tr.locator('td.ci').innerText()).trim(),
    p: (await tr.locator('td.p').innerText()).trim(),
  };
}

test('Cookie Cats: every metric column is compared, the numbers are the reference ones, and a guardrail decides', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', COOKIE_CATS);
    await page.locator('#data-ok:has-text("90,189")').waitFor({ timeout: 30_000 });
    await page.locator('table.metric-table[data-metric="retention_7"]').waitFor({ timeout: 15_000 });
    const all = FIXTURE.slices.find((s) => s.name === 'all');
    for (const [key, ref] of Object.entries(all.metrics)) {
      const r = await row(page, key, 'gate_40');
      assert.equal(r.uplift, signed(ref.relative.estimate), `${key} uplift`);
      assert.equal(r.ci, `${signed(ref.relative.ci[0])} to ${signed(ref.relative.ci[1])}`, `${key} interval`);
      assert.equal(r.p, pValue(ref.relative.p_value), `${key} p-value`);
    }
    // Retention flags say what censoring does to them; other shares do not.
    const caveat = page.locator('table.metric-table[data-metric="retention_7"]').locator('xpath=../following-sibling::p[1]');
    assert.match(await caveat.innerText(), /retention_7 is read as a share of all users.*less than 7 days.*by day 7.*censoring.*Kaplan–Meier/);
    // A file over 2 MB is read by the worker into sums: its user ids are not kept to check.
    assert.equal(await page.locator('#user-check').count(), 0);
    const control = await row(page, 'retention_7', 'gate_30');
    const sums = all.sums.gate_30.retention_7;
    assert.equal(control.value, `${(sums.sum / sums.n * 100).toFixed(2)}%`);
    assert.equal(control.uplift, 'control');

    // The primary metric: 7-day retention. It fell, so: don't ship.
    await page.locator('#primary-metric').selectOption('retention_7');
    await page.locator('#decision:has-text("Don\'t ship")').waitFor();
    assert.match(await page.locator('#decision').innerText(), /retention_7 is worse/);
    // A guardrail on 1-day retention, 1% margin: its test is on the page.
    await page.locator('#add-guardrail').click();
    await page.locator('#guardrail-metric-0').waitFor();
    await page.locator('#guardrail-metric-0').selectOption('retention_1');
    await page.locator('#guardrail-table tbody tr th:text-is("retention_1")').waitFor();
    const ni = all.non_inferiority.retention_1.find((t) => t.relative.margin === 0.01).relative;
    const cells = await page.locator('#guardrail-table tbody tr').first().locator('td').allInnerTexts();
    assert.equal(cells[1].trim(), signed(ni.estimate));
    assert.equal(cells[2].trim(), signed(ni.lower_bound));
    assert.equal(cells[3].trim(), pValue(ni.p_value));
    // No arm is named like a control: the verdict asks; once gate_30 is
    // chosen, its first words are the decision above, guardrail included.
    assert.match(await page.locator('#verdict').innerText(), /^Which arm is the control\?/);
    await page.locator('#control-question').selectOption('gate_30');
    await page.locator('#verdict:has-text("Don\'t ship gate_40: ")').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#decision .decision-outcome').innerText(), /^Don't ship — decided on retention_7/);
    assert.equal(await page.locator('#key-decision').innerText(), "Don't ship gate_40");
    // The choice is part of the scenario: it survives a reload.
    await page.reload();
    await page.locator('#decision:has-text("Don\'t ship")').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#primary-metric').inputValue(), 'retention_7');
    await page.locator('#metrics-panel-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-cookie-cats-1440');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});

test('Hillstrom: three arms after naming the variant column, Holm-adjusted, at 360 px', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 360, height: 780 });
  try {
    await page.setInputFiles('#data-file', HILLSTROM);
    // `segment` holds the arm here: the page asks which column is which.
    await page.locator('#column-mapping').waitFor({ timeout: 15_000 });
    // The ninth column, `segment`, holds the arm.
    assert.equal((await page.locator('label[for="map-col-8"]').innerText()).trim(), 'segment');
    await page.locator('#map-col-8').selectOption('variant');
    await page.locator('#mapping-apply').click();
    await page.locator('#data-ok:has-text("64,000")').waitFor({ timeout: 30_000 });
    await page.locator('#control-variant').selectOption('No E-Mail');
    const h = FIXTURE.hillstrom;
    await page.locator('table.metric-table[data-metric="visit"] tbody tr th:text-is("Womens E-Mail")').waitFor({ timeout: 15_000 });
    for (const key of ['visit', 'newbie', 'recency']) {
      for (const arm of h.arms) {
        const ref = h.metrics[key].arms[arm];
        const r = await row(page, key, arm);
        assert.equal(r.uplift, signed(ref.estimate), `${key} ${arm}`);
        assert.equal(r.ci, `${signed(ref.ci_adjusted[0])} to ${signed(ref.ci_adjusted[1])}`, `${key} ${arm} Holm-widened interval`);
        assert.equal(r.p, pValue(ref.p_adjusted), `${key} ${arm} Holm p`);
      }
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
    await page.locator('#metrics-panel-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-hillstrom-360');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});

test('Hillstrom, read in the worker: split by channel on request, the segments are the reference ones', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', HILLSTROM);
    await page.locator('#column-mapping').waitFor({ timeout: 15_000 });
    await page.locator('#map-col-8').selectOption('variant');
    await page.locator('#mapping-apply').click();
    await page.locator('#data-ok:has-text("64,000")').waitFor({ timeout: 30_000 });
    await page.locator('#control-variant').selectOption('No E-Mail');
    await page.locator('#primary-metric').selectOption('visit');
    const verdict = await page.locator('#verdict').innerText();
    // The page holds only the sums; the file's own columns are offered.
    await page.locator('#segment-column option[value="channel"]').waitFor({ state: 'attached', timeout: 15_000 });
    const offered = await page.locator('#segment-column option').evaluateAll((os) => os.map((o) => o.value));
    for (const c of ['channel', 'zip_code', 'newbie']) assert.ok(offered.includes(c), `${c} in ${offered}`);
    assert.ok(!offered.includes('segment'), 'the variant column is not offered');
    await page.locator('#segment-column').selectOption('channel');
    await page.waitForFunction(() => document.querySelectorAll('#segment-table tbody tr').length === 3, null, { timeout: 30_000 });
    const ref = FIXTURE.hillstrom.segments.by['channel/visit'];
    assert.equal(FIXTURE.hillstrom.segments.arm, 'Womens E-Mail');
    const shown = await page.locator('#segment-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('th').textContent.trim(),
      uplift: r.querySelector('td.uplift').textContent.trim(),
      p: r.querySelector('td.p').textContent.trim(),
    })));
    const oneDecimal = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${(Math.abs(x) * 100).toFixed(1)}%`;
    assert.deepEqual(shown, ref.levels.map((l) => ({ name: l.level, uplift: oneDecimal(l.estimate), p: pValue(l.vs_rest_p_holm) })));
    const post = await page.locator('#segment-poststrat').innerText();
    assert.ok(post.includes(`: ${oneDecimal(ref.post_stratified.relative)} (`), post);
    assert.match(await page.locator('#segment-note').innerText(), new RegExp(`p = ${ref.p_value.toFixed(3)}`));
    // The sums per channel read as the same experiment: nothing else moved.
    await page.locator('#data-ok:has-text("64,000")').waitFor();
    assert.equal(await page.locator('#verdict').innerText(), verdict);
    assert.match(await page.locator('#data-input').inputValue(), /^channel,variant,users,/);
    assert.equal(await page.locator('#segment-column').inputValue(), 'channel');
    // A column that is not a segment (an amount per customer) is refused in words.
    await page.locator('#segment-column').selectOption('history');
    await page.locator('#segment-error:has-text("more than 50 different values")').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#data-input').inputValue(), /^channel,variant,users,/, 'the split data stays');
    await page.locator('#segment-column').selectOption('zip_code');
    await page.waitForFunction(() => [...document.querySelectorAll('#segment-table tbody th')].map((t) => t.textContent.trim()).join() === 'Rural,Surburban,Urban', null, { timeout: 30_000 });
    await page.locator('#segment-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-hillstrom-split-1440');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});

test('a landing-page export with repeated users says how many, and which are in both groups', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // The shape of a landing-page test: a timestamp, the group, the page shown.
    const lines = ['user_id,timestamp,group,landing_page,converted'];
    for (let i = 0; i < 400; i++) {
      const group = i % 2 ? 'treatment' : 'control';
      lines.push(`${1000 + i},2017-01-${String(2 + (i % 20)).padStart(2, '0')} 10:00:00,${group},${group === 'control' ? 'old_page' : 'new_page'},${i % 9 === 0 ? 1 : 0}`);
    }
    lines.push('1004,2017-01-22 11:00:00,control,old_page,0'); // again, same group
    lines.push('1006,2017-01-22 11:00:00,treatment,new_page,1'); // again, other group
    lines.push('1007,2017-01-22 11:00:00,control,old_page,0'); // again, other group
    // Loaded through the file input, as a user would.
    const file = join(tmpdir(), 'uplift-roi-landing-page.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    await page.setInputFiles('#data-file', file);
    await page.locator('#data-ok:has-text("403 user rows")').waitFor();
    // Conversion is a fixed metric: the panel opens on request.
    await page.locator('#open-metrics').click();
    const check = page.locator('#user-check');
    await check.waitFor({ timeout: 15_000 });
    assert.equal(
      (await check.innerText()).replace('Leave these rows out', '').trim(),
      'Data check: 403 rows carry 400 different user ids, so 3 rows repeat a user who came before. 2 users are in more than one variant, so their results mix both experiences: the assignment or the export is broken for them.',
    );
    assert.match(await page.locator('#decision').innerText(), /Keep running|Ship|Don't ship/);

    // Leaving them out: every row of 1006 and 1007 (two each) and 1004's second row.
    await page.locator('#exclude-repeats').click();
    await page.locator('#data-ok:has-text("398 user rows")').waitFor();
    assert.equal(
      (await page.locator('#exclusion-note').innerText()).replace('Put them back', '').trim(),
      'Left out 5 rows: every row of the 2 users in more than one variant, and later rows of a user id already counted.',
    );
    await page.locator('#user-check:has-text("every one of the 398 user ids appears once")').waitFor();
    const kept = await page.locator('#data-input').inputValue();
    assert.equal(kept.split('\n').filter((l) => /^100[67],/.test(l)).length, 0, 'users in both groups are gone');
    assert.equal(kept.split('\n').filter((l) => l.startsWith('1004,')).length, 1, 'a repeated user keeps one row');
    // And back, as they were.
    await page.locator('#restore-repeats').click();
    await page.locator('#data-ok:has-text("403 user rows")').waitFor();
    assert.equal(await page.locator('#data-input').inputValue(), lines.join('\n') + '\n');
    await page.locator('#exclude-repeats').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('segments: each channel has its uplift, its test against the rest and its ROI, as the engine computes them', async () => {
  // Every 10th user converts; with personalization every 9th, and every 5th in the app.
  const lines = ['variant,channel,converted'];
  for (let k = 0; k < 500; k++) {
    for (const channel of ['web', 'app', 'email']) {
      for (const arm of ['control', 'personalized']) {
        const every = arm === 'personalized' ? (channel === 'app' ? 5 : 9) : 10;
        lines.push(`${arm},${channel},${k % every === 0 ? 1 : 0}`);
      }
    }
  }
  const text = lines.join('\n') + '\n';
  const file = join(tmpdir(), 'uplift-roi-channels.csv');
  writeFileSync(file, text);
  const cli = JSON.parse(execFileSync(join(ROOT, 'target', 'debug', 'uplift-roi'), ['analyze', file, '--segment', 'channel'], { encoding: 'utf8' }));
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // Pasted as one paste, as a user would (a large paste is shown as a preview).
    await page.evaluate((t) => {
      const area = document.querySelector('#data-input');
      area.value = t;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
    await page.locator('#data-ok:has-text("3,000 user rows")').waitFor();
    await page.locator('#open-metrics').click();
    await page.locator('#segment-column').waitFor({ timeout: 15_000 });
    await page.locator('#segment-column').selectOption('channel');
    await page.locator('#segment-table').waitFor();
    const shown = await page.locator('#segment-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('th').textContent.trim(),
      uplift: r.querySelector('td.uplift').textContent.trim(),
      p: r.querySelector('td.p').textContent.trim(),
    })));
    const oneDecimal = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${(Math.abs(x) * 100).toFixed(1)}%`;
    assert.deepEqual(shown, cli.segments.segments.map((s) => ({
      name: s.segment,
      uplift: oneDecimal(s.uplift.mean),
      p: pValue(s.vs_rest_p_adjusted),
    })));
    assert.match(await page.locator('#segment-note').innerText(), /Cochran's Q = /);
    assert.equal(await page.locator('#segment-column').inputValue(), 'channel');
    // The overall uplift post-stratified on the column, as the engine gives it.
    const post = cli.segments.post_stratified;
    const postText = await page.locator('#segment-poststrat').innerText();
    assert.ok(postText.startsWith('Post-stratified on channel '), postText);
    assert.ok(postText.includes(`: ${oneDecimal(post.relative)} (${oneDecimal(post.relative_ci[0])} to ${oneDecimal(post.relative_ci[1])}), p `), postText);
    // The split check per segment, as the engine's SRM test gives it.
    assert.deepEqual(
      await page.locator('#segment-table tbody td.srm').allInnerTexts(),
      cli.segments.segments.map((s) => pValue(s.srm.p_value)),
    );
    // The forest chart: one point per segment, its text alternative, downloads.
    const chart = page.locator('#segment-chart');
    assert.equal(await chart.locator('svg circle').count(), 3);
    const alt = await chart.locator('[role=img]').getAttribute('aria-label');
    for (const s of cli.segments.segments) assert.ok(alt.includes(`${s.segment}: ${oneDecimal(s.uplift.mean)} (`), alt);
    assert.equal(await chart.locator('figcaption').innerText(), alt);
    const download = page.waitForEvent('download');
    await chart.getByRole('button', { name: 'Download the segment chart as SVG' }).click();
    assert.equal((await download).suggestedFilename(), 'uplift-roi-segment-chart.svg');
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-segment-chart');
    await page.locator('#segment-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-segments');

    // Too many rows for a browser: the same file reduced by segment outside
    // it (`uplift-roi reduce --segment`, or the warehouse SQL with a
    // segment) gives one row per segment and variant, and the segment view
    // reads that as it read the rows.
    const reduced = execFileSync(join(ROOT, 'target', 'debug', 'uplift-roi'), ['reduce', file, '--segment', 'channel'], { encoding: 'utf8' });
    assert.match(reduced, /^channel,variant,users,conversions\n/);
    await page.locator('#segment-column').selectOption('');
    await page.locator('#segment-table').waitFor({ state: 'detached' });
    await page.locator('#data-input').fill(reduced);
    await page.locator('#data-ok:has-text("6 aggregated rows")').waitFor();
    // Offered: the segment column, not the variant or the aggregated sums' own columns.
    await page.waitForFunction(() => document.querySelector('#segment-column option[value="channel"]')
      && !document.querySelector('#segment-column option[value="converted"]'));
    assert.deepEqual(await page.locator('#segment-column option').evaluateAll((os) => os.map((o) => o.value)), ['', 'channel']);
    await page.locator('#segment-column').selectOption('channel');
    await page.waitForFunction(() => document.querySelectorAll('#segment-table tbody tr').length === 3);
    const fromSums = await page.locator('#segment-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('th').textContent.trim(),
      uplift: r.querySelector('td.uplift').textContent.trim(),
      p: r.querySelector('td.p').textContent.trim(),
    })));
    const byName = (a, b) => a.name.localeCompare(b.name);
    assert.deepEqual(fromSums.sort(byName), [...shown].sort(byName));
    assert.equal(await page.locator('#segment-poststrat').innerText(), postText);
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});

test('the metrics panel redraws for new data, segments and all, without a fault', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const rows = (n) => {
      const lines = ['user_id,variant,region,visit,minutes'];
      for (let i = 0; i < n; i++) lines.push(`${i},${i % 2 ? 'personalized' : 'control'},region_${(i * 7) % 5},${i % (i % 2 ? 3 : 4) === 0 ? 1 : 0},${(i % 60) / 2}`);
      return lines.join('\n') + '\n';
    };
    const paste = (text) => page.evaluate((t) => {
      const area = document.querySelector('#data-input');
      area.value = t;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
    // The panel opens on the first data, then draws itself again for the next.
    await paste(rows(200));
    await page.locator('#segment-column').waitFor({ timeout: 15_000 });
    await paste(rows(2000));
    await page.locator('#data-ok:has-text("2,000 user rows")').waitFor();
    await page.locator('#segment-column').selectOption('region');
    await page.waitForFunction(() => document.querySelectorAll('#segment-table tbody tr').length === 5);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a variant column with more than 20 values is asked about before it is analysed', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const lines = ['variant,converted'];
    for (let i = 0; i < 600; i++) lines.push(`store-${i % 24},${i % 7 === 0 ? 1 : 0}`);
    await page.locator('#data-input').fill(lines.join('\n') + '\n');
    const error = page.locator('#data-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Column 'variant' has 24 different values: is it really the variant\? Confirm it, or choose/);
    await page.locator('#mapping-confirm-variant').click();
    await page.locator('#data-ok:has-text("24 variants")').waitFor();
    assert.equal(await page.locator('#data-error').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a churn guardrail may not rise: read the right way round from its name, and switchable', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    // Buying up 20%, churn up 5% (10% → 10.5%) on 200,000 users a side.
    await page.locator('#data-input').fill('variant,users,buy,churned\ncontrol,200000,10000,20000\nnew,200000,12000,21000\n');
    const churnTable = page.locator('table.metric-table[data-metric="churned"]');
    await churnTable.waitFor({ timeout: 30_000 });
    const direction = churnTable.locator('xpath=../following-sibling::p[contains(@class, "direction")][1]//select');
    assert.equal(await direction.inputValue(), 'lower', 'churn is guessed to be better when it falls');
    await page.locator('#primary-metric').selectOption('buy');
    await page.locator('#add-guardrail').click();
    await page.locator('#guardrail-metric-0').waitFor();
    await page.locator('#guardrail-metric-0').selectOption('churned');
    const row = page.locator('#guardrail-table tbody tr', { has: page.locator('th:text-is("churned")') });
    await row.locator('td:text-is("Breached")').waitFor({ timeout: 15_000 });
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0].trim(), '+1.0%', 'the margin is a rise');
    assert.equal(cells[1].trim(), '+5.00%', 'the change is churn’s own');
    assert.match(await page.locator('#decision').innerText(), /Don't ship[\s\S]*churned rises by more than 1%/);
    await page.locator('#verdict:has-text("Don\'t ship")').waitFor({ timeout: 15_000 });
    await page.locator('#guardrail-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-churn-guardrail');
    // Told that churned is better when it rises, the same data ships.
    await direction.selectOption('higher');
    await row.locator('td:text-is("Holds")').waitFor({ timeout: 15_000 });
    await page.locator('#decision:has-text("Ship")').waitFor();
    assert.match(await page.locator('#decision').innerText(), /churned does not drop by more than 1%/);
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});
