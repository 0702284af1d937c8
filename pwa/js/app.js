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
// A page drawn before a change reached us shows the old data: once the change is sent, such a
// page loads itself again from the network (at most once per change: the new page is drawn
// after it). Only pages drawn by an ordinary GET may (the server marks them): not the page
// answering a post, nor "Waiting to send", which stands at the address the form posted to.
const drawnAt = performance.timeOrigin;
const mayRedraw = Boolean(changeStatus && "redraw" in changeStatus.dataset);
const REDRAWN_KEY = "changes-redrawn-for";
let redrawing = false;

function redrawnFor() {
  try {
    return JSON.parse(sessionStorage.getItem(REDRAWN_KEY) || "[]");
  } catch (error) {
    return [];
  }
}

function rememberRedraw(ids) {
  try {
    sessionStorage.setItem(REDRAWN_KEY, JSON.stringify([...redrawnFor(), ...ids].slice(-20)));
    return true;
  } catch (error) {
    return false; // nowhere to remember it: better no reload than one that could repeat
  }
}

// Has the person typed or chosen something in a form on this page? Then it must not reload.
function typedInto() {
  for (const form of document.forms) {
    for (const field of form.elements) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.tagName === "SELECT") {
        const options = [...field.options];
        if (field.multiple) {
          if (options.some((option) => option.selected !== option.defaultSelected)) return true;
        } else if (field.selectedIndex !== Math.max(options.findIndex((option) => option.defaultSelected), 0)) {
          return true;
        }
      } else if (field.type !== "hidden" && "defaultValue" in field && field.value !== field.defaultValue) {
        return true;
      }
    }
  }
  return false;
}

function showChanges(items) {
  if (!changeStatus || redrawing) return; // news for the page on its way, not for this one
  const waiting = items.filter((item) => item.status === "waiting");
  const look = items.filter((item) => item.status === "needs-look" && !item.seen);
  const sent = items.filter((item) => item.status === "sent" && !item.seen);
  const done = redrawnFor();
  const sentSinceDrawn = sent.filter((item) => item.sentAt > drawnAt && !done.includes(item.id));
  const typed = sentSinceDrawn.length > 0 && typedInto();
  if (sentSinceDrawn.length && mayRedraw && navigator.onLine && !typed) {
    // Not marked as seen: the page drawn again says "Sent".
    if (rememberRedraw(sentSinceDrawn.map((item) => item.id))) {
      redrawing = true;
      window.location.reload();
      return;
    }
  }
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
    if (sentSinceDrawn.length && mayRedraw) {
      // What they typed stays: the newer page is theirs to open when they are ready.
      changeStatus.append(" ");
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = window.location.href.split("#")[0];
      link.textContent = changeStatus.dataset.latestLink;
      changeStatus.append(link);
    }
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
