// Notifications on this phone: only asked for when the client presses the button, after the
// page has explained what they are. Texts keep working whatever happens here.
function csrfToken() {
  const field = document.querySelector('input[name="csrf_token"]');
  return field ? field.value : "";
}

function toKey(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "===".slice((base64.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body),
  });
}

async function setUp(box) {
  const status = document.querySelector(box.dataset.status);
  const on = box.querySelector('[data-push="on"]');
  const off = box.querySelector('[data-push="off"]');
  const say = (message) => {
    if (status) status.textContent = message;
  };
  if (!box.dataset.vapidKey || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const registration = await navigator.serviceWorker.ready;
  const show = async () => {
    const subscription = await registration.pushManager.getSubscription();
    on.hidden = Boolean(subscription);
    off.hidden = !subscription;
  };
  on.addEventListener("click", async () => {
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(permission === "denied" ? box.dataset.blocked : box.dataset.off);
        return;
      }
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: toKey(box.dataset.vapidKey),
      });
      const response = await post("/settings/reminders/push", subscription.toJSON());
      say(response.ok ? box.dataset.done : box.dataset.failed);
    } catch (error) {
      say(box.dataset.failed);
    }
    await show();
  });
  off.addEventListener("click", async () => {
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post("/settings/reminders/push/remove", { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    say(box.dataset.off);
    await show();
  });
  await show();
}

for (const box of document.querySelectorAll("[data-push-opt-in]")) setUp(box);
