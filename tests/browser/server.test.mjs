// The static server that scripts/serve.sh, the tests and the bench use:
// precompressed files when the browser accepts gzip, the plain file
// otherwise, and nothing outside the site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { acceptsGzip, serveStatic } from '../../scripts/static-server.mjs';

function get(origin, path, headers = {}) {
  return new Promise((ok, fail) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('the server sends the .gz to browsers that accept gzip, the file to others, and nothing outside', async () => {
  const root = mkdtempSync(join(tmpdir(), 'uplift-serve-'));
  const site = join(root, 'site');
  mkdirSync(site);
  mkdirSync(join(root, 'site-secret'));
  writeFileSync(join(root, 'site-secret', 'key.txt'), 'secret');
  const text = 'const answer = 42;\n'.repeat(50);
  writeFileSync(join(site, 'app.js'), text);
  writeFileSync(join(site, 'app.js.gz'), gzipSync(text));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>t</title>');
  const server = await serveStatic(site);
  try {
    const zipped = await get(server.origin, '/app.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
    assert.equal(gunzipSync(zipped.body).toString(), text);

    const plain = await get(server.origin, '/app.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), text);
    const refused = await get(server.origin, '/app.js', { 'accept-encoding': 'gzip;q=0, br' });
    assert.equal(refused.headers['content-encoding'], undefined);

    // No .gz beside it: the file itself, even when gzip is accepted.
    const page = await get(server.origin, '/', { 'accept-encoding': 'gzip' });
    assert.equal(page.headers['content-encoding'], undefined);
    assert.match(page.body.toString(), /<title>t<\/title>/);

    for (const path of ['/..%2Fsite-secret%2Fkey.txt', '/%2e%2e/site-secret/key.txt', '/missing.js']) {
      const r = await get(server.origin, path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body.toString(), /secret/, path);
    }
  } finally {
    await server.close();
  }
});

test('accept-encoding is read as browsers write it', () => {
  assert.ok(acceptsGzip('gzip, deflate, br, zstd'));
  assert.ok(acceptsGzip('br;q=1.0, gzip;q=0.8'));
  assert.ok(acceptsGzip('*'));
  assert.ok(!acceptsGzip('gzip;q=0'));
  assert.ok(!acceptsGzip('br'));
  assert.ok(!acceptsGzip(''));
  assert.ok(!acceptsGzip(undefined));
});
