"""Needs remembered (#17 part 2) end to end at 390×844 with axe: the client asks for a private
room on one appointment and sees it on the next with "Still right? Change"; chooses one-to-one
sessions; the adviser sees both first and marks the room arranged with a note; the client
reads what was arranged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app.appointments.availability import publish
from app.appointments.booking import book_slot
from app.appointments.models import AppointmentKind, AppointmentMode
from app.core.clock import london_today
from app.core.db import build_engine, write_session
from app.people.models import Adviser, User
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser


def _book_a_second_appointment(database_url: str, client_id: int) -> int:
    """Interview 2, four weeks on (a weekday), booked the way the adviser books it."""
    engine = build_engine(database_url)
    day = london_today() + timedelta(days=28)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    with write_session(engine) as session:
        adviser_user = session.exec(select(User).where(User.email == "adviser1@example.org")).one()
        adviser = session.exec(select(Adviser).where(Adviser.user_id == adviser_user.id)).one()
        assert adviser.id is not None
        slot = publish(
            session=session,
            adviser_id=adviser.id,
            day=day,
            hour=14,
            minute=5,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=None,
            offered_to_client_id=client_id,
        )[0]
        appointment = book_slot(
            session=session,
            slot=slot,
            client_id=client_id,
            kind=AppointmentKind.wfi,
            wfi_number=2,
            actor_user_id=adviser_user.id,
            actor_role="adviser",
        )
        assert appointment.id is not None
        appointment_id = appointment.id
    engine.dispose()
    return appointment_id


def test_a_need_asked_once_is_remembered_and_what_was_arranged_is_shown(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Nerys")
    second_id = _book_a_second_appointment(live_server.database_url, data.client_id)
    client_signs_in(page, live_server, data.phone)

    page.goto(live_server.url + f"/appointments/{data.appointment_id}")
    page.get_by_label("A private room").check()
    page.get_by_role("button", name="Ask for this").click()
    expect(page.locator("#help-requests")).to_contain_text("You asked for a private room.")
    assert_accessible(page)

    # The next appointment shows it, with "Still right? Change".
    page.goto(live_server.url + f"/appointments/{second_id}")
    expect(page.locator("#help-requests")).to_contain_text("You asked for a private room.")
    expect(page.locator("#still-right")).to_contain_text("Still right?")
    assert_accessible(page)
    page.locator("#still-right a").click()
    expect(page.locator("h1")).to_have_text("Help at your appointments")
    expect(page.get_by_label("A private room")).to_be_checked()
    page.get_by_label("One-to-one").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved.")
    assert_accessible(page)
    for word in ("condition", "diagnosis", "symptom"):
        expect(page.locator("main")).not_to_contain_text(word)

    # The adviser sees the standing need and the session preference first, and arranges the room
    # for the first appointment (listed first: the soonest).
    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    needs = adviser.locator("#needs")
    expect(needs.locator(".govuk-summary-list__key").first).to_have_text(
        "Help at every appointment"
    )
    expect(needs).to_contain_text("One-to-one")
    assert_accessible(adviser)
    needs.locator("input[name=arranged_note]").first.fill("Room 3, on the ground floor")
    needs.get_by_role("button", name="Arranged").first.click()
    expect(adviser.locator("#needs")).to_contain_text("arranged: Room 3, on the ground floor")
    assert_accessible(adviser)

    page.goto(live_server.url + f"/appointments/{data.appointment_id}")
    arranged = page.locator("#arranged-private-room")
    expect(arranged).to_contain_text("A private room is booked for you.")
    expect(arranged).to_contain_text("Your adviser says: Room 3, on the ground floor")
    assert_accessible(page)
    # The next one still waits for the adviser's answer.
    page.goto(live_server.url + f"/appointments/{second_id}")
    expect(page.locator("#help-requests")).to_contain_text("asked")
    expect(page.locator("#arranged-private-room")).to_have_count(0)
