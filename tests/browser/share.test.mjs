// Saving and sharing without a server: links that restore the page, saved
// files, autosave in the browser, and a "clear my data" that really clears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT, useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();

const totalCost = (page) => page.locator('#total-cost').innerText();
// Links are `#z=` + base64url(raw DEFLATE(JSON)); node's zlib reads them too.
const decodeFragment = (url) => inflateRawSync(Buffer.from(new URL(url).hash.replace(/^#z=/, ''), 'base64url')).toString('utf8');

test('a copied link restores the page elsewhere; row-level data stays out of it', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.getByLabel('Amount of cost line 2').fill('50000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$134,000');
    await page.locator('#copy-link').click();
    await page.locator('#share-message').waitFor();
    const url = page.url();
    assert.match(url, /#z=/);
    // Compressed: well under the length of the plain JSON in base64.
    const plain = Buffer.from(decodeFragment(url)).toString('base64url').length;
    assert.ok(new URL(url).hash.length < plain * 0.6, `${new URL(url).hash.length} vs ${plain}`);
    const other = await env.browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(url);
    await fresh.waitForSelector('#verdict');
    assert.equal(await totalCost(fresh), '$134,000');
    await other.close();
    // Row-level data: the link carries per-variant sums, not rows.
    await page.locator('#data-input').fill('user_id,variant,converted,revenue\nalice,A,1,10\nbob,A,0,0\ncarol,B,1,12\ndave,B,1,8\n');
    await page.locator('#data-ok').filter({ hasText: 'user rows' }).waitFor();
    await page.locator('#copy-link').click();
    await page.waitForFunction((old) => location.href !== old, url);
    const shared = JSON.parse(decodeFragment(page.url()));
    assert.ok(!shared.data.includes('alice'), shared.data);
    assert.match(shared.data, /^variant,users,conversions,revenue,revenue_sq\n/);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith(env.server.origin + '/')), []);
  } finally {
    await context.close();
  }
});

