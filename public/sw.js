// Uplift ROI's service worker: after the first visit the calculator opens and
// works with the network off. It only ever talks to its own origin (the page's
// Content-Security-Policy forbids anything else) and only caches the site's own
// files — never user data, which stays in the page and localStorage.
//
// The build (scripts/sw-version.mjs) replaces SW_BUILD_VERSION with a digest of
// the built files, so each deploy installs a fresh cache and drops the old one.
const CACHE = 'uplift-roi-SW_BUILD_VERSION';
const PREFIX = 'uplift-roi-';

// Trunk names assets `name-<hex hash>.ext` (and `…_bg.wasm`; the hash is printed
// without leading zeros, so up to 16 digits): a changed file gets
// a new name, so a cached copy is never stale and can be served without asking.
const HASHED = /-[0-9a-f]{10,16}(_bg)?\.(js|wasm|css)$/;
// Unhashed files worth keeping: the icon, the lazily loaded file-reading
// worker, the tools module and the charts module with its loader. Fetched
// from the network first, so an online visit gets the deployed version (the
// page stops a file read whose worker answers in another version's form:
// src/file_loader.rs).
const UNHASHED = /\/(favicon\.svg|(ingest_worker|tools|charts)[^/]*\.(js|wasm))$/;

const scope = () => new URL(self.registration.scope);

/** The page and everything it loads, read from the page itself (the names carry hashes). */
async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch(scope().href, { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put(scope().href, page);
  const urls = new Set([new URL('favicon.svg', scope()).href]);
  // Values may be unquoted: the release build minifies the page.
  for (const m of html.matchAll(/(?:href|src|module_or_path:|from)\s*=?\s*['"]?([^'"\s>]+)/g)) {
    const url = new URL(m[1], scope());
    if (url.origin === scope().origin && HASHED.test(url.pathname)) urls.add(url.href);
  }
  // On-demand modules this browser has used stay available offline after a
  // deploy: fetched afresh into the new cache.
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    for (const request of await (await caches.open(name)).keys()) {
      if (/\/(ingest_worker|tools|charts)[^/]*\.(js|wasm)$/.test(new URL(request.url).pathname)) urls.add(request.url);
    }
  }
  // One missing file must not stop the rest being cached.
  await Promise.all([...urls].map((u) => cache.add(u).catch(() => {})));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    // `?embed` and other query strings open the same page.
    const cached =
      (await cache.match(request, { ignoreSearch: true })) ??
      (fallbackUrl && (await cache.match(fallbackUrl)));
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first, so a new deploy shows as soon as it is online.
    event.respondWith(networkFirst(request, scope().href));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (UNHASHED.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
  // Anything else goes to the network untouched and is not stored.
});
