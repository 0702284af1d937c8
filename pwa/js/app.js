// The one script every page loads (as a module, so old browsers simply get the HTML pages).
document.body.classList.add("js-enabled", "govuk-frontend-supported");

// GOV.UK Frontend behaviours (error summary focus, conditional reveals, character counts)
// are loaded only on pages that use them, to keep the first visit small.
if (document.querySelector('[data-module]:not([data-module="govuk-skip-link"])')) {
  import("__GOVUK_FRONTEND_URL__")
    .then((govuk) => govuk.initAll())
    .finally(() => document.body.classList.add("app-menu-ready"));
} else {
  document.body.classList.add("app-menu-ready");
}

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // No service worker (private mode, old phone): the site works as plain pages.
    });
  });
}

function markConnection() {
  document.documentElement.classList.toggle("app-is-offline", !navigator.onLine);
}
window.addEventListener("online", markConnection);
window.addEventListener("offline", markConnection);
markConnection();

// Changes made with no signal: the service worker keeps them and says how they are doing.
const changeStatus = document.getElementById("change-status");

function showChanges(items) {
  if (!changeStatus) return;
  const waiting = items.filter((item) => item.status === "waiting");
  const look = items.filter((item) => item.status === "needs-look" && !item.seen);
  const sent = items.filter((item) => item.status === "sent" && !item.seen);
  // "Sent" stays on this page once shown, though the worker now counts it as seen.
  if (!look.length && !waiting.length && !sent.length && changeStatus.dataset.state === "sent") return;
  changeStatus.textContent = "";
  if (look.length) {
    changeStatus.append(changeStatus.dataset.look + " ");
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = `/offline/change/${look[0].id}`;
    link.textContent = changeStatus.dataset.lookLink;
    changeStatus.append(link);
  } else if (waiting.length) {
    changeStatus.textContent = changeStatus.dataset.waiting;
  } else if (sent.length) {
    changeStatus.textContent = changeStatus.dataset.sent;
    navigator.serviceWorker.controller?.postMessage({ type: "seen" });
  }
  changeStatus.hidden = !changeStatus.textContent;
  changeStatus.dataset.state = look.length ? "needs-look" : waiting.length ? "waiting" : sent.length ? "sent" : "";
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "changes") showChanges(event.data.items);
  });
  const askToSend = () => navigator.serviceWorker.controller?.postMessage({ type: "send-changes" });
  window.addEventListener("online", askToSend);
  navigator.serviceWorker.ready.then(askToSend);
}
