"""Reaching the adviser (#17): on a phone the client finds "Contact your adviser", asks for a
call and writes a message; the adviser sees both on the attention list, reads and replies;
the client gets a discreet note and sees the reply. In English and in Welsh, axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import international, messages_to, new_client_with_first_wfi
from tests.browser.test_accounts import _latest_code_for, client_signs_in
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser


def test_client_writes_adviser_replies_client_sees_it(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Rhiannon")
    client_signs_in(page, live_server, data.phone)
    page.get_by_role("button", name="Menu").click()  # the phone-sized header folds its links
    page.get_by_role("link", name="Contact your adviser").click()
    expect(page.locator("h1")).to_have_text("Contact your adviser")
    expect(page.locator("#opening-hours")).to_contain_text("Monday to Friday")
    assert_accessible(page)
    page.get_by_label("In the afternoon").check()
    page.get_by_role("button", name="Ask for a call").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "We have asked your adviser to call you"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Send a message or read your messages").click()
    expect(page.locator("h1")).to_have_text("Messages with your adviser")
    expect(page.locator("#working-hours")).to_contain_text("Samaritans on 116 123")
    assert_accessible(page)
    page.get_by_role("button", name="Send message").click()  # empty: a kind error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write your message")
    assert_accessible(page)
    page.get_by_label("Your message").fill("Could we talk about the course?")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#thread")).to_contain_text("Could we talk about the course?")
    assert_accessible(page)

    adviser = _adviser_page(browser, live_server)
    attention = adviser.locator("#attention")
    expect(attention).to_contain_text("Rhiannon")
    expect(attention).to_contain_text("sent you a message")
    expect(attention).to_contain_text("asked you to call them (in the afternoon)")
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    expect(adviser.locator("#thread")).to_contain_text("Could we talk about the course?")
    assert_accessible(adviser)
    adviser.get_by_label("Write to the client").fill("Yes. I will ring you on Tuesday.")
    adviser.get_by_role("button", name="Send message").click()
    expect(adviser.locator("#replied")).to_be_visible()
    # The adviser's own reply is "You" on their screen, the client's message their name (#18).
    expect(adviser.locator("#thread .app-thread__message--adviser strong").last).to_have_text("You")
    expect(adviser.locator("#thread .app-thread__message--client strong").first).to_contain_text(
        "Rhiannon"
    )
    adviser.get_by_role("button", name="I have called them").click()
    adviser.goto(live_server.url + "/adviser")
    expect(adviser.locator("#attention li", has_text="Rhiannon")).to_have_count(0)
    adviser.context.close()

    note = [
        m for m in messages_to(live_server.database_url, data.client_id) if m.url == "/messages"
    ]
    assert [m.body for m in note] == ["You have a new message."]
    # The client's page was never reloaded: the reply arrived live.
    expect(page.locator("#thread")).to_contain_text("Yes. I will ring you on Tuesday.")
    expect(page.locator("#thread-live-status")).to_have_text("You have a new message.")
    expect(page.locator("#thread")).to_contain_text("New")
    assert_accessible(page)


def test_the_same_in_welsh(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Heledd", language="cy")
    page.goto(live_server.url + "/language/cy?next=/sign-in")
    client_signs_in_welsh(page, live_server, data.phone)
    page.goto(live_server.url + "/contact")
    expect(page.locator("h1")).to_have_text("Cysylltu â'ch cynghorydd")
    assert_accessible(page)
    page.goto(live_server.url + "/messages")
    expect(page.locator("h1")).to_have_text("Negeseuon gyda'ch cynghorydd")
    page.locator("#body").fill("Diolch")
    page.locator("form[action='/messages'] button").click()
    expect(page.locator("#thread")).to_contain_text("Diolch")
    assert_accessible(page)


def client_signs_in_welsh(page: Page, server: LiveServer, phone: str) -> None:
    page.locator("#contact").fill(phone)
    page.locator("form button[type=submit]").first.click()
    code = _latest_code_for(page, server, international(phone))
    page.goto(server.url + "/sign-in/code")
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Helo")
