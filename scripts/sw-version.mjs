// Trunk post-build step: stamp the service worker (sw.js) with a digest of the
// built files, so a deploy that changes any of them installs a new worker with
// a new cache name, and the old cache (and its old hashed files) is deleted.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const sw = join(dir, 'sw.js');
// index.html is left out: the CSP hook rewrites it at the same time, and
// navigations are fetched from the network first anyway.
const digest = createHash('sha256');
const add = (rel) => {
  const full = join(dir, rel);
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) add(join(rel, name));
  } else {
    digest.update(rel).update('\0').update(readFileSync(full)).update('\0');
  }
};
for (const name of readdirSync(dir).filter((n) => n !== 'sw.js' && n !== 'index.html').sort()) add(name);
const version = digest.digest('hex').slice(0, 16);
const text = readFileSync(sw, 'utf8');
if (!text.includes('SW_BUILD_VERSION')) {
  console.error('sw-version: no SW_BUILD_VERSION placeholder in', sw);
  process.exit(1);
}
writeFileSync(sw, text.replaceAll('SW_BUILD_VERSION', version));
console.log(`sw-version: cache uplift-roi-${version}`);
