// My Pathways service worker. The build fills in the version and the list of files to precache.
const VERSION = "__VERSION__";
const SHELL_CACHE = `shell-${VERSION}`;
const PRECACHE = __PRECACHE__;
const OFFLINE_PAGES = { en: "/offline?lang=en", cy: "/offline?lang=cy" };
const WAITING_PAGES = { en: "/offline/waiting?lang=en", cy: "/offline/waiting?lang=cy" };
const LANGUAGE_KEY = "/__language";
const ICON = __ICON__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([...PRECACHE, ...Object.values(OFFLINE_PAGES), ...Object.values(WAITING_PAGES)]))
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

async function lastLanguage() {
  const cache = await caches.open(SHELL_CACHE);
  const stored = await cache.match(LANGUAGE_KEY);
  return stored ? await stored.text() : "en";
}

async function offlinePage() {
  const cache = await caches.open(SHELL_CACHE);
  const language = await lastLanguage();
  return (await cache.match(OFFLINE_PAGES[language] || OFFLINE_PAGES.en)) || Response.error();
}

// --- Offline reading -------------------------------------------------------------------------
// Pages the client has opened are kept as they were last seen (network first, this copy when
// there is no signal), marked "Last updated" by the note the server put in the page.
const PAGES_CACHE = "pages-v1";
// /contact too: the office's number is most needed when nothing else loads; and a course booked
// for the client (/activities/<id>): where it is, what to bring, who to ring, on the bus there.
// (Never /messages: a conversation is not kept on a phone that may be shared.)
const READABLE = [/^\/home$/, /^\/appointments\/\d+(\/change)?$/, /^\/activities\/\d+$/, /^\/plan(\/steps\/\d+)?$/, /^\/explainers(\/[\w-]+)?$/, /^\/contact$/];

function readable(path) {
  return READABLE.some((pattern) => pattern.test(path));
}

async function keepPage(path, response) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(path, response);
}

async function savedPage(path) {
  const cache = await caches.open(PAGES_CACHE);
  const hit = await cache.match(path);
  if (!hit) return null;
  const html = (await hit.text()).replace('id="offline-note" hidden', 'id="offline-note"');
  return new Response(html, { status: 200, headers: hit.headers });
}

// Signing out (or in as someone else) must not leave one person's pages on the phone, nor
// their reminders: the push subscription goes too (the server deletes it at the next 410).
async function forgetPages() {
  await caches.delete(PAGES_CACHE);
  const subscription = self.registration.pushManager && (await self.registration.pushManager.getSubscription());
  if (subscription) await subscription.unsubscribe();
}

// --- Offline changes -------------------------------------------------------------------------
// A form sent with no signal is kept in IndexedDB and sent when the signal is back (Background
// Sync where the browser has it, otherwise at the next page load or "online" event). The client
// sees "Waiting to send", then "Sent"; if the server answers with a page (a plan conflict, a
// time that has gone), that page is kept for them to look at: nothing is lost silently.
const NOT_QUEUED = [/^\/sign-/, /^\/adviser/, /^\/admin/, /^\/account/, /^\/invitation/];

function database() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("my-pathways", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("changes", { keyPath: "id", autoIncrement: true });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function changes(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction("changes", mode);
    const result = work(transaction.objectStore("changes"));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    transaction.onerror = () => reject(transaction.error);
  });
}

const allChanges = () => changes("readonly", (store) => store.getAll());
const putChange = (item) => changes("readwrite", (store) => store.put(item));

async function waitingPage() {
  const cache = await caches.open(SHELL_CACHE);
  const language = await lastLanguage();
  return (await cache.match(WAITING_PAGES[language] || WAITING_PAGES.en)) || offlinePage();
}

async function tellPages() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const items = await allChanges();
  const summary = items.map(({ id, status, seen, sentAt }) => ({ id, status, seen: Boolean(seen), sentAt }));
  for (const client of windows) client.postMessage({ type: "changes", items: summary });
}

