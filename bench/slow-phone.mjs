// The first visit on a slow phone: a 390 × 844 touch screen, a 1.6 Mbit/s
// link with 150 ms of latency (750 kbit/s up) and a CPU four times slower
// (Chromium's own throttling, through the DevTools protocol), a fresh
// context each run (no cache, no service worker). Reports, over 5 runs, the
// median and worst time from navigation start to
//   - the verdict on screen: `#verdict` rendered with text, whichever copy
//     draws it first (the summary written into index.html at build time, or
//     the app's own);
//   - the first input usable: the app's paste box in the page, with its
//     handlers attached (the WebAssembly module has started).
// Both are read in the page, each on the first animation frame at which it
// holds, so the driver's own start-up and polling are not counted.
// `frames` (a directory) also writes screenshots of the first run, as fast
// as they can be taken, until the app has replaced the page's own copy of
// the summary, to look at what the visitor sees while the page arrives.
// Called by bench/bench.mjs; alone: node bench/slow-phone.mjs [--frames DIR]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SLOW_PHONE = {
  viewport: { width: 390, height: 844 },
  latency: 150,
  down: 1.6e6 / 8,
  up: 750e3 / 8,
  cpu: 4,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh page with the slow phone's screen, link and CPU. */
export async function slowPhonePage(browser) {
  const context = await browser.newContext({
    viewport: SLOW_PHONE.viewport,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: SLOW_PHONE.latency,
    downloadThroughput: SLOW_PHONE.down,
    uploadThroughput: SLOW_PHONE.up,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_PHONE.cpu });
  return { context, page };
}

/** Record, on every animation frame, when the verdict and the paste box first hold. */
function watchFirstFrames() {
  const seen = {};
  window.__firstFrames = seen;
  const tick = (now) => {
    const verdict = [...document.querySelectorAll(".verdict")].find((v) => v.checkVisibility());
    if (seen.verdict === undefined && verdict?.textContent.trim()) {
      seen.verdict = now;
    }
    if (seen.input === undefined && document.getElementById('data-input')) seen.input = now;
    if (seen.verdict === undefined || seen.input === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

export async function benchSlowPhone(browser, origin, { runs = 5, frames = null } = {}) {
  const verdict = [];
  const input = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await slowPhonePage(browser);
    await page.addInitScript(watchFirstFrames);
    let shots = null;
    let stop = false;
    if (frames && i === 0) {
      mkdirSync(frames, { recursive: true });
      shots = (async () => {
        // Named by the page's clock and by which summary is on screen.
        for (let n = 0; n < 200 && !stop; n++) {
          const at = await page.evaluate(() => [Math.round(performance.now()), location.protocol, document.getElementById('prerendered') ? 'static' : 'app']).catch(() => null);
          if (!at || at[1] !== 'http:') continue;
          await page.screenshot({ path: join(frames, `frame-${String(at[0]).padStart(5, '0')}-${at[2]}.png`) }).catch(() => {});
          stop = at[2] === 'app' && n > 0;
        }
      })();
    }
    await page.goto(`${origin}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__firstFrames?.verdict !== undefined && window.__firstFrames?.input !== undefined, null, { timeout: 60_000, polling: 50 });
    const seen = await page.evaluate(() => window.__firstFrames);
    verdict.push(Math.round(seen.verdict));
    input.push(Math.round(seen.input));
    await shots;
    await context.close();
  }
  const line = (xs) => `median ${median(xs)} ms, worst ${Math.max(...xs)} ms [${xs.join(', ')}]`;
  console.log(`slow phone (390 × 844 touch, 1.6 Mbit/s down, 150 ms latency, CPU ÷ ${SLOW_PHONE.cpu}; ${runs} fresh loads):`);
  console.log(`  navigation → verdict on screen: ${line(verdict)}`);
  console.log(`  navigation → first input usable: ${line(input)}`);
  return { verdict, input };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { serveStatic, launch } = await import('../tests/browser/harness.mjs');
  const server = await serveStatic();
  const browser = await launch();
  try {
    const at = process.argv.indexOf('--frames');
    await benchSlowPhone(browser, server.origin, { frames: at > 0 ? process.argv[at + 1] : null });
  } finally {
    await browser.close();
    await server.close();
  }
}
