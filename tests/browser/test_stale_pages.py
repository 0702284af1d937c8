"""Pages left open (#17, stale state) end to end with axe: the client's your-needs page open in
two tabs (phone size), and the adviser's client record open in two tabs (desk size). The stale
tab's save changes nothing and says why, kindly."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, assert_accessible, new_context
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser


def test_a_stale_needs_tab_and_a_stale_adviser_tab_change_nothing(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Tegan")
    client_signs_in(page, live_server, data.phone)

    # Two tabs on "Help at your appointments"; the first saves a private room.
    page.goto(live_server.url + "/your-needs")
    other_tab = page.context.new_page()
    other_tab.goto(live_server.url + "/your-needs")
    page.get_by_label("A private room").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved.")

    # The second tab, still showing nothing kept, saves: nothing is erased, both are shown.
    other_tab.get_by_role("button", name="Save").click()
    expect(other_tab.locator("#changed-meanwhile")).to_contain_text("nothing is lost")
    expect(other_tab.locator("#saved-now")).to_contain_text("A private room")
    expect(other_tab.locator("#tried-to-save")).to_contain_text("No help")
    expect(other_tab.get_by_label("A private room")).to_be_checked()
    assert_accessible(other_tab)
    other_tab.close()

    # The adviser has the record open twice and answers the room in both.
    adviser = _adviser_page(browser, live_server)
    record = live_server.url + f"/adviser/clients/{data.client_id}"
    adviser.goto(record)
    second = new_context(
        browser, viewport=adviser.viewport_size, storage_state=adviser.context.storage_state()
    ).new_page()
    second.goto(record)
    adviser.locator("#needs input[name=arranged_note]").first.fill("Room 3")
    adviser.locator("#needs").get_by_role("button", name="Arranged").first.click()
    expect(adviser.locator("#needs")).to_contain_text("arranged: Room 3")

    second.locator("#needs").get_by_role("button", name="I will talk to them").first.click()
    expect(second.locator("h1")).to_have_text("This help has already been answered")
    expect(second.locator("#answer")).to_contain_text("Room 3")
    expect(second.locator("main")).to_contain_text("Nothing has been changed")
    assert_accessible(second)
    second.get_by_role("link", name="Back to their record").click()
    expect(second.locator("#needs")).to_contain_text("arranged: Room 3")
