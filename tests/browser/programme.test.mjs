// The programme tool: a portfolio of experiments shrunk for the winner's
// curse and valued, carried by the page's share link like a single
// experiment, with a bad row named and the last valid programme kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, useBrowser } from './harness.mjs';

const env = useBrowser();
const CLI = join(ROOT, 'target/debug/uplift-roi');

async function openProgramme(page) {
  await page.locator('#open-programme').click();
  await page.locator('#programme-input').waitFor();
}

test('a sample programme is valued as the command line values it, and a link carries it', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openProgramme(page);
    await page.locator('#programme-sample').click();
    await page.locator('#programme-verdict').waitFor();
    const sample = await page.locator('#programme-input').inputValue();
    const dir = mkdtempSync(join(tmpdir(), 'programme-'));
    writeFileSync(join(dir, 'p.csv'), sample);
    const cli = JSON.parse(execFileSync(CLI, ['programme', join(dir, 'p.csv'), '--annual-value', '10000000', '--months', '12', '--discount-rate', '0.08'], { encoding: 'utf8' }));
    const money = (x) => `$${Math.round(x).toLocaleString('en-US')}`.replace('$-', '−$');
    const verdict = await page.locator('#programme-verdict').innerText();
    assert.match(verdict, new RegExp(`^${cli.winners.length} of 12 experiments shipped`));
    const detail = await page.locator('#programme-detail').innerText();
    assert.ok(detail.includes(money(cli.worth.annual_impact_raw)), `${detail} / ${money(cli.worth.annual_impact_raw)}`);
    assert.ok(detail.includes(money(cli.worth.total_cost)), detail);
    assert.ok(verdict.includes(money(cli.worth.annual_impact_shrunk)), verdict);
    assert.ok(verdict.includes(money(cli.worth.npv)), verdict);
    assert.ok(verdict.includes(`${Math.round(cli.worth.probability_positive * 100)}%`), verdict);
    const rows = page.locator('#programme-table tbody tr');
    assert.equal(await rows.count(), 12);
    assert.equal(await page.locator('#programme-table tbody tr.shipped').count(), cli.winners.length);
    assert.equal(await page.locator('#programme-chart svg').count(), 1);
    await page.locator('#programme').screenshot({ path: join(ROOT, 'tests/browser/artifacts/programme-1440.png') });

    // The link carries the programme: another browser opens it with the same verdict.
    await page.locator('#copy-link').click();
    await page.locator('#share-message').waitFor();
    const other = await env.browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(page.url());
    await fresh.waitForSelector('#verdict');
    await openProgramme(fresh);
    await fresh.locator('#programme-verdict').waitFor();
    assert.equal(await fresh.locator('#programme-verdict').innerText(), verdict);
    assert.equal(await fresh.locator('#programme-input').inputValue(), sample);
    await other.close();

    // A bad date is named with its line and column; the last programme stays.
    await page.locator('#programme-input').fill(sample.replace('2024-05-06', 'May 6th'));
    await page.locator('#programme-input').blur();
    await page.locator('#programme-error').waitFor();
    assert.match(await page.locator('#programme-error').innerText(), /Line 7, column 'date': "May 6th" is not a date \(YYYY-MM-DD\)\. The results below are from the last valid programme\./);
    assert.equal(await page.locator('#programme-verdict').innerText(), verdict);
    assert.ok(requests.every((u) => u.startsWith(env.server.origin)), 'every request stays on the origin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a lift of 1e308 is refused with its cell instead of freezing the page', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openProgramme(page);
    await page.locator('#programme-sample').click();
    await page.locator('#programme-verdict').waitFor();
    const sample = await page.locator('#programme-input').inputValue();
    const lines = sample.split('\n');
    const header = lines[0].split(',');
    const cells = lines[1].split(',');
    cells[header.indexOf('lift')] = '1e308';
    lines[1] = cells.join(',');
    await page.locator('#programme-input').fill(lines.join('\n'));
    await page.locator('#programme-input').blur();
    await page.locator('#programme-error').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#programme-error').innerText(), /Line 2, column 'lift': "1e308" is not a relative lift of at most 100/);
    // The page still answers.
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('two experiments with the same name: only the winner is marked shipped', async () => {
  // Before: winners were matched by name, so the losing "banner" was
  // marked shipped too.
  const text = [
    'name,lift,std_error,cost,share,date',
    'banner,0.08,0.02,10000,1,2024-01-15',
    'banner,-0.05,0.02,10000,1,2024-02-10',
    'c,0.01,0.02,10000,1,2024-03-01',
    'd,0.00,0.02,10000,1,2024-03-20',
    'e,0.02,0.02,10000,1,2024-04-20',
    'f,-0.01,0.02,10000,1,2024-05-02',
  ].join('\n') + '\n';
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await openProgramme(page);
    await page.locator('#programme-input').fill(text);
    await page.locator('#programme-input').blur();
    await page.locator('#programme-verdict').waitFor();
    const rows = page.locator('#programme-table tbody tr');
    assert.equal(await rows.count(), 6);
    assert.equal(await rows.nth(0).evaluate((r) => r.classList.contains('shipped')), true);
    assert.equal(await rows.nth(1).evaluate((r) => r.classList.contains('shipped')), false);
    assert.equal(await page.locator('#programme-table tbody tr.shipped').count(), 1);
    assert.match(await page.locator('#programme-verdict').innerText(), /^1 of 6 experiments shipped/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
