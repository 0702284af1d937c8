"""The adviser moves, then cancels, a client's interview from the record (#18), in Chromium
at desk size: each page passes axe, each action ends on the record with a success banner, and
the client is told."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import messages_to, new_client_with_first_wfi
from tests.browser.test_scenarios_appointments import _adviser_page

TOLD_WORDS = re.compile("has been told|is on its way|We will send")

pytestmark = pytest.mark.browser


def test_the_adviser_moves_then_cancels_an_interview_from_the_record(
    browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Mererid")
    adviser = _adviser_page(browser, live_server)
    adviser.goto(f"{live_server.url}/adviser/clients/{data.client_id}")
    adviser.locator(f"#change-{data.appointment_id}").click()
    expect(adviser.locator("h1")).to_contain_text("Change the time for")
    assert_accessible(adviser)
    # Every free time says where it is.
    label = adviser.locator('label[for^="slot"]').first.inner_text()
    assert " – " in label and label.endswith("60 minutes"), label
    adviser.locator('input[name="slot"]').first.check()
    adviser.get_by_role("button", name="Move to this time").click()
    expect(adviser.locator("#done")).to_contain_text("Moved to")
    # Told, on its way, or when it will go (quiet hours): what the outbox says, never assumed.
    expect(adviser.locator("#done")).to_contain_text(TOLD_WORDS)
    assert_accessible(adviser)

    adviser.locator(f"#cancel-{data.appointment_id}").click()
    expect(adviser.locator("h1")).to_have_text("Cancel this appointment?")
    assert_accessible(adviser)
    adviser.get_by_label("The client asked").check()
    adviser.get_by_role("button", name="Cancel the appointment").click()
    expect(adviser.locator("#done")).to_contain_text("cancelled")
    expect(adviser.locator("#done")).to_contain_text("does not count as a missed appointment")
    assert_accessible(adviser)
    bodies = [m.body for m in messages_to(live_server.database_url, data.client_id)]
    assert any("Your appointment has moved" in body for body in bodies), bodies
    assert any("is cancelled. You do not need to do anything." in body for body in bodies)
