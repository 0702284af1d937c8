"""The pages every GOV.UK service has (issue #21), in a phone-sized browser, in English and
Welsh, axe-clean; reached from the footer and the beta banner, by keyboard too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.pages.cookies import COOKIES
from tests.browser.conftest import PHONE, LiveServer, assert_accessible

pytestmark = pytest.mark.browser

PAGES = [
    ("/accessibility-statement", "Accessibility statement", "Datganiad hygyrchedd"),
    ("/privacy", "Privacy notice", "Hysbysiad preifatrwydd"),
    ("/cookies", "Cookies", "Cwcis"),
    ("/feedback", "Tell us what you think", "Dywedwch wrthyn ni beth rydych chi'n ei feddwl"),
]


@pytest.mark.parametrize(("path", "english", "welsh"), PAGES)
def test_service_page_in_english_and_welsh_is_accessible(
    page: Page, live_server: LiveServer, path: str, english: str, welsh: str
) -> None:
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english)
    expect(page.locator("#phase-banner")).to_contain_text("Beta")
    assert_accessible(page)

    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(welsh)
    assert_accessible(page)


def test_footer_links_reach_each_page(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    for name, title in [
        ("Accessibility statement", "Accessibility statement"),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("Feedback", "Tell us what you think"),
    ]:
        footer.get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_have_text(title)


def test_the_beta_banner_leads_to_feedback_by_keyboard(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/about")
    link = page.locator("#phase-banner a")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Tell us what you think")
    expect(page.locator("#feedback-email")).to_have_attribute(
        "href", "mailto:feedback.mypathways@example.org"
    )


@pytest.mark.parametrize("path", [path for path, _, _ in PAGES])
def test_nothing_is_wider_than_a_phone(page: Page, live_server: LiveServer, path: str) -> None:
    page.goto(live_server.url + path)
    if path == "/cookies":
        expect(page.locator("#cookies-list h3 code")).to_have_count(len(COOKIES))
    # A phone widens its layout to fit wide content, so compare with the phone's own width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
