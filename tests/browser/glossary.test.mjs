// The glossary: every metric heading and key figure has a "?" that shows
// what it means and its formula, by keyboard as well as by mouse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();

test('metric headings and key figures explain themselves with a formula', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const buttons = page.locator('#conversion-table thead .term-info');
    assert.ok((await buttons.count()) >= 4, 'metric, uplift, interval and p-value are explained');
    // Keyboard: focusing the "?" shows the definition it describes.
    const uplift = page.getByRole('button', { name: 'What is Uplift?' }).first();
    await uplift.focus();
    const tipId = await uplift.getAttribute('aria-describedby');
    const tip = page.locator(`#conversion-table #${tipId}`);
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.innerText(), /\(variant − control\) ÷ control/);
    await screenshot(page, 'glossary-uplift');
    // Hidden again when focus moves on.
    await page.keyboard.press('Tab');
    await tip.waitFor({ state: 'hidden', timeout: 5_000 });
    // Mouse: hovering the ROI figure's "?" shows ROI's formula.
    await page.getByRole('button', { name: 'What is ROI?' }).hover();
    assert.match(await page.locator('.kpi [role="tooltip"]:visible').innerText(), /\(total benefit − total cost\) ÷ total cost/);
    for (const name of ['Payback', 'NPV', 'Chance ROI > 0', 'Conversion rate']) {
      assert.equal(await page.getByRole('button', { name: `What is ${name}?` }).count() > 0, true, name);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
