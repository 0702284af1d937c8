"""The page of a past appointment says what happened, kindly (outside-in #7: an attended
appointment's page showed no status)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.booking import record_outcome
from app.appointments.models import AppointmentMode
from app.core.clock import frozen_now, london_datetime
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_client
from tests.html import parse

STARTS = london_datetime(date(2026, 6, 10), 14)


def _status(client: TestClient, db: Session, attended: bool) -> str:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    appointment = make_appointment(db, profile, make_slot(db, adviser, STARTS))
    sign_in_client(client, db, user, keep=True)
    with frozen_now(STARTS + timedelta(hours=2)):
        record_outcome(session=db, appointment=appointment, attended=attended, actor_user_id=None)
        page = parse(client.get(f"/appointments/{appointment.id}").text)
    status = page.find(id="status")
    assert status is not None
    return status.get_text(strip=True)


def test_an_attended_appointment_says_you_came(client: TestClient, db: Session) -> None:
    assert _status(client, db, attended=True) == "You came to this appointment."


def test_a_missed_appointment_says_so_without_blame(client: TestClient, db: Session) -> None:
    assert _status(client, db, attended=False) == (
        "We did not see you at this appointment. That's OK. We'll be in touch to find a new time."
    )


def _phone_page(client: TestClient, db: Session, *, at: timedelta, attended: bool | None) -> str:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    slot = make_slot(db, adviser, STARTS, mode=AppointmentMode.phone)
    appointment = make_appointment(db, profile, slot)
    sign_in_client(client, db, user, keep=True)
    with frozen_now(STARTS + at):
        if attended is not None:
            record_outcome(
                session=db, appointment=appointment, attended=attended, actor_user_id=None
            )
        return parse(client.get(f"/appointments/{appointment.id}").text).get_text(" ")


def test_a_missed_phone_appointment_does_not_promise_a_call(
    client: TestClient, db: Session
) -> None:
    """#18 outside-in: a missed phone appointment still said "Your adviser will call you"."""
    page = _phone_page(client, db, at=timedelta(hours=2), attended=False)
    assert "By phone." in page
    assert "will call you" not in page


def test_a_phone_appointment_ahead_says_the_adviser_will_call(
    client: TestClient, db: Session
) -> None:
    page = _phone_page(client, db, at=-timedelta(days=1), attended=None)
    assert "By phone. Your adviser will call you." in page
