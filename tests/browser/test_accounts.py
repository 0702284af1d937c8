"""Sign-in flows in a real browser: a client with a code from the development outbox, an
adviser with password and authenticator code, and a support person's banner."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import LiveServer, assert_accessible, demo_staff_code, new_context
from tests.browser.scenario_data import international
from tests.browser.words import words

pytestmark = pytest.mark.browser
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def _latest_code_for(page: Page, server: LiveServer, phone: str) -> str:
    page.goto(server.url + "/dev/outbox")
    row = page.locator("tr", has_text=phone).first
    body = row.locator("[data-outbox-body]").inner_text()
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


def client_signs_in(page: Page, server: LiveServer, phone: str, language: str = "en") -> None:
    """Sign in with a code, in English or (language="cy") through the Welsh pages."""
    t = words(language)
    # The English walk goes straight in (no language cookie, so the profile's own is kept).
    start = "/sign-in" if language == "en" else f"/language/{language}?next=/sign-in"
    page.goto(server.url + start)
    assert_accessible(page)
    page.get_by_label(t("Your mobile phone number or email address")).fill(phone)
    page.get_by_role("button", name=t("Send me a code")).click()
    expect(page.locator("h1")).to_have_text(t("Enter your code"))
    assert_accessible(page)
    code = _latest_code_for(page, server, international(phone))
    page.go_back()
    page.get_by_label(t("Code"), exact=True).fill(code)
    page.get_by_role("button", name=t("Continue")).click()


def test_a_client_signs_in_with_the_code_from_the_outbox(
    page: Page, live_server: LiveServer
) -> None:
    client_signs_in(page, live_server, "07700 900103")
    expect(page.locator("h1")).to_contain_text("Hello, Dilys")
    expect(page.get_by_role("heading", name="Your next appointment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Menu").click()  # the phone-sized header folds its links
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("h1")).to_have_text("Your account")
    assert_accessible(page)


def test_a_welsh_speaking_client_gets_welsh_on_any_phone(
    page: Page, live_server: LiveServer
) -> None:
    """Aled's profile says Welsh: a browser that never chose a language still shows Welsh."""
    client_signs_in(page, live_server, "07700 900100")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_contain_text("Helo, Aled")
    assert_accessible(page)


def test_a_mistake_shows_an_error_summary_and_keeps_the_input(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Your mobile phone number or email address").fill("12345")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a UK mobile number")
    expect(page.get_by_label("Your mobile phone number or email address")).to_have_value("12345")
    assert page.title().startswith("Error:")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/sign-in", "/adviser/sign-in"])
def test_sign_in_pages_are_accessible_in_welsh(
    page: Page, live_server: LiveServer, path: str
) -> None:
    page.goto(live_server.url + "/language/cy?next=" + path)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)


def test_an_adviser_signs_in_with_password_and_authenticator(
    browser: Browser, live_server: LiveServer
) -> None:
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    code = demo_staff_code(page, live_server.url)
    page.goto(live_server.url + "/adviser/sign-in")
    assert_accessible(page)
    page.get_by_label("Work email address").fill("adviser1@example.org")
    page.get_by_label("Password").fill("demo-adviser-password")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").count() == 0, page.locator(
        ".govuk-error-summary"
    ).inner_text()
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your caseload")
    assert_accessible(page)
    page.get_by_role("link", name="Aled Example").click()
    expect(page.locator("h1")).to_have_text("Aled Example")
    assert_accessible(page)
    context.close()


def test_a_support_person_sees_who_they_are_helping(
    browser: Browser, live_server: LiveServer
) -> None:
    client_context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = client_context.new_page()
    client_signs_in(page, live_server, "07700 900101")
    page.goto(live_server.url + "/account/support-people/add")
    assert_accessible(page)
    page.get_by_label("Their name").fill("Siân Support")
    page.get_by_label("Their mobile phone number").fill("07700 900888")
    page.get_by_label("How they help you").fill("support worker")
    page.get_by_label("I am happy for this person to see my appointments and my plan").check()
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_text("Siân Support (support worker)")).to_be_visible()
    client_context.close()

    helper_context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    helper = helper_context.new_page()
    client_signs_in(helper, live_server, "07700 900888")
    expect(helper.locator(".govuk-notification-banner")).to_contain_text("You are helping Bethan")
    assert_accessible(helper)
    helper.goto(live_server.url + "/explainers")
    expect(helper.locator(".govuk-notification-banner")).to_contain_text("You are helping Bethan")
    helper_context.close()
