// Which touchpoints earn the conversions: ChannelAttribution's sample paths
// loaded through the Journeys tool's file input, attributed in the worker;
// each channel's last-touch, Shapley and Markov credit equal the reference
// fixture (tests/reference/generate_attribution.py: ChannelAttribution
// 2.2.5, mta 0.0.9, shapley-attribution 2.1.0 and the analytic Markov
// chain); a path file split by another separator is refused in words and
// the last result stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openApp, useBrowser } from './harness.mjs';

const env = useBrowser();
const dir = mkdtempSync(join(tmpdir(), 'journeys-'));
const PATHS = join(dir, 'Data.csv');
writeFileSync(PATHS, gunzipSync(readFileSync(join(ROOT, 'tests/data/channelattribution_paths.csv.gz'))));
const BAD = join(dir, 'piped.csv');
writeFileSync(BAD, 'path,total_conversions,total_null\nemail | push,3,1\n');
const fixture = JSON.parse(readFileSync(join(ROOT, 'tests/reference/attribution_fixture.json'), 'utf8'));
const offOrigin = (requests) => requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
const one = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The table's cells of column `col` (1 = first touch … 6 = Markov), numbers only. */
async function column(page, col) {
  return page.locator('#journeys-table tbody tr').evaluateAll((rows, c) => rows.map((r) => r.querySelectorAll('td')[c - 1].textContent.split(' (')[0]), col);
}

test('the sample paths: last touch, Shapley and the Markov chain of orders 1 and 2 equal the references', async () => {
  for (const width of [1440, 360]) {
    const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width, height: 900 });
    try {
      await page.locator('#open-journeys').click();
      await page.locator('#journeys-file').waitFor({ state: 'attached' });
      await page.setInputFiles('#journeys-file', PATHS);
      await page.locator('#journeys-run').click();
      await page.locator('#journeys-verdict').waitFor({ timeout: 30_000 });
      const names = await page.locator('#journeys-table tbody th').allInnerTexts();
      assert.deepEqual(names, fixture.channels);
      const exact = (order) => fixture.exact_markov.find((c) => c.order === order && c.with_nulls);
      assert.deepEqual(await column(page, 2), fixture.channelattribution.last_touch.conversions.map(one));
      assert.deepEqual(await column(page, 5), fixture.mta.shapley.map(one));
      assert.deepEqual(await column(page, 6), exact(1).conversions.map(one));
      assert.match(await page.locator('#journeys-summary').innerText(), /^10,000 paths, 88,387 journeys, 19,785 conversions worth 74,802\.97; /);
      if (width === 1440) {
        // Order 2: the Markov column follows the chain.
        await page.locator('#journeys-order').selectOption('2');
        await page.locator('#journeys-run').click();
        await page.locator('#journeys-table caption:has-text("order 2")').waitFor({ timeout: 30_000 });
        assert.deepEqual(await column(page, 6), exact(2).conversions.map(one));
        await page.locator('#journeys').screenshot({ path: join(ROOT, 'tests/browser/artifacts/journeys-1440.png') });
        // Another separator: said with its line; the last result stays.
        await page.setInputFiles('#journeys-file', BAD);
        await page.locator('#journeys-source:has-text("piped.csv")').waitFor();
        await page.locator('#journeys-run').click();
        await page.locator('#journeys-error').waitFor({ timeout: 30_000 });
        assert.match(await page.locator('#journeys-error').innerText(), /Line 2: the path "email \| push" is not split by '>'\. .*The results below are from the last analysis\./);
        assert.deepEqual(await column(page, 6), exact(2).conversions.map(one));
      } else {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
        await page.locator('#journeys').screenshot({ path: join(ROOT, 'tests/browser/artifacts/journeys-360.png') });
      }
      assert.deepEqual(offOrigin(requests), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
