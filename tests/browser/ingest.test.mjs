// Data in, as a person brings it: a 1,000,000-row export read in the
// background worker while the page keeps answering, cancelling a load, the
// tricky-file corpus through the file picker, the column-mapping step (and
// that it is remembered), drag-and-drop, and the sample menu.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, useBrowser, openApp, screenshot, showSettings } from './harness.mjs';
import { writeRows } from '../../bench/gen-rows.mjs';

const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
const CORPUS = join(ROOT, 'tests', 'corpus');
const BIG = join(tmpdir(), 'uplift-roi-1m-rows.csv');
// Large enough (≈ 2 s to read) that Cancel is pressed while it loads.
const HUGE = join(tmpdir(), 'uplift-roi-200mb.csv');
// Over 2 MB with headers the page does not recognise: read by the worker
// only after the column-mapping step.
const ODD = join(tmpdir(), 'uplift-roi-odd-headers.csv');
// Over 2 MB, its variant column with 24 values: confirmed before it is analysed.
const STORES = join(tmpdir(), 'uplift-roi-24-stores.csv');
const env = useBrowser();

before(async () => {
  const { rows, bytes } = await writeRows(BIG, { rows: 1_000_000 });
  assert.equal(rows, 1_000_000);
  assert.ok(bytes > 30e6, `${bytes} bytes`);
  await writeRows(HUGE, { bytes: 200 * 1024 * 1024 });
  // No header names the variant, so the roles must be chosen.
  const lines = ['testzelle,gekauft'];
  for (let i = 0; i < 300_000; i++) lines.push(`${i % 2 ? 'group-b' : 'group-a'},${i % 7 === 0 ? 1 : 0}`);
  writeFileSync(ODD, lines.join('\n') + '\n');
  const stores = ['variant,converted'];
  for (let i = 0; i < 300_000; i++) stores.push(`store-${i % 24},${i % 7 === 0 ? 1 : 0}`);
  writeFileSync(STORES, stores.join('\n') + '\n');
});

