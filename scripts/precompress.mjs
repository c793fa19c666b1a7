// Trunk post-build step, run last: write `name.gz` beside every text and
// WebAssembly file of the built site, compressed with Zopfli. Zopfli's output
// is ordinary gzip, 4–5% smaller than `gzip -9`; a host that serves
// precompressed files (nginx `gzip_static on`, scripts/static-server.mjs)
// sends these instead of compressing on the fly. Each file is checked to
// decompress to the original before it is written.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const COMPRESSIBLE = /\.(html|js|mjs|css|wasm|svg|json|txt)$/;

const files = [];
const walk = (rel) => {
  const full = join(dir, rel);
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full)) walk(rel ? join(rel, name) : name);
  } else if (COMPRESSIBLE.test(rel)) {
    files.push(rel);
  }
};
walk('');

let before = 0;
let after = 0;
for (const rel of files.sort()) {
  const bytes = readFileSync(join(dir, rel));
  // No cap on the number of deflate blocks (Zopfli's default is 15): each
  // block gets its own Huffman codes, 0.6% smaller for the app's wasm.
  const gz = Buffer.from(await gzipAsync(bytes, { numiterations: 15, blocksplittingmax: 0 }));
  if (!gunzipSync(gz).equals(bytes)) {
    console.error(`precompress: ${rel}.gz does not decompress to ${rel}`);
    process.exit(1);
  }
  writeFileSync(join(dir, `${rel}.gz`), gz);
  before += bytes.length;
  after += gz.length;
}
console.log(`precompress: ${files.length} files, ${(before / 1024).toFixed(1)} KiB → ${(after / 1024).toFixed(1)} KiB gzip (Zopfli)`);
