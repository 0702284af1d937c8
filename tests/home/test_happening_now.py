"""An appointment that has begun and is not over is on home as happening now, with what to
do (outside-in #6: a phone appointment in progress vanished from home)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.models import Appointment, AppointmentMode
from app.core.clock import frozen_now, london_datetime
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_client
from tests.html import parse

STARTS = london_datetime(date(2026, 6, 10), 14)  # Wednesday 10 June, 2pm


def _phone_call_at_two(client: TestClient, db: Session) -> Appointment:
    """A 45-minute phone appointment at STARTS, its client signed in."""
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    slot = make_slot(db, adviser, STARTS, duration_minutes=45, mode=AppointmentMode.phone)
    appointment = make_appointment(db, profile, slot)
    sign_in_client(client, db, user, keep=True)
    return appointment


def test_a_phone_appointment_in_progress_says_the_adviser_will_ring_now(
    client: TestClient, db: Session
) -> None:
    appointment = _phone_call_at_two(client, db)
    with frozen_now(STARTS + timedelta(minutes=10)):
        page = parse(client.get("/home").text)
    now = page.find(id="happening-now")
    assert now is not None
    assert "Your adviser will ring you now." in now.get_text()
    link = now.select_one("a")
    assert link is not None and link["href"] == f"/appointments/{appointment.id}"
    with frozen_now(STARTS + timedelta(minutes=46)):  # over: no longer happening now
        assert parse(client.get("/home").text).find(id="happening-now") is None
    with frozen_now(STARTS - timedelta(minutes=1)):  # not yet: the next appointment
        page = parse(client.get("/home").text)
        assert page.find(id="happening-now") is None
        assert page.find(id="next-appointment") is not None


def test_with_only_an_appointment_happening_now_home_says_nothing_else_is_booked(
    client: TestClient, db: Session
) -> None:
    """Not "You have no appointments booked" under the card that shows one (#18 outside-in)."""
    _phone_call_at_two(client, db)
    with frozen_now(STARTS + timedelta(minutes=10)):
        page = parse(client.get("/home").text)
    said = page.find(id="nothing-booked")
    assert said is not None
    assert said.get_text(strip=True) == "You have no other appointments booked at the moment."
    with frozen_now(STARTS + timedelta(minutes=46)):
        said = parse(client.get("/home").text).find(id="nothing-booked")
    assert said is not None
    assert said.get_text(strip=True) == "You have no appointments booked at the moment."
