// My Pathways service worker. The build fills in the version and the list of files to precache.
const VERSION = "__VERSION__";
const SHELL_CACHE = `shell-${VERSION}`;
const PRECACHE = __PRECACHE__;
const OFFLINE_PAGES = { en: "/offline?lang=en", cy: "/offline?lang=cy" };
const LANGUAGE_KEY = "/__language";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([...PRECACHE, ...Object.values(OFFLINE_PAGES)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((key) => key.startsWith("shell-") && key !== SHELL_CACHE).map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// Remember the language of the last page seen, so the offline page speaks it too.
async function rememberLanguage(response) {
  const language = response.headers.get("Content-Language");
  if (language && OFFLINE_PAGES[language]) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(LANGUAGE_KEY, new Response(language));
  }
}

async function offlinePage() {
  const cache = await caches.open(SHELL_CACHE);
  const stored = await cache.match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : "en";
  return (await cache.match(OFFLINE_PAGES[language] || OFFLINE_PAGES.en)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(rememberLanguage(response.clone()));
          return response;
        })
        .catch(() => offlinePage()),
    );
    return;
  }

  // Hashed assets never change: cache first.
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)));
            }
            return response;
          }),
      ),
    );
  }
});
