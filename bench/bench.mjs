// Benchmarks for the figures the issues name: bundle size (raw and gzip),
// time to interactive in headless Chromium, and rows/second parsed and
// analysed in the browser. Run: scripts/bench.sh (after a release build).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { DIST, serveStatic, launch } from '../tests/browser/harness.mjs';

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Bundle size: what a first visit downloads.
let raw = 0;
let gz = 0;
console.log('bundle (dist/):');
for (const f of readdirSync(DIST)) {
  const p = join(DIST, f);
  if (!statSync(p).isFile()) continue;
  const bytes = readFileSync(p);
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  console.log(`  ${f.padEnd(48)} ${kib(bytes.length).padStart(11)} raw ${kib(g).padStart(11)} gzip`);
}
console.log(`  ${'total'.padEnd(48)} ${kib(raw).padStart(11)} raw ${kib(gz).padStart(11)} gzip`);

const server = await serveStatic();
const browser = await launch();
try {
  // 2. Time to interactive: navigation start → demo verdict on screen.
  const tti = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('#verdict');
    tti.push(Date.now() - t0);
    await context.close();
  }
  console.log(`time to interactive (demo verdict shown): median ${median(tti)} ms over ${tti.length} loads [${tti.join(', ')}]`);

  // 3. Rows per second: paste a row-level export and wait for its results.
  for (const rows of [10_000, 100_000]) {
    let csv = 'user_id,variant,converted,revenue\n';
    for (let i = 0; i < rows; i++) {
      const b = i % 2;
      const conv = (i * 7919) % 100 < (b ? 6 : 5) ? 1 : 0;
      csv += `${i},${b ? 'personalized' : 'control'},${conv},${conv ? ((i % 90) + 10).toFixed(2) : 0}\n`;
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('#verdict');
    const ms = await page.evaluate(async (text) => {
      const area = document.querySelector('#data-input');
      const t0 = performance.now();
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      // The update is synchronous in the wasm; wait one frame for the DOM.
      await new Promise((r) => requestAnimationFrame(() => r()));
      const ok = document.querySelector('#data-ok')?.textContent ?? '';
      if (!ok.includes('user rows')) throw new Error(`not analysed: ${ok}`);
      return performance.now() - t0;
    }, csv);
    const mib = Buffer.byteLength(csv) / 1024 / 1024;
    console.log(`paste + parse + analyse ${rows.toLocaleString('en-US')} rows (${mib.toFixed(1)} MiB): ${ms.toFixed(0)} ms = ${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s, ${(mib / (ms / 1000)).toFixed(1)} MiB/s`);
    await context.close();
  }

  // 4. CLV fit in the page: 20,000 customers.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('#verdict');
    await page.locator('#clv-sample').click();
    // 1,000 customers per variant from the page's own sample, repeated with new ids to 20,000.
    const sample = await page.locator('#clv-input').inputValue();
    const [head, ...lines] = sample.trim().split('\n');
    let big = head + '\n';
    for (let k = 0; k < 10; k++) big += lines.map((l) => `r${k}_${l}`).join('\n') + '\n';
    const { ms, gap } = await page.evaluate(async (text) => {
      const area = document.querySelector('#clv-input');
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      let gap = 0;
      let last = performance.now();
      const t0 = last;
      document.querySelector('#clv-fit').click();
      while (!document.querySelector('#clv-summary')?.textContent.includes('20,000 customers')) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        gap = Math.max(gap, now - last);
        last = now;
      }
      return { ms: performance.now() - t0, gap };
    }, big);
    console.log(`CLV fit (BG/NBD + Gamma-Gamma) and prediction for 20,000 customers in the page: ${ms.toFixed(0)} ms, longest frame gap ${gap.toFixed(0)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
