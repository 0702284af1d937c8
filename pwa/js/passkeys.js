// Passkeys: a shortcut for signing in on this phone. Only shown where the browser supports them;
// everything still works with a code by text.
const b64 = {
  toBuffer(value) {
    const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  },
  fromBuffer(buffer) {
    const bytes = String.fromCharCode(...new Uint8Array(buffer));
    return btoa(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
};

function csrfToken() {
  const field = document.querySelector('input[name="csrf_token"]');
  return field ? field.value : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response;
}

function credentialJSON(credential) {
  const out = { id: credential.id, rawId: b64.fromBuffer(credential.rawId), type: credential.type, response: {} };
  for (const key of ["clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"]) {
    if (credential.response[key]) out.response[key] = b64.fromBuffer(credential.response[key]);
  }
  return out;
}

function show(element, message) {
  const status = document.querySelector(element.dataset.status);
  if (status) status.textContent = message;
}

async function addPasskey(button) {
  const options = await (await post("/account/passkeys/options")).json();
  options.challenge = b64.toBuffer(options.challenge);
  options.user.id = b64.toBuffer(options.user.id);
  options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: b64.toBuffer(c.id) }));
  const credential = await navigator.credentials.create({ publicKey: options });
  const saved = await post("/account/passkeys", credentialJSON(credential));
  show(button, saved.ok ? button.dataset.done : button.dataset.failed);
}

async function signInWithPasskey(button) {
  const options = await (await post("/sign-in/passkey/options")).json();
  options.challenge = b64.toBuffer(options.challenge);
  const credential = await navigator.credentials.get({ publicKey: options });
  const result = await post("/sign-in/passkey", credentialJSON(credential));
  const body = await result.json();
  if (body.ok) window.location.assign(body.redirect);
  else show(button, button.dataset.failed);
}

if (window.PublicKeyCredential) {
  for (const button of document.querySelectorAll("[data-passkey]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const action = button.dataset.passkey === "add" ? addPasskey : signInWithPasskey;
      action(button).catch(() => show(button, button.dataset.failed));
    });
  }
}
