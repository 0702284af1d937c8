// My Pathways service worker. The build fills in the version and the list of files to precache.
const VERSION = "__VERSION__";
const SHELL_CACHE = `shell-${VERSION}`;
const PRECACHE = __PRECACHE__;
const OFFLINE_PAGES = { en: "/offline?lang=en", cy: "/offline?lang=cy" };
const LANGUAGE_KEY = "/__language";
const ICON = __ICON__;

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

// Reminders. The words arrive already discreet (the server chose them); the tag makes a
// repeat of the same reminder replace the first instead of showing twice.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = data.title || "My Pathways";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag,
      icon: ICON,
      data: { url: data.url || "/home", actions: data.actions || [] },
      actions: (data.actions || []).map((action) => ({ action: action.action, title: action.title })),
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, actions } = event.notification.data || {};
  const chosen = (actions || []).find((action) => action.action === event.action);
  const target = new URL((chosen && chosen.url) || url || "/home", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if ("focus" in client && new URL(client.url).origin === target.origin) {
          return client.navigate(target.href).then((page) => (page || client).focus());
        }
      }
      return self.clients.openWindow(target.href);
    }),
  );
});
