"""Passkeys with Chromium's virtual authenticator (DevTools WebAuthn domain): add one on the
account page, sign out, sign in with it and no code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, assert_accessible, new_context
from tests.browser.test_accounts import client_signs_in

pytestmark = pytest.mark.browser


def test_a_client_adds_a_passkey_and_signs_in_with_it(
    browser: Browser, live_server: LiveServer
) -> None:
    # Browsers refuse an IP address as a passkey's site, so this test uses "localhost".
    server = LiveServer(
        url=live_server.url.replace("127.0.0.1", "localhost"),
        database_url=live_server.database_url,
        env=live_server.env,
    )
    context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    client_signs_in(page, server, "07700 900102")
    page.goto(server.url + "/account")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkey-status")).to_have_text(
        "Passkey added. Next time, choose Sign in with a passkey."
    )
    page.reload()
    expect(page.get_by_text("You have 1 passkey.")).to_be_visible()
    assert_accessible(page)

    page.goto(server.url + "/sign-out")
    page.get_by_role("button", name="Sign out on this device").click()
    page.goto(server.url + "/sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("h1")).to_contain_text("Hello, Ceri")
    context.close()
