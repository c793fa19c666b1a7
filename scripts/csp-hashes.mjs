// Trunk post-build step: put the SHA-256 of every inline <script> of the built
// index.html into its Content-Security-Policy, replacing CSP_SCRIPT_HASHES.
// The page then runs Trunk's loader without allowing any other inline script.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
if (!html.includes('CSP_SCRIPT_HASHES')) {
  console.error('csp-hashes: no CSP_SCRIPT_HASHES placeholder in', file);
  process.exit(1);
}
html = html.replace('CSP_SCRIPT_HASHES', hashes.join(' '));
writeFileSync(file, html);
console.log(`csp-hashes: ${hashes.length} inline script(s) allowed by hash`);
