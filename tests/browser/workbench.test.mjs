// The page as a workbench: on a wide screen the results sit beside the
// inputs with the verdict always in view; on a phone the verdict comes
// first; every result view is reachable by keyboard, by its fragment and by
// a share link; charts fill the width they are given, redraw when the
// window is resized, and keep their text at 12 px or more on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openApp, screenshot } from './harness.mjs';

const env = useBrowser();
const VIEWS = ['overview', 'metrics', 'customer-value', 'investment-case'];
const offOrigin = (requests, origin) => requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));

/** Where `selector` is on screen, and whether it is the topmost thing at its centre. */
async function onScreen(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return {
      top: r.top,
      bottom: r.bottom,
      inView: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0,
      topmost: !!hit && (hit === el || el.contains(hit)),
    };
  }, selector);
}

test('at 1440 px the verdict stays in view while the last cost line is edited', async () => {
  const { context, page, requests, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 1440, height: 900 });
  try {
    const before = await page.locator('#verdict').innerText();
    const last = page.locator('#investment .cost-table tbody tr').last().locator('input.cost-amount');
    // Typing into it scrolls the page to it, far below the header.
    await last.fill('60000');
    await last.press('Tab');
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 300, `the page scrolled down to the last cost line (${scrolled} px)`);
    const verdict = await onScreen(page, '#verdict');
    assert.ok(verdict.inView && verdict.topmost, `verdict on screen and not covered: ${JSON.stringify(verdict)}`);
    for (const id of ['#key-uplift', '#key-roi', '#key-payback', '#key-chance']) {
      assert.ok((await onScreen(page, id)).inView, `${id} in view`);
    }
    await page.waitForFunction((b) => document.querySelector('#verdict').innerText !== b, before);
    assert.match(await page.locator('#verdict').innerText(), /ROI is/);
    await screenshot(page, 'workbench-1440-editing-costs');
    assert.deepEqual(errors, []);
    assert.deepEqual(offOrigin(requests, env.server.origin), []);
  } finally {
    await context.close();
  }
});

