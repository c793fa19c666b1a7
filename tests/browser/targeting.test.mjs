// The targeting tool: a model's scores evaluated in the file-reading worker,
// loaded through the file input as a user would, with numbers checked
// against scikit-uplift 0.5.1 (tests/reference/targeting_fixture.json), the
// bootstrap's progress and Cancel, and bad files reported in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, screenshot, useBrowser } from './harness.mjs';

const env = useBrowser();
const fixture = JSON.parse(readFileSync(join(ROOT, 'tests/reference/targeting_fixture.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'targeting-'));
const HILLSTROM = join(dir, 'hillstrom_targeting.csv');
writeFileSync(HILLSTROM, gunzipSync(readFileSync(join(ROOT, 'tests/data/hillstrom_targeting.csv.gz'))));
const number = (text) => Number(text.replace(/[,\s]/g, ''));

async function openTargeting(page) {
  await page.locator('#open-targeting').click();
  await page.locator('#targeting-file').waitFor({ state: 'attached' });
}

test('Hillstrom scored by a model: Qini, uplift AUC and deciles equal scikit-uplift', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTargeting(page);
    await page.setInputFiles('#targeting-file', HILLSTROM);
    await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
    // Roles guessed from the headers.
    assert.equal(await page.locator('#targeting-score').inputValue(), 'score');
    assert.equal(await page.locator('#targeting-treatment').inputValue(), 'treatment');
    assert.equal(await page.locator('#targeting-outcome').inputValue(), 'conversion');
    assert.equal(await page.locator('#targeting-revenue').inputValue(), 'spend');
    await page.locator('#targeting-outcome').selectOption('visit');
    await page.locator('#targeting-resamples').selectOption('200');
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-progress').waitFor();
    await page.waitForFunction(() => /\d% bootstrap interval/.test(document.querySelector('#targeting-interval')?.textContent ?? ''), null, { timeout: 60_000 });

    const ref = fixture.hillstrom.outcomes.visit;
    const qini = await page.locator('#targeting-qini').innerText();
    assert.match(qini, new RegExp(`Qini coefficient ${ref.qini_auc.toFixed(3)}`));
    assert.match(qini, new RegExp(`uplift AUC ${ref.uplift_auc.toFixed(4)}`));
    // causalml 0.18's scores of the same ranking (tests/reference/causalml_fixture.json).
    const cm = JSON.parse(readFileSync(join(ROOT, 'tests/reference/causalml_fixture.json'), 'utf8')).hillstrom.outcomes.visit;
    const [q, a] = [cm.qini_score_ties_in_file_order, cm.auuc_score_ties_in_file_order];
    assert.ok(qini.includes(`causalml's qini_score ${q.toFixed(3)}, auuc_score ${a.toFixed(3)}`), `${qini} / ${q} ${a}`);
    assert.match(await page.locator('#targeting-summary').innerText(), /42,693 users/);
    // The interval holds the coefficient and lies above 0: the score is informative.
    const [, low, high] = qini.match(/interval (-?[\d.]+) to (-?[\d.]+)/).map(Number);
    assert.ok(low < ref.qini_auc && ref.qini_auc < high && low > 0, qini);

    const bins = ref.by_percentile['overall/10'];
    const rows = page.locator('#targeting-bins tbody tr');
    assert.equal(await rows.count(), bins.length + (bins.length === 10 ? 1 : 0));
    for (const [i, bin] of bins.slice(0, 10).entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(number(cells[0]), bin.n_treatment, `bin ${bin.percentile} treated`);
      assert.equal(number(cells[1]), bin.n_control, `bin ${bin.percentile} untreated`);
      assert.equal(parseFloat(cells[4]), Number((bin.uplift * 100).toFixed(2)), `bin ${bin.percentile} uplift`);
    }
    // Both charts, with their words; the profit uses each user's spend.
    assert.equal(await page.locator('#qini-chart svg').count(), 1);
    assert.equal(await page.locator('#profit-chart svg').count(), 1);
    assert.match(await page.locator('#targeting-profit').innerText(), /Valuing each user's spend and \$0\.50 per user personalized: personalize for the top \d+%/);
    assert.match(await page.locator('#qini-chart figcaption').innerText(), /top 20% of scores gives [\d,]+ extra responses/);
    await page.locator('#targeting').screenshot({ path: join(ROOT, 'tests/browser/artifacts/targeting-1440.png') });

    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-progress').waitFor({ state: 'detached', timeout: 60_000 });
    assert.match(await page.locator('#targeting-interval').innerText(), /95% bootstrap interval/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
    await page.locator('#targeting').screenshot({ path: join(ROOT, 'tests/browser/artifacts/targeting-360.png') });

    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the bootstrap can be cancelled, and bad files are named without losing the results', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await openTargeting(page);
    await page.locator('#targeting-sample').click();
    await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
    await page.locator('#targeting-run').click();
    // Resampling shows its progress; Cancel stops it and keeps the curves.
    await page.waitForFunction(() => /Bootstrap: [\d,]+ of 1,000/.test(document.querySelector('#targeting-progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.locator('#targeting-cancel').click();
    await page.locator('#targeting-progress').waitFor({ state: 'detached' });
    assert.match(await page.locator('#targeting-interval').innerText(), /Cancelled after [\d,]+ of 1,000 resamples/);
    assert.equal(await page.locator('#qini-chart svg').count(), 1, 'the curves stay');
    const before = await page.locator('#targeting-qini').innerText();

    // Revenue as the outcome: not 1/0, named with its line and column.
    await page.locator('#targeting-outcome').selectOption('revenue');
    await page.locator('#targeting-revenue').selectOption('');
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-error').waitFor();
    assert.match(await page.locator('#targeting-error').innerText(), /Line \d+, column 'revenue': "40" is not/);
    assert.equal(await page.locator('#targeting-qini').innerText(), before, 'the last results stay');

    // The same column twice.
    await page.locator('#targeting-outcome').selectOption('score');
    await page.locator('#targeting-run').click();
    await page.waitForFunction(() => /three different columns/.test(document.querySelector('#targeting-error')?.textContent ?? ''));

    // A file with too few columns.
    const narrow = join(dir, 'narrow.csv');
    writeFileSync(narrow, 'score,treatment\n0.1,1\n0.2,0\n');
    await page.setInputFiles('#targeting-file', narrow);
    await page.waitForFunction(() => /narrow\.csv” has 2 column/.test(document.querySelector('#targeting-error')?.textContent ?? ''));
    assert.equal(await page.locator('#targeting-qini').innerText(), before, 'the last results stay');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The profit curve's best share carried into the investment case: the
// saved scenario holds the CLI's best share and its gain over everyone,
// the page's chance of ROI > 0 is the CLI's for that scenario, and
// choosing "everyone" puts the other row's figures in the headline.
test('the top of the ranking against everyone in the investment case', async () => {
  const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
  const cli = JSON.parse(execFileSync(CLI, ['targeting', HILLSTROM, '--score', 'score', '--treatment', 'treatment',
    '--outcome', 'visit', '--revenue', 'spend', '--cost-per-user', '0.5', '--bootstrap', '0'], { encoding: 'utf8' }));
  const p = cli.profit_curve;
  const gain = (p.best_profit + 0.5 * p.best_share) / (p.everyone_profit + 0.5);
  const chanceText = (x) => (x > 0.999 ? '> 99.9%' : x < 0.001 ? '< 0.1%' : `${(x * 100).toFixed(1)}%`);
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTargeting(page);
    await page.setInputFiles('#targeting-file', HILLSTROM);
    await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
    await page.locator('#targeting-outcome').selectOption('visit');
    await page.locator('#targeting-resamples').selectOption('200');
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-use').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#targeting-use').innerText(), new RegExp(`top ${Math.round(p.best_share * 100)}%`));
    await page.locator('#targeting-use').click();
    await page.locator('#reach-table').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#targeting-sent').count(), 1, 'the tool says what it sent, and keeps saying it');
    assert.equal(await page.locator('#reach-part').isChecked(), true);
    assert.match(await page.locator('#from-data-reach').innerText(), new RegExp(`earn ${gain.toFixed(2)}× the incremental profit`));

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-scenario').click()]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const inv = saved.investment;
    assert.equal(inv.reach_share, p.best_share);
    assert.ok(Math.abs(inv.reach_gain - gain) < 1e-12, `${inv.reach_gain} vs ${gain}`);
    assert.equal(inv.reach_cost_per_user, 0.5);
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(saved));
    writeFileSync(join(dir, 'data.csv'), saved.data);
    const analyse = () => JSON.parse(execFileSync(CLI, ['analyze', join(dir, 'data.csv'), '--scenario', join(dir, 'scenario.json')], { encoding: 'utf8' }));
    const top = analyse();
    await page.waitForFunction((c) => document.querySelector('#chance-positive')?.textContent === c, chanceText(top.roi.probability_roi_positive));
    const topRow = await page.locator('#reach-top td').allInnerTexts();
    assert.equal(topRow[3], chanceText(top.roi.probability_roi_positive));
    assert.equal(topRow[1], `${(top.roi.roi_percent).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`.replace('-', '−'));
    await page.locator('#investment').screenshot({ path: join(ROOT, 'tests/browser/artifacts/investment-reach-1440.png') });

    // Everyone: the headline takes the other row, which is the CLI's without the reach.
    const everyoneRow = await page.locator('#reach-everyone td').allInnerTexts();
    await page.locator('#reach-all').check();
    await page.waitForFunction((c) => document.querySelector('#chance-positive')?.textContent === c, everyoneRow[3]);
    Object.assign(saved.investment, { reach_share: 1, reach_gain: 1, reach_cost_per_user: 0 });
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(saved));
    assert.equal(everyoneRow[3], chanceText(analyse().roi.probability_roi_positive));
    assert.equal(await page.locator('#reach-all').isChecked(), true);
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
    await page.locator('#from-data').screenshot({ path: join(ROOT, 'tests/browser/artifacts/investment-reach-360.png') });
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the last file wins: a run on the file before stops, and two files never make one result', async () => {
  // Before: after a 5,000-user file, a 1,000-user file with scores of
  // 1e308 showed the old Qini and "5,000 users" beside the new file's
  // bootstrap interval, which did not contain its own estimate.
  const rows = (n, score) => ['score,treatment,conversion', ...Array.from({ length: n }, (_, i) => `${score(i)},${i % 2},${(i * 7) % 10 < (i % 2 ? 4 : 2) ? 1 : 0}`)].join('\n') + '\n';
  // Large enough that its bootstrap is still running when the next file comes.
  const first = join(dir, 'two-hundred-thousand.csv');
  writeFileSync(first, rows(200_000, (i) => ((i * 37) % 1000) / 1000));
  const second = join(dir, 'huge-scores.csv');
  writeFileSync(second, rows(1_000, (i) => (i % 3 === 0 ? '1e308' : `${(i % 11) * 1e306}`)));
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openTargeting(page);
    await page.setInputFiles('#targeting-file', first);
    await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
    await page.locator('#targeting-run').click();
    await page.waitForFunction(() => /Bootstrap: [\d,]+ of 1,000/.test(document.querySelector('#targeting-progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
    // Another file while the first one's bootstrap runs: the run stops.
    await page.setInputFiles('#targeting-file', second);
    await page.locator('#targeting-progress').waitFor({ state: 'detached', timeout: 10_000 });
    assert.match(await page.locator('#targeting-summary').innerText(), /^200,000 users/);
    await page.waitForTimeout(1_500);
    assert.match(await page.locator('#targeting-summary').innerText(), /^200,000 users/, 'no late answer of the stopped run');
    assert.match(await page.locator('#targeting-interval').innerText(), /^Stopped, as other data was chosen, after [\d,]+ of 1,000 resamples: no interval\.$/);
    // The second file, run to the end: every number is its own.
    await page.locator('#targeting-resamples').selectOption('200');
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-progress').waitFor({ state: 'detached', timeout: 60_000 });
    assert.match(await page.locator('#targeting-summary').innerText(), /^1,000 users/);
    const qini = await page.locator('#targeting-qini').innerText();
    const estimate = Number(/Qini coefficient (-?[\d.]+)/.exec(qini)?.[1]);
    const interval = /bootstrap interval (-?[\d.]+) to (-?[\d.]+)/.exec(qini);
    assert.ok(interval, qini);
    assert.ok(Number(interval[1]) <= estimate + 1e-3 && estimate - 1e-3 <= Number(interval[2]), `${estimate} outside ${interval[0]}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
