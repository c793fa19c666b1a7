// The statistics as a user sees them: the method switch, the SRM warning,
// A/B/n adjusted p-values and the planner, each checked against the engine's
// CLI or the statsmodels reference fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, useBrowser, openApp, screenshot, showSettings } from './harness.mjs';

const CLI = join(ROOT, 'target', 'debug', 'uplift-roi');
const engine = (csv, ...args) =>
  JSON.parse(execFileSync(CLI, ['analyze', '-', ...args], { input: csv, encoding: 'utf8' }));
const pct = (x, d = 1) => `${(Math.abs(x) * 100).toFixed(d)}%`;

const env = useBrowser();

const rowCell = (page, table, variant, cls) =>
  page
    .locator(`#${table} tbody tr`, { has: page.locator(`th:text-is("${variant}")`) })
    .locator(`td.${cls}`)
    .innerText();

test('Bayesian method shows chance to beat control as the engine computes it', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const demo = execFileSync(CLI, ['demo-scenario'], { encoding: 'utf8' });
    const csv = JSON.parse(demo).data;
    const want = engine(csv, '--method', 'bayesian').metrics.conversion_rate.variants[1].vs_control;
    await showSettings(page);
    await page.locator('label.segment', { hasText: 'Bayesian' }).click();
    await page.waitForFunction(() => document.querySelector('#conversion-table thead')?.textContent.includes('Chance to beat control'));
    const c = want.chance_to_beat_control;
    assert.equal(await rowCell(page, 'conversion-table', 'personalized', 'p'), c > 0.999 ? '> 99.9%' : pct(c));
    assert.match(await page.locator('#verdict').innerText(), /credible interval\).* chance to beat control/);
    await screenshot(page, 'bayesian');
    // Keyboard: the method radios are reachable and switch with the arrow keys.
    await page.locator('#method-bayesian').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#conversion-table thead')?.textContent.includes('always-valid'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an unequal split raises the sample-ratio-mismatch warning', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#data-input').fill('variant,users,conversions\ncontrol,10000,200\nnew,11000,260\n');
    const warning = page.locator('#srm-warning');
    await warning.waitFor();
    assert.match(await warning.innerText(), /Sample ratio mismatch/);
    // Its p-value reads as a sentence: "χ² p < 0.001" or "χ² p = 0.004".
    assert.match(await warning.innerText(), /\(χ² p (< 0\.001|= 0\.\d{3})\)/);
    // Declaring the planned 10:11 split clears it.
    await showSettings(page);
    await page.locator('#expected-split').fill('10, 11');
    await page.locator('#expected-split').press('Tab');
    await warning.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('three variants get adjusted p-values equal to the engine\'s', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    const csv = 'variant,users,conversions\nA,20000,400\nB,20100,470\nC,19950,415\n';
    const want = engine(csv).metrics.conversion_rate.variants;
    await page.locator('#data-input').fill(csv);
    await page.waitForFunction(() => document.querySelector('#conversion-table thead')?.textContent.includes('p-value (adjusted)'));
    for (const v of want.slice(1)) {
      const p = v.vs_control.p_value_adjusted;
      assert.equal(await rowCell(page, 'conversion-table', v.name, 'p'), p < 0.001 ? '< 0.001' : p.toFixed(3));
    }
    // Holm doubles the smaller of two p-values.
    const b = want[1].vs_control;
    assert.ok(Math.abs(b.p_value_adjusted - 2 * b.p_value) < 1e-12, 'Holm doubles the smallest p-value');
    await screenshot(page, 'three-variants');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the planner gives statsmodels\' sample size', async () => {
  const fixture = JSON.parse(readFileSync(join(ROOT, 'tests/reference/stats_fixture.json'), 'utf8'));
  const ref = fixture.power.find((p) => p.baseline === 0.02 && p.relative_mde === 0.1 && p.alpha === 0.05);
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#open-planner').click();
    await page.locator('#plan-baseline').fill('2');
    await page.locator('#plan-baseline').press('Tab');
    await page.locator('#plan-mde').fill('10');
    await page.locator('#plan-mde').press('Tab');
    const needed = Math.ceil(ref.n_per_variant).toLocaleString('en-US');
    await page.waitForFunction((n) => document.querySelector('#plan-needed')?.textContent.includes(`${n} users per variant`), needed);
    assert.match(await page.locator('#plan-detectable').innerText(), /smallest lift you can reliably detect is \+\d/);
    await page.locator('#planner').screenshot({ path: join(ROOT, 'tests/browser/artifacts/planner.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('row-level data with pre-period revenue gets CUPED, AOV and CTR tables', async () => {
  let csv = 'variant,orders,revenue,pre_revenue,clicks,impressions\n';
  for (let i = 0; i < 400; i++) {
    const [name, lift] = i % 2 === 0 ? ['A', 0] : ['B', 3];
    const pre = (i % 17) * 4;
    const orders = i % 3;
    const revenue = orders === 0 ? 0 : pre + lift + (i % 5);
    csv += `${name},${orders},${revenue},${pre},${Math.floor(i / 2) % 2},${3 + (i % 4)}\n`;
  }
  const want = engine(csv).metrics.revenue_per_user.variants[1].vs_control;
  const { context, page, errors } = await openApp(env.browser, `${env.server.origin}/`);
  try {
    await page.locator('#data-input').fill(csv);
    const note = page.locator('.cuped-note');
    await note.waitFor();
    const reduction = `${Math.round(want.cuped.variance_reduction * 100)}%`;
    assert.match(await note.innerText(), new RegExp(`removed ${reduction} of the uplift's variance`));
    await page.locator('#aov-table').waitFor();
    await page.locator('#ctr-table').waitFor();
    assert.match(await page.locator('#data-ok').innerText(), /Read 400 user rows: 2 variants/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