function offOrigin(requests) {
  return requests.filter((u) => !u.startsWith(env.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
}

const statusText = (page) => page.locator('#data-ok').innerText();

test('a 1,000,000-row export loads in the worker, the page answers meanwhile, and the numbers are the engine’s', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#file-progress').waitFor({ timeout: 10_000 });
    // The page answers while the file is read: switching the method re-renders at once.
    await showSettings(page);
    await page.locator('label:has-text("Bayesian")').click();
    await page.locator('#verdict:has-text("chance")').waitFor({ timeout: 2_000 });
    await page.locator('label:has-text("Frequentist")').click();
    await page.locator('#data-ok:has-text("1,000,000 user rows")').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#file-progress').count(), 0, 'progress is gone when done');
    await screenshot(page, 'big-file-loaded');

    // The oracle: the engine's CLI on the same file, natively.
    const cli = JSON.parse(execFileSync(CLI, ['analyze', BIG], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    assert.equal(cli.rows, 1_000_000);
    const lift = cli.metrics.conversion_rate.variants[1].vs_control.relative;
    const shown = await page.locator('#conversion-table tbody tr', { has: page.locator('th:text-is("personalized")') }).locator('td.uplift').innerText();
    const fmt = `${lift > 0 ? '+' : '−'}${(Math.abs(lift) * 100).toFixed(1)}%`;
    assert.equal(shown.trim(), fmt);
    const status = await statusText(page);
    assert.match(status, /rows\/s/);
    // Only sums are kept: the text area holds two aggregated rows, not a million.
    const data = await page.locator('#data-input').inputValue();
    assert.equal(data.trim().split('\n').length, 3, data);

    // Split by its `segment` column: the worker reads the file again, with
    // progress, and the sums per segment give the engine's segment report.
    await page.locator('#open-metrics').click();
    await page.locator('#segment-column option[value="segment"]').waitFor({ state: 'attached', timeout: 15_000 });
    await page.locator('#segment-column').selectOption('segment');
    // Cancel stops the second read and says so where it was asked for.
    await page.locator('#segment-cancel').click({ timeout: 10_000 });
    await page.locator('#segment-error:has-text("was cancelled; the data is unchanged")').waitFor();
    assert.equal(await page.locator('#data-input').inputValue(), data);
    await page.locator('#segment-column').selectOption('');
    await page.locator('#segment-column').selectOption('segment');
    await page.locator('#segment-progress').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('#segment-table tbody tr').length === 2, null, { timeout: 60_000 });
    assert.equal(await page.locator('#segment-progress').count(), 0, 'progress is gone when done');
    const bySegment = JSON.parse(execFileSync(CLI, ['analyze', BIG, '--segment', 'segment'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const oneDecimal = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${(Math.abs(x) * 100).toFixed(1)}%`;
    const shownSegments = await page.locator('#segment-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
      name: r.querySelector('th').textContent.trim(),
      uplift: r.querySelector('td.uplift').textContent.trim(),
    })));
    const byName = (a, b) => a.name.localeCompare(b.name);
    assert.deepEqual(shownSegments.sort(byName), bySegment.segments.segments.map((x) => ({ name: x.segment, uplift: oneDecimal(x.uplift.mean) })).sort(byName));
    assert.equal((await page.locator('#conversion-table tbody tr', { has: page.locator('th:text-is("personalized")') }).locator('td.uplift').innerText()).trim(), fmt, 'the whole experiment is unchanged');
    await page.locator('#segment-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'big-file-segments');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests), []);
    assert.ok(requests.some((u) => u.endsWith('ingest_worker_bg.wasm')), 'the worker was loaded from the origin');
  } finally {
    await context.close();
  }
});

test('cancelling a load keeps the data that was there', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const before = await page.locator('#verdict').innerText();
    await page.setInputFiles('#data-file', HUGE);
    // The button is not rebuilt by each progress message (a click between
    // mouse down and up on a rebuilt button would be lost).
    const cancel = await page.locator('#file-cancel').elementHandle({ timeout: 10_000 });
    const rowsBefore = await page.locator('#file-progress label').innerText();
    await page.waitForFunction((t) => document.querySelector('#file-progress label')?.textContent !== t, rowsBefore);
    assert.equal(await cancel.evaluate((b) => b.isConnected), true, 'Cancel is the same element after progress updates');
    await cancel.click();
    await page.locator('#data-error:has-text("cancelled")').waitFor();
    assert.equal(await page.locator('#file-progress').count(), 0);
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#verdict').innerText(), before);
    assert.doesNotMatch(await page.locator('#data-input').inputValue(), /1000000/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a file reader from another version of the site stops the load with a message', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // A worker that answers in a form this page does not read (as an
    // older or newer deploy's would).
    await context.route('**/ingest_worker_loader.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: 'postMessage(JSON.stringify({ kind: "ready" }));' }));
    const before = await page.locator('#verdict').innerText();
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#data-error:has-text("updated while it was open")').waitFor();
    assert.equal(await page.locator('#file-progress').count(), 0, 'no progress bar left waiting');
    assert.equal(await page.locator('#verdict').innerText(), before);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every corpus file gives its result or a message naming the problem, and never loses the last data', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const expected = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8'));
    for (const [name, want] of Object.entries(expected)) {
      // Start each file from the demo, so a kept result is recognisable.
      await page.locator('button:has-text("Load demo data")').click();
      await page.locator('#data-ok:has-text("2 aggregated rows")').waitFor();
      const verdict = await page.locator('#verdict').innerText();
      await page.setInputFiles('#data-file', join(CORPUS, name));
      if (want.error) {
        const msg = page.locator('#data-error');
        await msg.waitFor({ timeout: 5_000 }).catch(() => assert.fail(`${name}: no error message shown`));
        const text = await msg.innerText();
        for (const w of want.error) assert.ok(text.includes(w), `${name}: "${text}" lacks "${w}"`);
        assert.equal(await page.locator('#verdict').innerText(), verdict, `${name}: results were lost`);
      } else {
        // Loaded when the text area no longer holds the demo.
        await page.waitForFunction(() => !document.querySelector('#data-input').value.startsWith('variant,users,conversions,orders,revenue,revenue_sq'), null, { timeout: 5_000 });
        const status = await statusText(page);
        assert.doesNotMatch(status, /^$/, name);
        assert.equal(await page.locator('#data-error').count(), 0, `${name}: ${await page.locator('#data-error').allInnerTexts()}`);
        if (want.skipped) assert.match(await page.locator('#skipped-rows summary').innerText(), new RegExp(`^${want.skipped} rows? (was|were) skipped`), name);
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('unknown headers ask which column is which, and the answer is remembered', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const file = join(CORPUS, 'unknown-headers.csv');
    await page.setInputFiles('#data-file', file);
    await page.locator('#column-mapping').waitFor();
    await screenshot(page, 'column-mapping');
    await page.locator('#column-mapping select').nth(0).selectOption('variant');
    await page.locator('#column-mapping select').nth(1).selectOption('users');
    await page.locator('#column-mapping select').nth(2).selectOption('conversions');
    await page.locator('#data-ok:has-text("Read 2 aggregated rows")').waitFor();
    const expectedLift = JSON.parse(execFileSync(CLI, ['analyze', join(CORPUS, 'comma.csv')], { encoding: 'utf8' }));
    assert.ok(expectedLift, 'CLI answers');
    assert.equal(await page.locator('#data-error').count(), 0);
    // A second visit: the same headers load without asking.
    await page.locator('button:has-text("Load demo data")').click();
    await page.reload();
    await page.waitForSelector('#verdict');
    await page.setInputFiles('#data-file', file);
    await page.locator('#data-ok:has-text("Read 2 aggregated rows")').waitFor();
    assert.match(await page.locator('#conversion-table').innerText(), /\bB\b/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the large-file reader is downloaded on first use; a failed download says so and the data stays', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    assert.equal(requests.filter((u) => /tools/.test(u)).length, 0, 'no tools on a first visit');
    const before = await page.locator('#verdict').innerText();
    await context.route('**/tools_bg.wasm', (route) => route.abort());
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#data-error:has-text("could not be downloaded")').waitFor();
    assert.match(await page.locator('#data-error').innerText(), /reader for large files could not be downloaded .*data you had before is unchanged/);
    assert.equal(await page.locator('#verdict').innerText(), before);
    await context.unroute('**/tools_bg.wasm');
    // While the reader downloads, the page says what it is opening.
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/tools_bg.wasm', async (route) => { await held; await route.continue(); });
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#file-opening').waitFor();
    assert.equal(await page.locator('#file-opening label').innerText(), 'Opening “uplift-roi-1m-rows.csv”…');
    // Cancel while it downloads: nothing is read, the data stays.
    await page.locator('#file-opening-cancel').click();
    await page.locator('#data-error:has-text("was cancelled")').waitFor();
    assert.equal(await page.locator('#file-opening').count(), 0);
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#file-opening').waitFor();
    release();
    await page.locator('#file-progress').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#file-opening').count(), 0);
    await page.locator('#data-ok:has-text("1,000,000 user rows")').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#data-error').count(), 0);
    assert.deepEqual(errors.filter((e) => !/tools_bg\.wasm|Failed to fetch|net::ERR_FAILED/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a large file with unknown headers asks for its columns, then reads with them; new data drops the question', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.setInputFiles('#data-file', ODD);
    await page.locator('#mapping-apply').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#column-mapping').innerText(), /uplift-roi-odd-headers\.csv.*read the file again/s);
    assert.match(await page.locator('#data-error').innerText(), /odd-headers/);
    await page.locator('#column-mapping select').nth(0).selectOption('variant');
    await page.locator('#column-mapping select').nth(1).selectOption('converted');
    await page.locator('#mapping-apply').click();
    await page.locator('#data-ok:has-text("300,000 user rows")').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#column-mapping').count(), 0, 'the step is gone once read');
    assert.equal(await page.locator('#data-error').count(), 0, 'the question is answered');
    // The same headers again: read with the remembered roles, no question.
    await page.locator('button:has-text("Load demo data")').click();
    await page.locator('#data-ok:has-text("2 aggregated rows")').waitFor();
    await page.setInputFiles('#data-file', ODD);
    await page.locator('#data-ok:has-text("300,000 user rows")').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#mapping-apply').count(), 0);
    // Another file asks again; replacing the data drops the question.
    const other = join(tmpdir(), 'uplift-roi-odder-headers.csv');
    writeFileSync(other, readFileSync(ODD, 'utf8').replace('testzelle,gekauft', 'team,took'));
    // Pasted data with unknown columns has its form; a large file waiting
    // for its roles takes over: one form on the page, never two.
    await page.locator('#data-input').fill('team,took\nx,1\ny,0\n');
    await page.locator('#column-mapping').waitFor();
    await page.setInputFiles('#data-file', other);
    await page.locator('#mapping-apply').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#column-mapping').count(), 1, 'one column form');
    await page.locator('button:has-text("Load demo data")').click();
    await page.locator('#data-ok:has-text("2 aggregated rows")').waitFor();
    assert.equal(await page.locator('#mapping-apply').count(), 0, 'no question about a file that was replaced');
    // So does clearing the data.
    await page.setInputFiles('#data-file', other);
    await page.locator('#mapping-apply').waitFor({ timeout: 20_000 });
    await Promise.all([page.waitForEvent('load'), page.locator('#clear-my-data').click()]);
    await page.locator('#data-ok:has-text("2 aggregated rows")').waitFor();
    assert.equal(await page.locator('#mapping-apply').count(), 0, 'no question after Clear my data');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('data tools from another version of the page say to reload, and the data stays', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    // The tools of another build: the same module, asked with another
    // message format (what a tab open across a deploy would send).
    await context.route('**/tools.js', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()) + `;(() => {
        const read = wasm_bindgen.read_large_file;
        wasm_bindgen.read_large_file = (slot, file, context, format, onEvent) => read(slot, file, context, '0000000000000000', onEvent);
      })();`;
      await route.fulfill({ response, body });
    });
    const before = await page.locator('#verdict').innerText();
    await page.setInputFiles('#data-file', BIG);
    await page.locator('#data-error:has-text("updated while it was open")').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#data-error').innerText(), /data tools no longer match it\. Reload the page/);
    assert.equal(await page.locator('#file-progress').count(), 0, 'nothing was read');
    assert.equal(await page.locator('#verdict').innerText(), before);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a column chooser that cannot be downloaded says so, and a retry shows it', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await context.route('**/tools_bg.wasm', (route) => route.abort());
    await page.locator('#data-input').fill('crew,took\nx,1\ny,0\n');
    await page.locator('#mapping-failed').waitFor();
    assert.match(await page.locator('#mapping-failed').innerText(), /column chooser could not be downloaded/);
    // Editing the rows keeps the message and its button.
    await page.locator('#data-input').fill('crew,took\nx,1\ny,1\n');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#mapping-failed').count(), 1);
    await context.unroute('**/tools_bg.wasm');
    await page.locator('#mapping-failed button').click();
    await page.locator('#column-mapping').waitFor();
    assert.equal(await page.locator('#mapping-failed').count(), 0);
    assert.deepEqual(errors.filter((e) => !/tools_bg\.wasm|Failed to fetch|net::ERR_FAILED/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a file dropped on the page loads, and the sample menu offers each shape', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const csv = readFileSync(join(CORPUS, 'booleans.csv'), 'utf8');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      for (const type of ['dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, csv);
    await page.locator('#data-ok:has-text("Read 7 user rows")').waitFor();
    for (const [id, text] of [['row-level', 'Read 4,000 user rows'], ['segments', 'Read 4 aggregated rows'], ['pre-period', 'Read 4,000 user rows']]) {
      await page.locator('#sample-select').selectOption(id);
      await page.locator(`#data-ok:has-text("${text}")`).waitFor();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a large file whose variant column has 24 values is read once the column is confirmed', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.setInputFiles('#data-file', STORES);
    await page.locator('#mapping-apply').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('#data-error').innerText(), /Column 'variant' has 24 different values: is it really the variant\?/);
    // The step opens with the column set as the variant: one click confirms it.
    assert.equal(await page.locator('#column-mapping select').nth(0).inputValue(), 'variant');
    await page.locator('#mapping-apply').click();
    await page.locator('#data-ok:has-text("300,000 user rows")').waitFor({ timeout: 30_000 });
    await page.locator('#data-ok:has-text("24 variants")').waitFor();
    assert.equal(await page.locator('#data-error').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the column step shows each role in full, with its reason, on a wide screen and a phone', async () => {
  // Before: at 1,440 px the reasons took the width and cut the selects to
  // "Variant (g…"; at 390 px the table ran off the screen.
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width, height });
    try {
      await page.setInputFiles('#data-file', join(ROOT, 'tests/data/exports_heads/qss_star.csv'));
      await page.locator('.mapping-table select').first().waitFor({ timeout: 20_000 });
      const widths = await page.locator('.mapping-table select').evaluateAll((s) => s.map((x) => x.getBoundingClientRect().width));
      assert.ok(widths.every((w) => w >= 250), `${width} px: selects ${widths.map(Math.round)}`);
      assert.ok((await page.locator('.mapping-table .why').first().innerText()).length > 10);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${width} px: the page is ${overflow} px too wide`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
