"""No silent changes (#17 part 3), in the browser at phone size with axe: a phone appointment
changed on the bus with no signal does not come back in person at the Jobcentre unseen (the
choice waits, then comes back to look at: "This is at a different place", and only "Yes"
moves it); later times a week at a time; a cancelled appointment's page says so first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from app.appointments.models import Appointment, AppointmentMode, AppointmentStatus
from app.core.db import build_engine, write_session
from app.offices.models import Venue, VenueKind
from tests.browser.conftest import LiveServer, assert_accessible, service_worker_in_control
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in

pytestmark = pytest.mark.browser


def _make_it_by_phone(server: LiveServer, appointment_id: int) -> None:
    engine = build_engine(server.database_url)
    with write_session(engine) as session:
        phone = session.exec(select(Venue).where(Venue.kind == VenueKind.phone)).first()
        appointment = session.get(Appointment, appointment_id)
        assert appointment is not None and phone is not None
        appointment.mode = AppointmentMode.phone
        appointment.venue_id = phone.id
        session.add(appointment)
    engine.dispose()


def _appointment(server: LiveServer, appointment_id: int) -> Appointment:
    engine = build_engine(server.database_url)
    with Session(engine) as session:
        appointment = session.get(Appointment, appointment_id)
        assert appointment is not None
    engine.dispose()
    return appointment


def test_a_phone_appointment_changed_offline_is_not_moved_in_person_unseen(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Nia")
    _make_it_by_phone(live_server, data.appointment_id)
    client_signs_in(page, live_server, data.phone)
    service_worker_in_control(page)
    appointment = f"/appointments/{data.appointment_id}"
    for path in ("/home", appointment + "/change", appointment):
        page.goto(live_server.url + path)

    context.set_offline(True)
    try:
        page.goto(live_server.url + appointment + "/change")
        expect(page.locator("#now-place")).to_contain_text("It is by phone")
        # The demo has phone times too: this is one of the times in person.
        elsewhere = '.govuk-radios__item:has(.govuk-radios__hint) input[name="slot"]'
        first = page.locator(elsewhere).first
        label = page.locator(f'label[for="{first.get_attribute("id")}"]')
        # The kept copy says where each time is: these are at the Jobcentre.
        expect(label).to_contain_text("– Riverside Jobcentre Plus, 60 minutes")
        expect(page.locator(f"#{first.get_attribute('id')}-item-hint")).to_have_text(
            "A different place from now"
        )
        assert_accessible(page)
        first.check()
        page.get_by_role("button", name="Choose this time").click()
        expect(page.locator("h1")).to_have_text("Waiting to send")
    finally:
        context.set_offline(False)

    # Signal again: the choice is sent, and comes back to look at. Still by phone.
    page.goto(live_server.url + "/home")
    status = page.locator("#change-status")
    expect(status).to_have_attribute("data-state", "needs-look", timeout=10_000)
    assert _appointment(live_server, data.appointment_id).mode == AppointmentMode.phone
    status.get_by_role("link", name="See what happened").click()
    expect(page.locator("h1")).to_have_text("This is at a different place")
    expect(page.locator("main")).to_contain_text(
        "The new time is at Riverside Jobcentre Plus, not by phone."
    )
    assert_accessible(page)

    # "Yes": now it moves, and the page says where.
    page.get_by_role("button", name="Yes, choose this time").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your new time")
    expect(page.locator("#new-place")).to_contain_text("Riverside Jobcentre Plus")
    assert_accessible(page)
    moved = _appointment(live_server, data.appointment_id)
    assert moved.mode == AppointmentMode.in_person


def test_later_times_a_week_at_a_time_and_a_cancelled_page(
    page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Lowri")
    client_signs_in(page, live_server, data.phone)
    appointment = f"/appointments/{data.appointment_id}"
    page.goto(live_server.url + appointment + "/change")
    # The soonest twelve, and the rest of the day the twelfth is on (a day is never split).
    first = page.locator('input[name="slot"]').evaluate_all("els => els.map(e => e.value)")
    assert len(first) >= 12
    page.get_by_role("link", name="Show later times").click()
    expect(page).to_have_url(re.compile(r"/change\?from=\d{4}-\d{2}-\d{2}$"))
    shown = page.locator('input[name="slot"]').evaluate_all("els => els.map(e => e.value)")
    assert shown and set(shown).isdisjoint(first)  # no time shown twice
    expect(page.locator("legend").first).to_contain_text(re.compile(r"Free times from \w+day"))
    assert_accessible(page)
    same_place = '.govuk-radios__item:not(:has(.govuk-radios__hint)) input[name="slot"]'
    later = page.locator(same_place).last
    chosen = page.locator(f'label[for="{later.get_attribute("id")}"]').inner_text()
    later.check()
    page.get_by_role("button", name="Choose this time").click()
    # The same place and length as now: changed at once, as before.
    expect(page.locator(".govuk-panel__body")).to_have_text(chosen.split(" – ")[0])

    engine = build_engine(live_server.database_url)
    with write_session(engine) as session:
        booked = session.get(Appointment, data.appointment_id)
        assert booked is not None
        booked.status = AppointmentStatus.cancelled
        session.add(booked)
    engine.dispose()
    page.goto(live_server.url + appointment)
    expect(page.locator("h1")).to_have_text("Cancelled")
    expect(page.locator("main")).to_contain_text("was cancelled. You do not need to go.")
    assert_accessible(page)
