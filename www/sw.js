// The page's service worker: after one visit the page opens and runs with no
// network (a workshop on bad Wi-Fi, a laptop on a train). It handles only
// GET requests for this origin; the page makes no other kind.
//
// Network first: each answer from the server is kept and returned, so an
// online page is always the deployed one. When the network fails, the kept
// copy is returned instead. On install the whole app is fetched once (the
// files below, the engine and every bundled dataset listed in
// data/index.json), so the offline page has all of it, not only what the
// first visit happened to use. scripts/lint-www.mjs checks that APP lists
// every file of the page.

const CACHE = 'mlcycle-app';

const APP = [
  './',
  'index.html',
  'style.css',
  'favicon.svg',
  'app.js',
  'charts.js',
  'client.js',
  'export.js',
  'pool.js',
  'protocol.js',
  'words.js',
  'worker.js',
  'part-worker.js',
  'pkg/mlcycle.js',
  'pkg/mlcycle_bg.wasm',
  'data/index.json',
];

async function keepApp() {
  const cache = await caches.open(CACHE);
  await cache.addAll(APP);
  const index = await cache.match('data/index.json');
  const datasets = await index.json();
  await cache.addAll(datasets.map((d) => `data/${d.file}`));
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepApp().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok && response.type === 'basic') {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      },
      async (err) => {
        const kept = await caches.match(request);
        if (kept) return kept;
        throw err;
      },
    ),
  );
});
