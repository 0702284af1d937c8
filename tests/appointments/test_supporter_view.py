"""A support person reads the client's appointment and home as about the client, not as if
they were the client ("Dilys Jones asked for: A private room", "Booked for Dilys")."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.activities import book_activity
from app.appointments.models import HelpKind
from app.appointments.needs import keep_need
from app.core.clock import london_datetime, london_today, utcnow
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    sign_in_client,
)
from tests.html import text


def test_a_support_person_reads_about_the_client(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Dilys Jones")
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.private_room, detail=None)
    day = london_today() + timedelta(days=20)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    appointment = make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    book_activity(
        session=db,
        client_id=profile.id,
        title="Confidence course",
        provider="",
        place="",
        starts_at=utcnow() + timedelta(days=5),
        duration_minutes=60,
        bring="",
        contact="",
        actor_user_id=None,
    )
    helper = make_support_person(db, profile, name="Mo Helper")
    sign_in_client(client, db, helper)
    page = text(client.get(f"/appointments/{appointment.id}").text)
    assert "Dilys Jones asked for: A private room" in page
    assert "You asked for" not in page
    assert "No one can make Dilys Jones take a job" in page
    home = text(client.get("/home").text)
    assert "Booked for Dilys Jones" in home and "Booked for you" not in home
