// The one script every page loads (as a module, so old browsers simply get the HTML pages).
document.body.classList.add("js-enabled", "govuk-frontend-supported");

// GOV.UK Frontend behaviours (error summary focus, conditional reveals, character counts)
// are loaded only on pages that use them, to keep the first visit small.
if (document.querySelector('[data-module]:not([data-module="govuk-skip-link"])')) {
  import("__GOVUK_FRONTEND_URL__").then((govuk) => govuk.initAll());
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
