// The figures the targeting and time tools' issues name, measured in the
// page as a user runs them (files through the file inputs, the work in the
// background worker): Qini + 1,000 bootstrap resamples on 100,000 users and
// 1,000,000 users; Kaplan–Meier + log-rank on 100,000 and 1,000,000 users;
// the lift over time for 90 days × 1,000,000 rows. Each reports the
// worker's own time (as the page shows it), the wall time from the click,
// and the longest gap between the page's frames meanwhile (a frozen page
// would show it). Called by bench/bench.mjs; alone:
//   node bench/tools-bench.mjs [--quick] [--only targeting|retention|timeline]
import { createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A small seeded generator (mulberry32), so every machine writes the same files. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Write `rows` lines made by `line(i, next)` under `header`, in blocks. */
async function writeFile(path, header, rows, line) {
  const out = createWriteStream(path);
  const next = rng(7);
  out.write(header);
  for (let first = 0; first < rows; first += 50_000) {
    let block = '';
    for (let i = first; i < Math.min(rows, first + 50_000); i++) block += line(i, next);
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

const targetingRow = (i, next) => {
  const u = next();
  const treated = next() < 0.5;
  const converted = next() < 0.1 + (treated ? 0.1 * u - 0.02 : 0);
  return `${(u + 0.25 * (next() - 0.5)).toFixed(4)},${treated ? 1 : 0},${converted ? 1 : 0}\n`;
};
const retentionRow = (i, next) => {
  const treated = i % 2 === 1;
  const days = Math.floor(-Math.log(1 - next()) * (treated ? 220 : 180));
  const churned = days < 365;
  return `${Math.min(days, 365)},${churned ? 1 : 0},${treated ? 'personalized' : 'control'}\n`;
};
/** One user of `n`, exposed on one of 90 days in order. */
const timelineRow = (n) => (i, next) => {
  const day = Math.floor((i / n) * 90);
  const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
  const treated = i % 2 === 1;
  return `${date},${treated ? 'personalized' : 'control'},${next() < (treated ? 0.105 : 0.1) ? 1 : 0}\n`;
};

/** Open the tool `kind` on a fresh page, choose `file` in `input`, then time `run` → `done`. */
async function timeTool(browser, origin, { kind, input, ready, setUp, run, done, shown }) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector('#verdict');
  await page.locator(`#open-${kind}`).click();
  await page.locator(input).waitFor({ state: 'attached' });
  await page.setInputFiles(input, setUp.file);
  await page.locator(ready).waitFor({ state: 'attached' });
  if (setUp.before) await setUp.before(page);
  const result = await page.evaluate(async ({ run, done }) => {
    let gap = 0;
    let last = performance.now();
    const t0 = last;
    document.querySelector(run).click();
    while (!new RegExp(done.pattern).test(document.querySelector(done.selector)?.textContent ?? '')) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
    }
    return { wall: performance.now() - t0, gap };
  }, { run, done });
  const text = await page.locator(shown).innerText();
  await context.close();
  return { ...result, text };
}

export async function benchTools(browser, origin, quick = false, only = null) {
  const dir = mkdtempSync(join(tmpdir(), 'tools-bench-'));
  const mib = (f) => (statSync(f).size / 1048576).toFixed(1);
  const sizes = quick ? [100_000] : [100_000, 1_000_000];
  for (const n of only && only !== 'targeting' ? [] : sizes) {
    const file = await writeFile(join(dir, `targeting-${n}.csv`), 'score,treatment,conversion\n', n, targetingRow);
    const r = await timeTool(browser, origin, {
      kind: 'targeting', input: '#targeting-file', ready: '#targeting-score option[value="score"]',
      setUp: { file, before: (page) => page.locator('#targeting-resamples').selectOption('1000') },
      run: '#targeting-run', done: { selector: '#targeting-interval', pattern: '\\d% bootstrap interval' },
      shown: '#targeting-interval',
    });
    const boot = r.text.match(/\(([\d,]+ resamples in [\d.]+ s)\)/)?.[1] ?? r.text;
    console.log(`targeting, ${n.toLocaleString('en-US')} users (${mib(file)} MiB): Qini, bins and profit curve then 1,000 bootstrap resamples and random rankings in the worker: click → interval ${(r.wall / 1000).toFixed(2)} s; longest frame gap ${r.gap.toFixed(0)} ms (the bootstrap alone: ${boot})`);
  }
  for (const n of only && only !== 'retention' ? [] : sizes) {
    const file = await writeFile(join(dir, `retention-${n}.csv`), 'duration,churned,variant\n', n, retentionRow);
    const r = await timeTool(browser, origin, {
      kind: 'time', input: '#retention-file', ready: '#retention-duration option[value="duration"]',
      setUp: { file },
      run: '#retention-run', done: { selector: '#retention-summary', pattern: 'users analysed' },
      shown: '#retention-summary',
    });
    console.log(`retention, ${n.toLocaleString('en-US')} users (${mib(file)} MiB): Kaplan–Meier per variant, log-rank and RMST: ${r.text.trim()} (worker, reading included); click → results ${(r.wall / 1000).toFixed(2)} s; longest frame gap ${r.gap.toFixed(0)} ms`);
  }
  for (const n of quick || (only && only !== 'timeline') ? [] : [100_000, 1_000_000]) {
    const file = await writeFile(join(dir, `timeline-${n}.csv`), 'date,variant,converted\n', n, timelineRow(n));
    const r = await timeTool(browser, origin, {
      kind: 'time', input: '#timeline-file', ready: '#timeline-metric option[value="converted"]',
      setUp: { file },
      run: '#timeline-run', done: { selector: '#timeline-verdict', pattern: 'After 90 days' },
      shown: '#timeline-summary',
    });
    console.log(`lift over time, 90 days × ${n.toLocaleString('en-US')} rows (${mib(file)} MiB): click → results ${(r.wall / 1000).toFixed(2)} s; longest frame gap ${r.gap.toFixed(0)} ms; ${r.text.trim()}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { serveStatic, launch } = await import('../tests/browser/harness.mjs');
  const server = await serveStatic();
  const browser = await launch();
  try {
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
    await benchTools(browser, server.origin, process.argv.includes('--quick'), only);
  } finally {
    await browser.close();
    await server.close();
  }
}
