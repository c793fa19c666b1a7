// An order export with one whale loaded through the file input as a person
// would (tests/data/whale_orders.csv: one control user spent 25,000). Raw
// revenue per user says the personalised offers lose money; capped at the
// 99.9th percentile of every user's value the verdict turns, the cap is said
// with its value and the users it changed, it stays in the link, and
// removing it brings the raw verdict back. An impossible cap is refused in
// words and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT, useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();
const WHALE = join(ROOT, 'tests', 'data', 'whale_orders.csv');
const decodeFragment = (url) => inflateRawSync(Buffer.from(new URL(url).hash.replace(/^#z=/, ''), 'base64url')).toString('utf8');
const offOrigin = (requests) => requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));

test('one whale: the capped revenue per user turns the verdict, and the cap is said, kept in the link and removable', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    await page.setInputFiles('#data-file', WHALE);
    const verdict = page.locator('#verdict');
    await page.locator('#verdict:has-text("Don\'t ship")').waitFor({ timeout: 30_000 });
    const raw = await verdict.innerText();
    assert.match(raw, /revenue per user/i);

    await page.locator('#open-metrics').click();
    const form = page.locator('fieldset.cap-add');
    await form.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#cap-metric').inputValue(), 'revenue_per_user');
    // An amount with no number is refused in words; nothing changes.
    await page.locator('#cap-level').selectOption('amount');
    await page.locator('#cap-amount').fill('');
    await page.locator('#add-cap').click();
    assert.match(await page.locator('#cap-add-error').innerText(), /Type the amount/);
    assert.equal(await page.locator('#cap-note-0').count(), 0);
    assert.equal(raw, await verdict.innerText());

    await page.locator('#cap-level').selectOption('0.999');
    await page.locator('#add-cap').click();
    const note = page.locator('#cap-note-0');
    await note.waitFor({ timeout: 15_000 });
    // numpy: np.quantile(all 6,000 revenues, 0.999) = 122.8019, 6 users above it.
    assert.match(await note.innerText(), /^Revenue per user: values above 122\.80 count as 122\.80 \(the 99\.9th percentile of every user's value in all variants\); 6 users' values lowered\./);
    await page.locator('#verdict:has-text("Ship")').waitFor({ timeout: 15_000 });
    const capped = await verdict.innerText();
    assert.doesNotMatch(capped, /Don't ship/);
    assert.match(capped, /capped revenue per user is better/i);
    assert.notEqual(capped, raw);
    await note.scrollIntoViewIfNeeded();
    await screenshot(page, 'capping-whale');

    // The cap is in the scenario: a copied link carries it and sums that
    // are capped already, and opens on the capped verdict.
    await page.locator('#copy-link').click();
    await page.waitForFunction(() => location.hash.startsWith('#z='));
    const shared = JSON.parse(decodeFragment(page.url()));
    // The percentile with the value it was taken at, which the page caps with.
    assert.match(shared.analysis.metrics, /^cap: revenue_per_user 99\.9% = 122\.80\d*$/m);
    assert.match(shared.data, /,revenue_cap\n/);
    const other = await env.browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(page.url());
    await fresh.locator('#verdict').waitFor({ timeout: 30_000 });
    assert.equal(await fresh.locator('#verdict').innerText(), capped);
    await other.close();

    // Removed, the raw verdict is back.
    await page.locator('#remove-cap-0').click();
    await page.locator('#verdict:has-text("Don\'t ship")').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#cap-note-0').count(), 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
  } finally {
    await context.close();
  }
});