test('autosave restores on return; "clear my data" really clears', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.getByLabel('Amount of cost line 2').fill('40000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$124,000');
    await page.reload();
    await page.waitForSelector('#verdict');
    assert.equal(await totalCost(page), '$124,000');
    assert.ok(await page.evaluate(() => localStorage.getItem('uplift-roi:scenario')));
    // The page starts afresh: nothing it held stays, and it says so.
    await Promise.all([page.waitForEvent('load'), page.locator('#clear-my-data').click()]);
    await page.waitForSelector('#verdict');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$114,000');
    assert.match(await page.locator('#share-message').innerText(), /Your data was removed from this browser, with the tools' files and results/);
    // The autosave writes the demo back; nothing of the user's remains.
    const saved = await page.evaluate(() => localStorage.getItem('uplift-roi:scenario'));
    assert.ok(saved === null || JSON.parse(saved).costs[1].amount === 30000, saved);
    await page.reload();
    await page.waitForSelector('#verdict');
    assert.equal(await totalCost(page), '$114,000');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a scenario file saves and opens; a wrong file changes nothing', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.getByLabel('Amount of cost line 2').fill('20000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$104,000');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save-scenario').click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(saved.version, 3);
    assert.equal(saved.costs[1].amount, 20000);
    // Open something that is not a scenario: explained, nothing changes.
    await page.locator('#open-scenario').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await page.locator('#share-message').filter({ hasText: 'was not opened' }).waitFor();
    assert.equal(await totalCost(page), '$104,000');
    // Open a changed copy of the saved file.
    saved.costs[1].amount = 60000;
    await page.locator('#open-scenario').setInputFiles({ name: 'scenario.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$144,000');
    // A damaged link is explained and the demo shown.
    const broken = await env.browser.newContext();
    const p2 = await broken.newPage();
    await p2.goto(`${env.server.origin}/#s=@@@`);
    await p2.waitForSelector('#verdict');
    assert.match(await p2.locator('#data-error').innerText(), /The link could not be opened/);
    await screenshot(p2, 'broken-link');
    await broken.close();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link from the first version of the app still opens, with the same numbers', async () => {
  const v1 = readFileSync(join(ROOT, 'tests', 'fixtures', 'scenario-v1.json'));
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/#s=${v1.toString('base64url')}`);
  try {
    assert.equal(await totalCost(page), '$114,000');
    assert.match(await page.locator('#verdict').innerText(), /lifts revenue per user by 36\.7%/);
    assert.equal(await page.locator('#data-error').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('locale and currency: Indian grouping in rupees, kept in the link', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#locale-select').selectOption('en-IN');
    await page.locator('#currency-select').selectOption('INR');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '₹1,14,000');
    await page.getByLabel('Amount of cost line 2').fill('1000000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '₹10,84,000');
    await screenshot(page, 'locale-en-IN');
    await page.locator('#copy-link').click();
    await page.locator('#share-message').waitFor();
    const other = await env.browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(page.url());
    await fresh.waitForSelector('#verdict');
    assert.equal(await totalCost(fresh), '₹10,84,000');
    await other.close();
    await page.locator('#locale-select').selectOption('de-DE');
    await page.locator('#currency-select').selectOption('EUR');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '1.084.000\u00a0€');
    assert.match(await page.locator("#verdict").innerText(), /36,7\u00a0%/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a damaged link leaves the saved scenario alone', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.getByLabel('Amount of cost line 2').fill('40000');
    await page.waitForFunction(() => document.querySelector('#total-cost')?.textContent === '$124,000');
    await page.goto(`${env.server.origin}/#z=AAAA`);
    await page.reload();
    await page.waitForSelector('#verdict');
    assert.match(await page.locator('#data-error').innerText(), /The link could not be opened/);
    assert.equal(await totalCost(page), '$124,000');
    const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('uplift-roi:scenario')));
    assert.equal(saved.costs[1].amount, 40000);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link or scenario file whose data cannot be read is not opened, and the saved work stays', async () => {
  // Before: such a link replaced the saved work (autosaved at once), then
  // said "the results below are from the last valid data" with none shown.
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const mine = 'variant,users,conversions\ncontrol,5000,250\npersonalized,5000,300\n';
    await page.locator('#data-input').fill(mine);
    await page.waitForFunction(() => (localStorage.getItem('uplift-roi:scenario') ?? '').includes('5000,300'));
    const scenario = JSON.parse(readFileSync(join(ROOT, 'examples', 'scenario.json'), 'utf8'));
    scenario.data = 'variant,users,conversions\ncontrol,abc,5\n';
    await page.goto(`${env.server.origin}/#s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`);
    await page.reload();
    await page.locator('#verdict').waitFor();
    assert.match(await page.locator('#data-error').innerText(), /^The link could not be opened: its data cannot be read\. Line 2, column 'users': "abc" is not a number\.$/);
    assert.equal(await page.locator('#data-input').inputValue(), mine);
    assert.ok((await page.evaluate(() => localStorage.getItem('uplift-roi:scenario'))).includes('5000,300'));
    // A scenario file alike.
    await page.locator('#open-scenario').setInputFiles({ name: 'bad-data.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
    await page.locator('#share-message').filter({ hasText: 'was not opened' }).waitFor();
    assert.match(await page.locator('#share-message').innerText(), /^“bad-data\.json” was not opened: its data cannot be read\. Line 2/);
    assert.equal(await page.locator('#data-input').inputValue(), mine);
    // Data that cannot be read from the start (typed, saved, reloaded): no
    // claim of previous results that are not there.
    await page.locator('#data-input').fill('variant,users,conversions\ncontrol,abc,5\n');
    await page.waitForFunction(() => (localStorage.getItem('uplift-roi:scenario') ?? '').includes('abc'));
    await page.goto(`${env.server.origin}/`);
    await page.reload();
    await page.locator('#data-error').waitFor();
    assert.doesNotMatch(await page.locator('#data-error').innerText(), /still show/);
    assert.equal(await page.locator('#verdict').count(), 0);
    assert.equal(await page.locator('.kept:visible').count(), 0);
    const banner = await page.locator('.summary-body').evaluate((e) => getComputedStyle(e, '::before').content);
    assert.ok(banner === 'none' || banner === 'normal', banner);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
