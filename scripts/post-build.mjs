// Trunk post-build steps, in order (Trunk runs separate hooks at the same
// time, and each of these reads what the one before wrote): put the demo's
// summary into the page for its first paint, give the WebAssembly imports
// short names, minify the
// JavaScript glue and update its integrity hashes, allow Trunk's inline
// loader in the Content-Security-Policy, stamp the service worker with a
// digest of the final files, and last write their precompressed .gz copies.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

for (const step of ['prerender.mjs', 'short-imports.mjs', 'minify-js.mjs', 'csp-hashes.mjs', 'sw-version.mjs', 'precompress.mjs']) {
  execFileSync(process.execPath, [join(import.meta.dirname, step)], { stdio: 'inherit', env: process.env });
}
