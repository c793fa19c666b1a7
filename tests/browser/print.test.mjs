// Printing: the results become a short report (one to three A4 pages) without
// the forms, buttons or share link; the pages are rendered to images to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, useBrowser, openApp, screenshot, showCharts } from './harness.mjs';

const env = useBrowser();

function have(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('printing gives a one-to-three-page report of the results', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await showCharts(page);
    await page.locator('#conversion-chart svg').waitFor();
    // Two tools opened, one left as its card: neither is printed.
    for (const kind of ['clv', 'planner']) {
      await page.locator(`#open-${kind}`).click();
      await page.locator(`#${kind}`).waitFor();
    }
    await page.emulateMedia({ media: 'print' });
    // What a form would need is gone; what a reader needs stays.
    for (const sel of ['#data', '#investment', '.share-bar', '.analysis-controls', '#clv', '#planner', '#warehouse', '.tool-card', '.site-footer']) {
      const visible = await page.locator(sel).first().isVisible().catch(() => false);
      assert.equal(visible, false, `${sel} is hidden in print`);
    }
    for (const sel of ['#verdict', '#conversion-table', '#conversion-chart', '#total-cost']) {
      assert.ok(await page.locator(sel).first().isVisible(), `${sel} is printed`);
    }
    assert.equal(await page.locator('button:visible, input:visible, select:visible, textarea:visible').count(), 0, 'no controls printed');
    // Black on white.
    const colours = await page.evaluate(() => {
      const b = getComputedStyle(document.body);
      return { color: b.color, background: b.backgroundColor };
    });
    assert.deepEqual(colours, { color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
    await screenshot(page, 'print-media');

    await mkdir(ARTIFACTS, { recursive: true });
    const pdfPath = join(ARTIFACTS, 'report.pdf');
    const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    // Page objects are `/Type /Page`; the page tree is `/Type /Pages`.
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
    assert.ok(pages >= 1 && pages <= 3, `the report has ${pages} pages`);
    if (have('pdftoppm')) {
      for (const f of await readdir(ARTIFACTS)) if (/^report-page-\d+\.png$/.test(f)) await rm(join(ARTIFACTS, f));
      execFileSync('pdftoppm', ['-png', '-r', '70', pdfPath, join(ARTIFACTS, 'report-page')]);
      const images = (await readdir(ARTIFACTS)).filter((f) => /^report-page-\d+\.png$/.test(f));
      assert.equal(images.length, pages);
      assert.ok((await readFile(join(ARTIFACTS, images[0]))).length > 1000);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
