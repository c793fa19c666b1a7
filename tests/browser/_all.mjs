import { launch, serveStatic, DIST } from '/work/main/tests/browser/harness.mjs';
const server = await serveStatic(DIST, '/');
const browser = await launch();
const width = Number(process.env.W ?? 360);
const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: process.env.SCHEME ?? 'light' });
const page = await context.newPage();
await page.goto(server.origin + '/' + (process.env.HASH ?? ''));
await page.waitForSelector('#verdict');
if (process.env.BAYES) await page.locator('#method-bayesian').check();
for (const id of ['conversion-chart', 'forest-chart', 'posterior-chart', 'aov-chart', 'clv-chart', 'cost-chart', 'cashflow-chart', 'roi-chart', 'tornado-chart']) {
  const fig = page.locator('#' + id);
  if (!(await fig.count())) { console.log(id, 'absent'); continue; }
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('svg').waitFor({ timeout: 10000 });
  const info = await page.evaluate((id) => {
    const svg = document.querySelector(`#${id} svg`);
    const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
    const sizes = [...svg.querySelectorAll('text')].map((e) => parseFloat(e.getAttribute('font-size')) * scale);
    return { drawn: svg.getAttribute('width'), shown: Math.round(svg.getBoundingClientRect().width), minText: Math.min(...sizes).toFixed(1) };
  }, id);
  console.log(id, JSON.stringify(info));
  await fig.locator('svg').screenshot({ path: `/tmp/c-${width}-${id}.png` });
}
await browser.close(); await server.close();
