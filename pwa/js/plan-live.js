// Live plan: when the other person changes the plan, show it here without a reload.
// Progressive enhancement only: without JavaScript, reloading the page shows the same thing.
const region = document.getElementById("plan-live");
const status = document.getElementById("plan-live-status");

async function refresh() {
  const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("plan-live");
  if (fresh && region) {
    region.innerHTML = fresh.innerHTML;
    if (status) status.textContent = region.dataset.updatedMessage || "";
  }
}

if (region && "EventSource" in window) {
  const events = new EventSource(region.dataset.events);
  events.addEventListener("changed", () => refresh().catch(() => {}));
}
