// Live regions: when the other person changes the plan, or a message arrives, show it here
// without a reload (a region with data-events: the plan, the message thread; what is being
// typed in a box outside the region is left alone). Progressive enhancement only: without
// JavaScript, reloading the page shows the same thing.
//
// A hidden tab closes its stream. Browsers allow six connections to one site over HTTP/1.1,
// and an adviser with six plans open in background tabs could not load another page. When the
// tab is shown again it redraws once (something may have changed meanwhile) and listens again.

async function redraw(region, status) {
  const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById(region.id);
  if (fresh) {
    region.innerHTML = fresh.innerHTML;
    if (status) status.textContent = region.dataset.updatedMessage || "";
  }
}

function follow(region) {
  const status = document.getElementById(`${region.id}-status`);
  let events = null;
  const listen = () => {
    if (events) return;
    events = new EventSource(region.dataset.events);
    events.addEventListener("changed", () => redraw(region, status).catch(() => {}));
  };
  const stop = () => {
    if (events) events.close();
    events = null;
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      stop();
    } else if (!events) {
      redraw(region, status).catch(() => {});
      listen();
    }
  });
  // A page kept in the back/forward cache comes back without its stream.
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", () => {
    if (document.visibilityState === "visible") listen();
  });
  if (document.visibilityState === "visible") listen();
}

if ("EventSource" in window) {
  document.querySelectorAll("[data-events][id]").forEach(follow);
}
