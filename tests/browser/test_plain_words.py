"""Plain words in a phone-sized browser with axe (#17 outside-in): the plan's history says
what happened in the reader's language, never a stored code, and each plan action shows a
banner saying it is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in

pytestmark = pytest.mark.browser

HISTORY = {
    "en": ("added “Walk to the park” to the plan", "noted a small win: I went to a group"),
    "cy": (
        "wedi ychwanegu “Walk to the park” at y cynllun",
        "wedi nodi llwyddiant bach: ",
    ),
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_plan_history_is_plain_words(
    page: Page, live_server: LiveServer, language: str
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Heledd")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/plan/steps/new")
    page.locator("#title").fill("Walk to the park")
    page.locator("form[action='/plan/steps'] button").click()
    expect(page.locator("#saved-banner")).to_contain_text("Added to the plan.")
    assert_accessible(page)
    page.locator("#progress-went-to-a-group").check()
    page.locator("form[action='/plan/progress'] button").click()
    expect(page.locator("#saved-banner")).to_be_visible()
    page.goto(f"{live_server.url}/language/{language}?next=/plan/history")
    history = page.locator("#plan-history")
    added, win = HISTORY[language]
    expect(history).to_contain_text(added)
    expect(history).to_contain_text(win)
    words = history.inner_text()
    for code in ("went-to-a-group", "progress", "edited", "→", "title"):
        assert code not in words
    assert_accessible(page)
