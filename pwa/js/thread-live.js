// Live message thread: a new message shows here without a reload (what is being typed in the
// box is left alone: only the thread is redrawn). Progressive enhancement only: without
// JavaScript, reloading the page shows the same thing.
const region = document.getElementById("thread-live");
const status = document.getElementById("thread-live-status");

async function refresh() {
  const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("thread-live");
  if (fresh && region) {
    region.innerHTML = fresh.innerHTML;
    if (status) status.textContent = region.dataset.updatedMessage || "";
  }
}

if (region && "EventSource" in window) {
  const events = new EventSource(region.dataset.events);
  events.addEventListener("changed", () => refresh().catch(() => {}));
}
