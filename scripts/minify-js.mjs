// Trunk post-build step: minify the JavaScript glue wasm-bindgen writes for
// each WebAssembly module (Trunk leaves it as generated), and put the new
// files' SHA-384 into the page's subresource-integrity attributes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
// The app's glue (hashed name) and the charts' are ES modules; the tools'
// and the file reader's are classic scripts whose global `wasm_bindgen`
// must keep its name (terser leaves a script's top-level names alone).
const GLUE = /^(uplift-roi-app-[0-9a-f]+|charts|tools|ingest_worker)\.js$/;
const MODULES = /^(uplift-roi-app-[0-9a-f]+|charts)\.js$/;
const sri = (text) => `sha384-${createHash('sha384').update(text, 'utf8').digest('base64')}`;

const page = join(dir, 'index.html');
let html = readFileSync(page, 'utf8');
let saved = 0;
for (const name of readdirSync(dir).filter((n) => GLUE.test(n)).sort()) {
  const file = join(dir, name);
  const code = readFileSync(file, 'utf8');
  const out = await minify(code, { module: MODULES.test(name), compress: true, mangle: true });
  if (!out.code) {
    console.error(`minify-js: ${name} gave no output`);
    process.exit(1);
  }
  writeFileSync(file, out.code);
  html = html.replaceAll(sri(code), sri(out.code));
  saved += code.length - out.code.length;
}
writeFileSync(page, html);
console.log(`minify-js: ${(saved / 1024).toFixed(1)} KiB of glue removed`);
