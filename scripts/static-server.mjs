// A static file server for the built site, on 127.0.0.1 only. It serves the
// precompressed `name.gz` that the build writes (scripts/precompress.mjs)
// when the browser accepts gzip, as a static host with `gzip_static` does,
// so what it sends is what a visitor downloads. Used by scripts/serve.sh and
// by the browser tests and benchmarks.
//
//   node scripts/static-server.mjs [DIR] [PORT]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(header = '') {
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (name === 'gzip' || name === '*') && (!q || Number(q.slice(2)) > 0);
  });
}

/**
 * Serve `dir` on 127.0.0.1 at `port` (0: a free one), under `prefix` (e.g.
 * "/docs/tools/" to prove the site works from a sub-path); resolves to
 * { origin, close }.
 */
export async function serveStatic(dir, prefix = '/', port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!full.startsWith(prefix)) throw new Error('outside the prefix');
      const path = '/' + full.slice(prefix.length);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw new Error('outside');
      if (path.endsWith('/')) file = join(file, 'index.html');
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', vary: 'accept-encoding' };
      let body = null;
      if (acceptsGzip(req.headers['accept-encoding'])) {
        body = await readFile(`${file}.gz`).catch(() => null);
        if (body) headers['content-encoding'] = 'gzip';
      }
      body ??= await readFile(file);
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const { port: bound } = server.address();
  return { origin: `http://127.0.0.1:${bound}`, close: () => new Promise((ok) => server.close(ok)) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const { origin } = await serveStatic(dir, '/', Number(port));
  console.log(`Uplift ROI: ${origin}/  (Ctrl-C stops)`);
}