// The client's own pages kept for offline reading may show what a sent change altered (the
// home page shows the next appointment, the plan its steps): they are fetched again, so the
// copy read with no signal is what the server now holds. Explainers do not change with them.
async function refreshKeptPages(fresh) {
  const cache = await caches.open(PAGES_CACHE); // gone with sign-out: nothing is written back
  for (const kept of await cache.keys()) {
    const path = new URL(kept.url).pathname;
    if (fresh.has(path) || path.startsWith("/explainers")) continue;
    try {
      const response = await fetch(path, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(path, response);
    } catch (error) {
      return; // the signal went again: the pages are fetched as they are next opened
    }
  }
}

let sending = null;
async function sendChanges() {
  const fresh = new Set();
  for (const item of await allChanges()) {
    if (item.status !== "waiting") continue;
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body: item.body,
        headers: { "Content-Type": item.type },
        credentials: "same-origin",
      });
    } catch (error) {
      break; // still no signal: try again later
    }
    const landed = new URL(response.url);
    if (landed.pathname === "/sign-in" || response.status >= 500) continue; // keep it for later
    if (response.redirected && response.ok) {
      item.status = "sent";
      // The page the change leads to, drawn after it: the copy kept for that address.
      if (readable(landed.pathname)) await keepPage(landed.pathname, response);
      fresh.add(landed.pathname);
    } else {
      item.status = "needs-look";
      item.page = await response.text();
    }
    item.sentAt = Date.now();
    await putChange(item);
  }
  await tellPages(); // pages drawn before a change was sent load themselves again
  return fresh;
}

function sendChangesOnce() {
  if (sending) return sending;
  sending = sendChanges().finally(() => (sending = null));
  // After the round, not in it: a page loading again meanwhile asks for (and gets) its own.
  return sending.then((fresh) => (fresh.size ? refreshKeptPages(fresh) : undefined));
}

async function queueChange(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (error) {
    await putChange({
      url: request.url,
      body,
      type: request.headers.get("Content-Type") || "application/x-www-form-urlencoded",
      savedAt: Date.now(),
      status: "waiting",
    });
    if (self.registration.sync) {
      try {
        await self.registration.sync.register("send-changes");
      } catch (ignored) {
        // Background Sync not allowed: pages ask again when they load or come online.
      }
    }
    await tellPages();
    return waitingPage();
  }
}

async function keptAnswer(id) {
  const item = (await allChanges()).find((change) => String(change.id) === id);
  if (!item || !item.page) return offlinePage();
  item.seen = true;
  await putChange(item);
  return new Response(item.page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("sync", (event) => {
  if (event.tag === "send-changes") event.waitUntil(sendChangesOnce());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "send-changes") event.waitUntil(sendChangesOnce());
  if (data.type === "seen") {
    event.waitUntil(
      allChanges()
        .then((items) => Promise.all(items.filter((i) => i.status === "sent" && !i.seen).map((i) => putChange({ ...i, seen: true }))))
        .then(tellPages),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method === "POST" && request.mode === "navigate" && !NOT_QUEUED.some((p) => p.test(url.pathname))) {
    event.respondWith(queueChange(request));
    return;
  }
  if (request.method !== "GET") return;

  if (request.mode === "navigate") {
    const answer = url.pathname.match(/^\/offline\/change\/(\d+)$/);
    if (answer) {
      event.respondWith(keptAnswer(answer[1]));
      return;
    }
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(rememberLanguage(response.clone()));
          if (url.pathname === "/signed-out" || url.pathname === "/sign-in") {
            event.waitUntil(forgetPages());
          } else if (response.ok && !response.redirected && readable(url.pathname)) {
            event.waitUntil(keepPage(url.pathname, response.clone()));
          }
          event.waitUntil(sendChangesOnce());
          return response;
        })
        .catch(async () => (await savedPage(url.pathname)) || offlinePage()),
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
