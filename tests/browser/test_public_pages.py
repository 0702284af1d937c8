"""The public pages in a real phone-sized browser, in English and Welsh, axe-clean; offline works."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    service_worker_in_control,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "My Pathways", "Fy Llwybrau"),
    ("/urgent-help", "Get help now", "Cael help nawr"),
    ("/about", "About this service", "Ynglŷn â'r gwasanaeth hwn"),
]


@pytest.mark.parametrize(("path", "english", "welsh"), PAGES)
def test_page_in_english_and_welsh_is_accessible(
    page: Page, live_server: LiveServer, path: str, english: str, welsh: str
) -> None:
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english)
    assert_accessible(page)

    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(welsh)
    assert page.url == live_server.url + path
    assert_accessible(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_urgent_help_is_one_tap_from_every_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/about")
    page.get_by_role("link", name="Get urgent help, any time of day or night").click()
    expect(page.locator("h1")).to_have_text("Get help now")
    expect(page.get_by_role("link", name="Call Samaritans on 116 123")).to_have_attribute(
        "href", "tel:116123"
    )


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def test_service_worker_installs_and_offline_page_shows(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    service_worker_in_control(page)

    context.set_offline(True)
    try:
        response = page.goto(live_server.url + "/about")
        assert response is not None and response.from_service_worker
        expect(page.locator("h1")).to_have_text("You are offline")
        expect(page.get_by_role("link", name="Call Samaritans on 116 123")).to_be_visible()
        assert_accessible(page)
    finally:
        context.set_offline(False)


def test_offline_page_follows_the_language(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/language/cy?next=/")
    service_worker_in_control(page)
    page.goto(live_server.url + "/about")  # a Welsh page seen through the worker
    context.set_offline(True)
    try:
        page.goto(live_server.url + "/urgent-help")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("h1")).to_have_text("Rydych chi all-lein")
    finally:
        context.set_offline(False)


def test_styles_and_scripts_load_without_csp_errors(page: Page, live_server: LiveServer) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    # Our script ran, GOV.UK Frontend set up its components, and the menu is ready.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported app-menu-ready"
    )
    assert errors == []


def test_welsh_urgent_help_gives_welsh_names_and_the_samaritans_welsh_line(
    page: Page, live_server: LiveServer
) -> None:
    """Issue #19: GIG 111 Cymru, y Samariaid and their Welsh-language line, tappable."""
    page.goto(live_server.url + "/language/cy?next=/urgent-help")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    main = page.locator("main")
    expect(main).to_contain_text("Ffoniwch GIG 111 Cymru a phwyso 2")
    expect(main).to_contain_text("Ffoniwch y Samariaid ar 116 123")
    welsh_line = page.locator("#urgent-help-welsh-line a")
    expect(welsh_line).to_have_attribute("href", "tel:08081640123")
    expect(page.locator("#urgent-help-welsh-line")).to_contain_text("19:00 tan 23:00")
    expect(page.locator(".govuk-service-navigation__link").first).to_have_text("Fy Llwybrau")
    assert "NHS" not in main.inner_text() and "Samaritans" not in main.inner_text()
    assert_accessible(page)
    # English readers see the page as before, without the Welsh line.
    page.goto(live_server.url + "/language/en?next=/urgent-help")
    expect(page.locator("#urgent-help-welsh-line")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Call NHS 111 and choose option 2")
