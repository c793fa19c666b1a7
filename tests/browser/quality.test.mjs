// Quality of the page as people meet it: no serious accessibility problems
// (axe-core) in light and dark mode on a desktop and a phone, everything
// reachable and visibly focused with the keyboard alone, no layout shift when
// results recompute, and whole-page screenshots at three widths to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, useBrowser, screenshot, showCharts, showSettings } from './harness.mjs';

const env = useBrowser();
const AXE = await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** A fresh context and page on the demo; `bypassCSP` only where axe is injected. */
async function open({ width, height = 900, colorScheme = 'light', bypassCSP = false }) {
  const context = await env.browser.newContext({ viewport: { width, height }, colorScheme, bypassCSP });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.server.origin}/`);
  await page.waitForSelector('#verdict', { timeout: 30_000 });
  await showCharts(page);
  await page.locator('#conversion-chart svg').waitFor();
  return { context, page, errors, requests };
}

function describe(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n` + v.nodes.slice(0, 6).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`).join('\n'))
    .join('\n');
}

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1440, 360]) {
    test(`no serious accessibility violations (${colorScheme}, ${width} px)`, async () => {
      // The page's CSP (rightly) refuses an injected script, so this context
      // alone bypasses it; the app itself is unchanged.
      const { context, page, errors } = await open({ width, colorScheme, bypassCSP: true });
      try {
        await page.addScriptTag({ content: AXE });
        const check = async (state) => {
          const violations = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary ?? '' })),
            }));
          });
          const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          const minor = violations.filter((v) => !serious.includes(v));
          if (minor.length) console.log(`minor (${colorScheme}, ${width}px, ${state}):\n${describe(minor)}`);
          assert.deepEqual(serious.map((v) => v.id), [], `${state}: ${describe(serious)}`);
        };
        // The tools' cards, then the tools opened.
        await check('tools closed');
        for (const kind of ['clv', 'planner', 'warehouse']) {
          await page.locator(`#open-${kind}`).click();
          await page.locator(`#${kind}`).waitFor();
        }
        await check('tools open');
        // The targeting, programme and time tools, with results shown.
        for (const kind of ['targeting', 'programme', 'time']) {
          await page.locator(`#open-${kind}`).click();
          await page.locator(`#${kind}`).waitFor();
        }
        await page.locator('#targeting-sample').click();
        await page.locator('#targeting-score option[value="score"]').waitFor({ state: 'attached' });
        await page.locator('#targeting-resamples').selectOption('0');
        await page.locator('#targeting-run').click();
        await page.locator('#qini-chart svg').waitFor({ timeout: 30_000 });
        await page.locator('#programme-sample').click();
        await page.locator('#programme-chart svg').waitFor();
        await check('targeting, programme and time tools open');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}

test('whole-page screenshots at 360, 768, 1440 and 2560 px, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [360, 768, 1440, 2560]) {
      const { context, page, errors } = await open({ width, colorScheme });
      try {
        // Nothing may stick out sideways: a phone must not scroll horizontally.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${width}px ${colorScheme}: page is ${overflow}px wider than the screen`);
        await screenshot(page, `layout-${width}-${colorScheme}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  }
});

/** What has focus now, and whether something visibly shows it. */
function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (e) => {
    if (!e) return false;
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || s.boxShadow !== 'none';
  };
  // Styled controls show focus on what the eye sees: the label around a hidden
  // file input, the segment next to a hidden radio button.
  const visible = shows(el) || (el.type === 'file' && shows(el.closest('label'))) || (el.type === 'radio' && shows(el.nextElementSibling));
  const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className}[${el.getAttribute('aria-label') ?? ''}]`;
  return { name, id: el.id, cls: el.className, type: el.type ?? '', label: el.getAttribute('aria-label') ?? '', visible, focusVisible: el.matches(':focus-visible') };
}

test('the keyboard alone reaches every control, shows where focus is, and changes a value', async () => {
  const { context, page, errors } = await open({ width: 1280 });
  try {
    const seen = [];
    for (let i = 0; i < 250; i++) {
      await page.keyboard.press('Tab');
      const s = await page.evaluate(focusState);
      if (!s) continue;
      if (seen.length && seen[0].name === s.name && seen.length > 5) break; // wrapped round
      seen.push(s);
    }
    const names = seen.map((s) => s.name);
    const reached = (pred, what) => assert.ok(seen.some(pred), `Tab never reached ${what}: ${names.join(' ')}`);
    reached((s) => s.id === 'data-input', 'the data text area');
    reached((s) => s.id === 'data-file', 'the file button');
    reached((s) => s.cls === 'cost-amount', 'the cost amounts');
    reached((s) => s.id === 'change-settings', 'the button that brings the analysis settings');
    for (const id of ['copy-link', 'save-scenario', 'open-scenario', 'clear-my-data']) reached((s) => s.id === id, `#${id}`);
    const unseen = seen.filter((s) => !s.visible || !s.focusVisible);
    assert.deepEqual(unseen.map((s) => s.name), [], 'every focused control shows a focus indicator');
    // Enter on it brings the settings bar, with the focus on the method in use.
    await page.locator('#change-settings').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'method-frequentist', null, { timeout: 30_000 });

    // Change the second cost with keys only: Tab to it, select, type.
    await page.locator('body').focus();
    await page.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i < 250; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Amount of cost line 2')) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Amount of cost line 2');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('90000');
    await page.locator('#total-cost').filter({ hasText: '$174,000' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('results recompute without shifting the layout', async () => {
  for (const width of [1280, 360]) {
    const { context, page, errors } = await open({ width });
    try {
      await page.evaluate(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => ({ value: e.value, recent: e.hadRecentInput })))).observe({ type: 'layout-shift' });
      });
      const amount = page.getByLabel('Amount of cost line 2');
      await amount.scrollIntoViewIfNeeded();
      await amount.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('90000', { delay: 30 });
      await page.locator('#total-cost').filter({ hasText: '$174,000' }).waitFor({ timeout: 10_000 });
      await page.locator('#monthly-users').fill('120000');
      await page.waitForTimeout(800);
      // Every shift counts, even those right after typing that CLS would forgive.
      const shifts = await page.evaluate(() => window.__shifts);
      const total = shifts.reduce((a, s) => a + s.value, 0);
      assert.ok(total < 0.1, `${width}px: cumulative layout shift ${total.toFixed(4)} from ${JSON.stringify(shifts)}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
