"""Scenario 9 (a Welsh-speaking client uses the whole app in Welsh, reminders included) and a
keyboard-only run of scenario 2 (no mouse, no touch: Tab, arrows, Space and Enter)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from app.core.db import build_engine
from app.delivery.models import NotificationKind
from app.people.models import ReminderSettings
from tests.browser.conftest import LiveServer, assert_accessible, wait_until
from tests.browser.scenario_data import international, messages_to, new_client_with_first_wfi
from tests.browser.test_accounts import _latest_code_for
from tests.browser.test_scenarios_appointments import _afternoon

pytestmark = pytest.mark.browser


def test_scenario_9_all_in_welsh_reminders_included(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Gwenllian", language="cy")
    page.goto(live_server.url + "/language/cy?next=/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.locator("#contact").fill(data.phone)
    page.locator("form button[type=submit]").first.click()
    assert_accessible(page)
    code = _latest_code_for(page, live_server, international(data.phone))
    page.goto(live_server.url + "/sign-in/code")
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Helo")
    assert_accessible(page)

    # Her appointment, the change flow and her plan, all in Welsh.
    page.goto(live_server.url + f"/appointments/{data.appointment_id}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    expect(page.locator("h1")).to_have_text("Dewiswch amser newydd")
    assert_accessible(page)
    # A time at the same place as now (one elsewhere is asked about first).
    same_place = '.govuk-radios__item:not(:has(.govuk-radios__hint)) input[name="slot"]'
    page.locator(same_place).first.check()
    page.locator("form[method=post] button[type=submit]").first.click()
    assert_accessible(page)
    page.goto(live_server.url + "/plan")
    expect(page.locator("h1")).to_have_text("Eich cynllun")
    assert_accessible(page)

    # Reminder settings in Welsh, and the reminders themselves.
    page.goto(live_server.url + "/settings/reminders")
    expect(page.locator("h1")).to_have_text("Nodiadau atgoffa")
    assert_accessible(page)
    page.locator("form[action='/settings/reminders/test'] button").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    rows = messages_to(live_server.database_url, data.client_id)
    kinds = {row.kind for row in rows}
    assert {
        NotificationKind.confirmation,
        NotificationKind.reminder,
        NotificationKind.test,
    } <= kinds
    for row in rows:
        assert row.language == "cy"
        words = row.sms_body.split(" http")[0]  # the link is an address, not words
        for english in ("Reminder", "appointment", "Your adviser", "This is a test"):
            assert english not in words, words
    moved = next(r for r in rows if r.kind == NotificationKind.confirmation and "symud" in r.body)
    assert moved.sms_body.startswith("Mae eich apwyntiad wedi symud")
    reminder = next(
        r for r in rows if r.kind == NotificationKind.reminder and r.status == "pending"
    )
    assert reminder.body.startswith("Nodyn atgoffa")


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching selector has focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def test_scenario_2_by_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Nerys")
    page.goto(live_server.url + "/sign-in")
    _tab_to(page, "#contact")
    page.keyboard.type(data.phone)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Enter your code")
    code = _latest_code_for(page, live_server, international(data.phone))
    page.goto(live_server.url + "/sign-in/code")
    _tab_to(page, "input[name=code]")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Hello")

    # Nothing before 1pm: a select, by keyboard.
    page.goto(live_server.url + "/your-times")
    _tab_to(page, "#not_before")
    for _ in range(10):
        if page.evaluate("() => document.activeElement.value") == "13:00":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == "13:00"
    _tab_to(page, "form[action='/your-times/preferences'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#not_before")).to_have_value("13:00")

    # Quiet hours until 1pm.
    page.goto(live_server.url + "/settings/reminders")
    _tab_to(page, "#quiet_end")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == "13":
            break
        page.keyboard.press("ArrowDown")
    _tab_to(page, "form[action='/settings/reminders'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # Only afternoons are offered; one is chosen with Space and sent with Enter.
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    labels = page.locator(
        '.govuk-radios__item:has(input[name="slot"]) .govuk-radios__label'
    ).all_inner_texts()
    assert labels and all(_afternoon(label) for label in labels)
    _tab_to(page, 'input[name="slot"]')
    page.keyboard.press("Space")
    # On to a time at the same place as now (the demo has phone times among these, which
    # would be asked about first): arrow keys move through the choices.
    elsewhere = "() => Boolean(document.activeElement.closest('.govuk-radios__item')"
    elsewhere += ".querySelector('.govuk-radios__hint'))"
    for _ in range(len(labels)):
        if not page.evaluate(elsewhere):
            break
        page.keyboard.press("ArrowDown")
    assert not page.evaluate(elsewhere)
    assert page.evaluate("() => document.activeElement.checked") is True
    _tab_to(page, "form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/changed"))
    # Every focused control showed the GOV.UK focus style on the way (checked on the last one).
    assert_accessible(page)

    engine = build_engine(live_server.database_url)
    with Session(engine) as session:
        settings = session.get(ReminderSettings, data.client_id)
        assert settings is not None and settings.quiet_end == 13 * 60
    engine.dispose()
    for row in messages_to(live_server.database_url, data.client_id):
        if row.kind == NotificationKind.reminder and row.status == "pending":
            from app.delivery.quiet_hours import in_quiet_hours

            assert not in_quiet_hours(row.due_at, settings), row.due_at
    wait_until(page, "() => true")