test('at 360 px the verdict and key figures are the first results on screen, the inputs a click away', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 360, height: 780 });
  try {
    const verdict = await onScreen(page, '#verdict');
    assert.ok(verdict.inView, `verdict on the first screen: ${JSON.stringify(verdict)}`);
    const data = await onScreen(page, '#data');
    const metrics = await onScreen(page, '#metrics');
    assert.ok(verdict.top < data.top && verdict.top < metrics.top, 'the verdict comes before the inputs and the tables');
    assert.ok((await onScreen(page, '#key-roi')).top < data.top, 'so do the key figures');
    await page.getByRole('link', { name: 'Edit costs' }).click();
    await page.waitForFunction(() => location.hash === '#investment');
    const costs = await onScreen(page, '#investment h2');
    assert.ok(costs.top >= 0 && costs.top < 200, `"Edit costs" brings the costs to the top: ${JSON.stringify(costs)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every result view is reachable by keyboard, by its fragment and by a share link', async () => {
  for (const width of [1440, 360]) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width, height: 900 });
    try {
      const nav = page.getByRole('navigation', { name: 'Result views' });
      assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['Overview', 'Metrics', 'Customer value', 'Investment case']);
      for (const id of VIEWS) {
        // Tab from the start of a freshly opened page until the view's link has focus.
        await page.goto(`${env.server.origin}/`);
        await page.waitForSelector('#verdict');
        let reached = false;
        for (let i = 0; i < 150 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = await page.evaluate((h) => document.activeElement?.getAttribute('href') === `#${h}` && !!document.activeElement.closest('.view-index'), id);
        }
        assert.ok(reached, `${width}px: the ${id} link is reached with Tab`);
        await page.keyboard.press('Enter');
        await page.waitForFunction((h) => location.hash === `#${h}`, id);
        assert.equal(await nav.locator(`a[href="#${id}"]`).getAttribute('aria-current'), 'true');
        await page.waitForTimeout(150);
        const heading = await onScreen(page, `#${id} h2`);
        assert.ok(heading.top > -2 && heading.top < 900 && heading.topmost, `${width}px: #${id} is shown (${JSON.stringify(heading)})`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  // A fragment opens the page on a view, and a share link keeps the view.
  // At 1440 px the views scroll under the summary: the view's heading is
  // at the top of that scroller.
  const atTop = (id) => {
    const r = document.querySelector(`#${id} h2`)?.getBoundingClientRect();
    const top = document.querySelector('.results-details').getBoundingClientRect().top;
    return r && r.top >= top - 2 && r.top < top + 60;
  };
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/#investment-case`, { width: 1440, height: 900 });
  try {
    await page.waitForFunction(atTop, 'investment-case');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
    await page.getByRole('link', { name: 'Customer value' }).click();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.waitForFunction(() => location.hash.includes('z=') || location.hash.includes('s='));
    const link = await page.evaluate(() => location.href);
    assert.match(link, /&view=customer-value$/);
    const opened = await context.newPage();
    await opened.goto(link);
    await opened.waitForSelector('#verdict');
    await opened.waitForFunction(atTop, 'customer-value');
    assert.equal(await opened.locator('.view-index a[href="#customer-value"]').getAttribute('aria-current'), 'true');
    assert.equal(await opened.locator('#verdict').innerText(), await page.locator('#verdict').innerText());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Every chart's drawn width, shown width and smallest text on screen. */
async function chartSizes(page) {
  const ids = await page.locator('figure.chart').evaluateAll((fs) => fs.map((f) => f.id));
  const out = {};
  for (const id of ids) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.locator(`#${id} svg`).waitFor({ timeout: 30_000 });
    out[id] = await page.evaluate((i) => {
      const svg = document.querySelector(`#${i} svg`);
      const shown = svg.getBoundingClientRect().width;
      const scale = shown / Number(svg.getAttribute('width'));
      // plotters writes each text's size as an attribute; what the eye
      // sees is that times the chart's scale on screen.
      const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(t.getAttribute('font-size')) * scale);
      const figure = document.querySelector(`#${i}`).getBoundingClientRect().width;
      return { drawn: Number(svg.getAttribute('width')), shown, figure, smallest: Math.min(...sizes), texts: sizes.length };
    }, id);
  }
  return out;
}

test('charts fill their width, keep text at 12 px or more on a phone, and redraw on resize', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`, { width: 360, height: 800 });
  try {
    const phone = await chartSizes(page);
    assert.equal(Object.keys(phone).length, 8, JSON.stringify(Object.keys(phone)));
    for (const [id, c] of Object.entries(phone)) {
      assert.ok(c.texts > 0, `${id} has text`);
      assert.ok(c.smallest >= 12, `${id}: smallest text ${c.smallest.toFixed(1)} px at 360 px`);
      assert.ok(Math.abs(c.shown - c.figure) < 2, `${id} fills its figure (${c.shown} of ${c.figure} px)`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    // Redrawn at the new width once resizing pauses.
    await page.waitForFunction(() => Number(document.querySelector('#conversion-chart svg')?.getAttribute('width')) > 600, null, { timeout: 10_000 });
    const desk = await chartSizes(page);
    for (const [id, c] of Object.entries(desk)) {
      assert.ok(c.drawn > 600, `${id} drawn for the wide pane (${c.drawn} px)`);
      assert.ok(Math.abs(c.shown - c.figure) < 2, `${id} fills its figure (${c.shown} of ${c.figure} px)`);
      // Shown within a step (40 px) of its drawn size: text at its natural size.
      assert.ok(c.shown / c.drawn >= 1 && c.shown / c.drawn < 1.07, `${id} shown at ${(c.shown / c.drawn).toFixed(2)}× its drawn size`);
      assert.ok(c.smallest >= 12, `${id}: smallest text ${c.smallest.toFixed(1)} px at 1440 px`);
    }
    // The tornado says which colour is which.
    const tornado = await page.locator('#tornado-chart svg').textContent();
    assert.ok(tornado.includes('input 20% lower') && tornado.includes('input 20% higher'), tornado);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
