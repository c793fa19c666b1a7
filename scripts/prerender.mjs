// Trunk post-build step: put the demo's summary (written by
// src/bin/prerender.rs, which scripts/build-site.sh runs before the build)
// into the built index.html in place of its empty <div id="prerendered">,
// so a first visit sees the verdict before the WebAssembly has arrived.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const file = join(dir, 'index.html');
const summaryFile = join(import.meta.dirname, '..', 'target', 'prerender', 'demo-summary.html');
// A build by Trunk alone (`trunk serve`) has no summary unless
// scripts/build-site.sh wrote one: the page then starts blank until the app
// renders, as it works without it. The release build always writes it anew.
if (!existsSync(summaryFile)) {
  console.warn(`prerender: no ${summaryFile} (scripts/build-site.sh writes it); the page has no early summary`);
  process.exit(0);
}
const summary = readFileSync(summaryFile, 'utf8');
if (!summary.startsWith('<div id="prerendered"') || !summary.includes('class="verdict"')) {
  console.error(`prerender: ${summaryFile} holds no demo summary; run scripts/build-site.sh`);
  process.exit(1);
}
const html = readFileSync(file, 'utf8');
// The release build minifies the HTML, which drops the attribute's quotes.
const placeholder = /<div id="?prerendered"?><\/div>/;
if (!placeholder.test(html)) {
  console.error('prerender: no <div id="prerendered"></div> in', file);
  process.exit(1);
}
writeFileSync(file, html.replace(placeholder, () => summary));
console.log(`prerender: the demo's summary (${summary.length} bytes) is in index.html`);
