"""The small things people notice (#17 part 6), in a phone-sized browser with axe: the start
page's start button, "Saved." after changing times, "Add to calendar" choices and the page of
everything we hold, in English and Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "start": "Start now",
        "staff": "Sign in as an adviser",
        "sign_in": "Sign in",
        "data": "Everything we hold about you",
        "json": "Download as a JSON file",
        "calendar": "Add to your calendar",
    },
    "cy": {
        "start": "Dechrau nawr",
        "staff": "Mewngofnodi fel cynghorydd",
        "sign_in": "Mewngofnodi",
        "data": "Popeth sydd gennym amdanoch chi",
        "json": "Lawrlwytho fel ffeil JSON",
        "calendar": "Ychwanegu at eich calendr",
    },
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_start_page_has_a_start_button(
    page: Page, live_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    page.goto(f"{live_server.url}/language/{language}?next=/")
    start = page.get_by_role("button", name=words["start"])
    expect(start).to_be_visible()  # not only behind the collapsed menu
    expect(page.locator("main").get_by_role("link", name=words["staff"])).to_be_visible()
    assert_accessible(page)
    start.click()
    expect(page.locator("h1")).to_have_text(words["sign_in"])


def test_saving_times_says_what_changed(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Sioned")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/your-times")
    page.get_by_label("Nothing before").select_option("13:00")
    page.get_by_role("button", name="Save times of day").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Saved. We will not offer times before 1pm.")
    assert_accessible(page)


def test_add_to_calendar_offers_each_way(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Tegwen")
    client_signs_in(page, live_server, data.phone)
    page.goto(f"{live_server.url}/appointments/{data.appointment_id}")
    page.get_by_role("link", name="Add to your calendar").click()
    expect(page.locator("h1")).to_have_text("Add to your calendar")
    google = page.get_by_role("link", name="Add to Google Calendar").get_attribute("href") or ""
    outlook = page.get_by_role("link", name="Add to Outlook Calendar").get_attribute("href") or ""
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert outlook.startswith("https://outlook.live.com/calendar/0/action/compose?")
    assert "jobcentre" not in (google + outlook).lower()
    assert_accessible(page)
    page.get_by_role("button", name="Make a private calendar link").click()
    expect(page.locator("h1")).to_have_text("Your private calendar link")
    subscribe = page.get_by_role("button", name="Open in my calendar app")
    assert (subscribe.get_attribute("href") or "").startswith("webcal://")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_everything_we_hold_can_be_read_and_printed(
    page: Page, live_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    data = new_client_with_first_wfi(live_server.database_url, "Mererid", language=language)
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/account")
    page.locator("a[href='/account/your-data']").click()
    expect(page.locator("h1")).to_have_text(words["data"])
    expect(page.locator("#appointments-table")).to_be_visible()
    expect(page.get_by_role("link", name=words["json"])).to_have_attribute(
        "href", "/account/download"
    )
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name=words["json"])).to_be_hidden()
    expect(page.locator("#help-now-numbers-print")).to_be_visible()
