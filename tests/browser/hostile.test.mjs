// Hostile input: names from a link or a file are shown as text everywhere,
// in tables and in the SVG charts, never run; nothing is requested; and a
// panic inside the calculator shows a notice instead of a dead page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { ROOT, useBrowser, openApp, showCharts } from './harness.mjs';
import { writeRows } from '../../bench/gen-rows.mjs';

const env = useBrowser();
const EVIL_A = '<img src=x onerror=alert(1)>';
const EVIL_B = '</svg><script>alert(2)</script>';

test('names with markup render as text in tables and charts, run nothing, request nothing', async () => {
  const scenario = JSON.parse(readFileSync(join(ROOT, 'examples', 'scenario.json'), 'utf8'));
  scenario.data = `variant,users,conversions,orders,revenue,revenue_sq\n"${EVIL_A}",24000,480,516,41280,5640000\n"${EVIL_B}",24000,624,680,56440,7905000\n`;
  scenario.costs[0].label = '<b onmouseover=alert(3)>licence</b>';
  const link = `${env.server.origin}/#s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`;
  const { context, page, requests, errors } = await openApp(env.browser, link);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  try {
    const table = await page.locator('#conversion-table').innerText();
    assert.ok(table.includes(EVIL_A) && table.includes(EVIL_B), table);
    await showCharts(page);
    const svg = page.locator('#conversion-chart svg');
    await svg.waitFor();
    const svgText = await svg.textContent();
    // Charts cut long names short with "…" (the caption keeps them whole).
    assert.ok(svgText.includes(EVIL_B.slice(0, 12)), svgText);
    assert.ok((await page.locator('#conversion-chart figcaption').innerText()).includes(EVIL_B));
    // No element was made from the names: no img, no script inside the results.
    assert.equal(await page.locator('main img, main script, main b').count(), 0);
    await page.mouse.move(10, 10);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    const offOrigin = requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:'));
    assert.deepEqual(offOrigin, []);
    assert.ok(!requests.some((u) => new URL(u).pathname === '/x'), 'the img src was never requested');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('running out of stack shows the same notice', async () => {
  // The module's own stack in memory (a RuntimeError), then the browser's
  // call stack (a RangeError).
  for (const [hash, error] of [['#stack-test', /RuntimeError/], ['#call-stack-test', /RangeError/]]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
    try {
      await page.goto(`${env.server.origin}/${hash}`);
      await page.reload();
      await page.locator('#panic-notice').waitFor();
      assert.match(await page.locator('#panic-notice').innerText(), /Reload the page to continue/);
      assert.ok(errors.some((e) => error.test(e)), `${hash}: ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
});

test('a panic shows a notice with reload and reset, and the saved inputs survive', async () => {
  const { context, page } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const demoTotal = await page.locator('#total-cost').innerText();
    assert.notEqual(demoTotal, '$124,000');
    await page.getByLabel('Amount of cost line 2').fill('40000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$124,000');
    await page.goto(`${env.server.origin}/#panic-test`);
    await page.reload();
    await page.locator('#panic-notice').waitFor();
    assert.match(await page.locator('#panic-notice').innerText(), /Reload the page to continue/);
    await page.locator('#panic-reload').click();
    await page.waitForSelector('#verdict');
    assert.equal(await page.locator('#total-cost').innerText(), '$124,000');
    assert.equal(await page.locator('#panic-notice').count(), 0);
    // "Reset to the demo" reloads without the saved inputs.
    await page.goto(`${env.server.origin}/#panic-test`);
    await page.reload();
    await page.locator('#panic-reset').click();
    await page.waitForSelector('#verdict');
    assert.equal(await page.locator('#total-cost').innerText(), demoTotal);
    assert.equal(await page.locator('#panic-notice').count(), 0);
  } finally {
    await context.close();
  }
});

test('limits are said in words: cost lines, columns, name lengths and absurd numbers', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1280, height: 900 });
  try {
    const total = () => page.locator('#total-cost').innerText();
    const before = await total();
    // A scenario with 501 cost lines is refused before it is applied or saved.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-scenario').click()]);
    const scenario = JSON.parse(readFileSync(await download.path(), 'utf8'));
    scenario.costs = Array.from({ length: 501 }, (_, i) => ({ ...scenario.costs[0], label: `line ${i}` }));
    await page.locator('#open-scenario').setInputFiles({ name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
    await page.locator('#share-message').filter({ hasText: '501 cost lines are more than the 500 this page handles' }).waitFor();
    assert.equal(await total(), before);
    assert.equal(await page.locator('.cost-table tbody tr').count(), 4);
    assert.ok(!(await page.evaluate(() => localStorage.getItem('uplift-roi:scenario') ?? '')).includes('line 500'));
    // A file without line breaks: one header of 1,500 "columns" is not
    // offered as 1,500 selects.
    const oneLine = Array.from({ length: 1500 }, (_, i) => `v${i}`).join(',');
    await page.setInputFiles('#data-file', { name: 'one-line.csv', mimeType: 'text/csv', buffer: Buffer.from(oneLine) });
    await page.locator('#mapping-too-wide').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#mapping-too-wide').innerText(), /1,500 columns, more than the 1,000 this page reads/);
    assert.equal(await page.locator('#column-mapping select').count(), 0);
    // A 10,000-letter variant name breaks instead of widening the page.
    const long = 'x'.repeat(10_000);
    await page.locator('#data-input').fill(`variant,users,conversions\ncontrol,1000,100\n${long},1000,130\n`);
    await page.locator('#conversion-table tbody tr:nth-child(2)').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1280, `the page is ${width} px wide`);
    // A cost of 1e300 is written in a line, not in 300 digits.
    await page.getByLabel('Amount of cost line 1').fill('1e300');
    // Monthly, over 12 months: 1.20e301.
    await page.waitForFunction(() => /\de30\d/.test(document.querySelector('#total-cost')?.textContent ?? ''));
    assert.ok((await total()).length < 16, await total());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the last action wins: data pasted or picked while a large file loads is never replaced by it', async () => {
  // Before: a paste 0.3 s after choosing a 72 MB file showed, then the big
  // file's sums silently replaced it, text box included; two files alike.
  const dir = mkdtempSync(join(tmpdir(), 'last-wins-'));
  const big = join(dir, 'big-export.csv');
  await writeRows(big, { bytes: 60 * 1024 * 1024 });
  const small = join(dir, 'small.csv');
  writeFileSync(small, 'variant,users,conversions\ncontrol,1000,100\npersonalized,1000,131\n');
  const pasted = 'variant,users,conversions\ncontrol,2000,200\npersonalized,2000,260\n';
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    for (const [what, act, kept] of [
      ['a paste', () => page.locator('#data-input').fill(pasted), pasted],
      ['a small file', () => page.setInputFiles('#data-file', small), readFileSync(small, 'utf8')],
    ]) {
      await page.setInputFiles('#data-file', big);
      await page.locator('#file-progress').waitFor({ timeout: 30_000 });
      await act();
      await page.locator('#file-progress').waitFor({ state: 'detached', timeout: 30_000 });
      // Longer than the big file takes to read.
      await page.waitForTimeout(4_000);
      assert.equal((await page.locator('#data-input').inputValue()).trim(), kept.trim(), `after ${what}`);
      const status = (await page.locator('#data-ok, #data-error').allInnerTexts()).join(' | ');
      assert.match(status, /^Read 2 aggregated rows:/, `after ${what}`);
    }
    // The big file alone still loads (the reader was stopped, not broken).
    await page.setInputFiles('#data-file', big);
    await page.locator('#data-ok:has-text("user rows")').waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a result is credited to its own file: choosing another file stops the run and keeps the name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provenance-'));
  const rows = (n, shift) => ['days,churned,group', ...Array.from({ length: n }, (_, i) => `${(i % 50) + 1 + shift},${i % 3 === 0 ? 1 : 0},${i % 2 ? 'B' : 'A'}`)].join('\n') + '\n';
  const first = join(dir, 'first-retention.csv');
  writeFileSync(first, rows(2_000_000, 0));
  const second = join(dir, 'second-retention.csv');
  writeFileSync(second, rows(200, 5));
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.locator('#open-time').click();
    await page.locator('#retention-file').waitFor({ state: 'attached' });
    await page.setInputFiles('#retention-file', second);
    await page.locator('#retention-duration option[value="days"]').waitFor({ state: 'attached' });
    await page.locator('#retention-run').click();
    await page.locator('#retention-summary').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#retention-summary').innerText(), /200 users of “second-retention\.csv”/);
    // A long run on the big file, then the small one chosen again meanwhile.
    await page.setInputFiles('#retention-file', first);
    await page.locator('#retention-source:has-text("first-retention.csv")').waitFor();
    await page.locator('#retention-run').click();
    await page.locator('#retention-progress').waitFor();
    await page.setInputFiles('#retention-file', second);
    await page.locator('#retention-progress').waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(3_000);
    // The result shown is the one it always was, with its own file's name.
    assert.match(await page.locator('#retention-summary').innerText(), /200 users of “second-retention\.csv”/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a binary file in a tool is refused in words, never shown as column names', async () => {
  // Before: the time tool read a workbook or binary file as CSV and printed
  // its bytes ("Found columns: �nF:g…").
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.locator('#open-time').click();
    await page.locator('#retention-file').waitFor({ state: 'attached' });
    for (const [file, kind] of [['binary.bin', 'binary data'], ['excel-workbook.xlsx', 'an Excel workbook or a zip archive']]) {
      await page.setInputFiles('#retention-file', join(ROOT, 'tests', 'corpus', file));
      const message = page.locator('#retention-error');
      await message.waitFor();
      const text = await message.innerText();
      assert.match(text, new RegExp(`^This file is ${kind}, not CSV text\\.`), text);
      assert.doesNotMatch(text, /\uFFFD|Found columns/);
    }
    await page.locator('#open-targeting').click();
    await page.locator('#targeting-file').waitFor({ state: 'attached' });
    await page.setInputFiles('#targeting-file', join(ROOT, 'tests', 'corpus', 'binary.bin'));
    await page.locator('#targeting-error').waitFor();
    assert.match(await page.locator('#targeting-error').innerText(), /^This file is binary data, not CSV text\./);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('no conversions and numbers too large to add up get their answer in words, in the tools and the data step', async () => {
  // Before: targeting without conversions stayed at "Bootstrap: 200 of
  // 200", a DiD outcome of 1e160 never answered (a NaN written as null),
  // and row-level revenue of 1e160 summed to inf in every chart and link.
  const dir = mkdtempSync(join(tmpdir(), 'words-'));
  const noConversions = join(dir, 'no-conversions.csv');
  writeFileSync(noConversions, ['score,treatment,conversion', ...Array.from({ length: 400 }, (_, i) => `${(i % 97) / 97},${i % 2},0`)].join('\n') + '\n');
  const hugePanel = join(dir, 'huge-outcome.csv');
  writeFileSync(hugePanel, ['store,week,treated,after,sales', ...[0, 1, 2, 3].flatMap((s) => [0, 1].map((w) => `${s},${w},${s >= 2 ? 1 : 0},${w},${s === 3 && w === 1 ? '1e160' : s + w + 1}`))].join('\n') + '\n');
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.locator('#open-targeting').click();
    await page.setInputFiles('#targeting-file', noConversions);
    await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
    await page.locator('#targeting-resamples').selectOption('200');
    await page.locator('#targeting-run').click();
    await page.locator('#targeting-error').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#targeting-error').innerText(), /^Nobody responded \(every outcome is 0\)/);
    assert.equal(await page.locator('#targeting-progress').count(), 0);
    await page.locator('#open-time').click();
    await page.setInputFiles('#did-file', hugePanel);
    await page.locator('#did-outcome option[value="sales"]').waitFor({ state: 'attached' });
    await page.locator('#did-run').click();
    await page.locator('#did-error').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('#did-error').innerText(), /Line 9, column 'sales'.*1e160/);
    await page.locator('#data-input').fill('user_id,variant,revenue\n1,control,10\n2,control,1e160\n3,treatment,12\n4,treatment,9\n');
    // The row is left out and said, with its cell; the sums stay finite.
    await page.locator('#data-ok:has-text("Read 3 user rows")').waitFor();
    await page.locator('#skipped-rows summary').click();
    assert.match(await page.locator('#skipped-rows').innerText(), /Line 3, column 'revenue': 1e160 is too large to analyse\./);
    await page.locator('#copy-link').click();
    await page.waitForFunction(() => location.hash.length > 3);
    const fragment = await page.evaluate(() => location.hash);
    const json = inflateRawSync(Buffer.from(fragment.replace(/^#z=/, '').split('&')[0], 'base64url')).toString('utf8');
    assert.match(json, /revenue_sq/);
    assert.doesNotMatch(json, /\binf\b|NaN/, 'the link carries finite sums the recipient can open');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
