// Trunk post-build step: give each WebAssembly module's imports from its
// JavaScript glue short names. wasm-bindgen names every import after its
// Rust binding plus a 16-digit hash (`__wbg_set_headers_…_a29e87aaff845d75`),
// and each name is written twice, in the module's import section and in the
// glue's import object: about 45 bytes of poorly compressible text per
// import, a few kilobytes of the first download. Each `__wbg_` import
// becomes `_0`, `_1`, … in both files; nothing else changes.
// The page's subresource-integrity hashes of the changed files are updated.
// Runs before minify-js.mjs, which finds the glue's hash by its content.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const GLUE = /^(uplift-roi-app-[0-9a-f]+|charts|tools|ingest_worker)\.js$/;
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

function fail(message) {
  console.error(`short-imports: ${message}`);
  process.exit(1);
}

/** An unsigned LEB128 at `at`: [value, next offset]. */
function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) fail('the module ends inside a number');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

const name = (text) => Buffer.concat([leb(Buffer.byteLength(text)), Buffer.from(text, 'utf8')]);

/** Skip a `limits` (table or memory): its flags say whether a maximum follows. */
function skipLimits(bytes, at) {
  const [flags, afterFlags] = readLeb(bytes, at);
  let next = readLeb(bytes, afterFlags)[1];
  if (flags & 1) next = readLeb(bytes, next)[1];
  return next;
}

/** The module with its `__wbg_` imports renamed; the renaming. */
function renameImports(wasm) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) fail('not a WebAssembly module');
  const parts = [wasm.subarray(0, 8)];
  const renamed = new Map();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = readLeb(wasm, at + 1);
    const end = body + size;
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readLeb(wasm, body);
    const entries = [leb(count)];
    while (count-- > 0) {
      const [moduleLength, m] = readLeb(wasm, p);
      const module = wasm.subarray(m, m + moduleLength).toString('utf8');
      const [fieldLength, f] = readLeb(wasm, m + moduleLength);
      const field = wasm.subarray(f, f + fieldLength).toString('utf8');
      const kindAt = f + fieldLength;
      const kind = wasm[kindAt];
      let next;
      if (kind === 0) next = readLeb(wasm, kindAt + 1)[1];
      else if (kind === 1) next = skipLimits(wasm, kindAt + 2);
      else if (kind === 2) next = skipLimits(wasm, kindAt + 1);
      else if (kind === 3) next = kindAt + 3;
      else if (kind === 4) next = readLeb(wasm, kindAt + 2)[1];
      else fail(`import ${field} has an unknown kind ${kind}`);
      let newField = field;
      if (field.startsWith('__wbg_')) {
        newField = `_${renamed.size.toString(36)}`;
        renamed.set(field, newField);
      }
      entries.push(name(module), name(newField), wasm.subarray(kindAt, next));
      p = next;
    }
    if (p !== end) fail('the import section has bytes after its last import');
    const content = Buffer.concat(entries);
    parts.push(Buffer.from([2]), leb(content.length), content);
    at = end;
  }
  return [Buffer.concat(parts), renamed];
}

const page = join(dir, 'index.html');
let html = readFileSync(page, 'utf8');
let before = 0;
let after = 0;
for (const glue of readdirSync(dir).filter((n) => GLUE.test(n)).sort()) {
  const wasmName = glue.replace(/\.js$/, '_bg.wasm');
  const wasmFile = join(dir, wasmName);
  const glueFile = join(dir, glue);
  if (!existsSync(wasmFile)) fail(`${glue} has no ${wasmName}`);
  const wasm = readFileSync(wasmFile);
  const code = readFileSync(glueFile);
  const [newWasm, renamed] = renameImports(wasm);
  let text = code.toString('utf8');
  // Longest first, and only whole names, so no name is cut inside another.
  for (const [old, short] of [...renamed].sort((a, b) => b[0].length - a[0].length)) {
    const pattern = new RegExp(`(?<![\\w$])${old}(?![\\w$])`, 'g');
    const found = text.match(pattern)?.length ?? 0;
    if (found === 0) fail(`${glue} never names the import ${old}`);
    text = text.replace(pattern, short);
  }
  const newCode = Buffer.from(text, 'utf8');
  writeFileSync(wasmFile, newWasm);
  writeFileSync(glueFile, newCode);
  html = html.replaceAll(sri(wasm), sri(newWasm)).replaceAll(sri(code), sri(newCode));
  before += wasm.length + code.length;
  after += newWasm.length + newCode.length;
}
writeFileSync(page, html);
console.log(`short-imports: ${((before - after) / 1024).toFixed(1)} KiB of import names removed`);
