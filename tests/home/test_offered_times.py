"""The times the adviser offered, on the client's home, say the length the appointment will
have: a time chosen for an appointment keeps its length, as the page where they choose says
(outside-in pass: the home said 60 minutes, the change page and the booking 45)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import london_datetime
from app.people.models import Adviser, ClientProfile
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    open_day_ahead,
    sign_in_client,
)
from tests.html import parse


def _offer_a_60_minute_time(db: Session, adviser: Adviser, profile: ClientProfile) -> None:
    offered = make_slot(db, adviser, london_datetime(open_day_ahead(14), 14), 60)
    offered.offered_to_client_id = profile.id
    db.add(offered)
    db.flush()


def test_an_offered_time_says_the_length_of_the_appointment_it_would_replace(
    client: TestClient, db: Session
) -> None:
    adviser, _adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Kiran Length")
    make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(open_day_ahead(7), 10), 45)
    )
    _offer_a_60_minute_time(db, adviser, profile)
    sign_in_client(client, db, user)
    box = parse(client.get("/home").text).select_one("#offered-times")
    assert box is not None
    [time] = box.select("li")
    assert time.get_text().endswith("45 minutes"), time.get_text()
    change = parse(client.get(str(box.select("a")[0]["href"])).text).get_text()
    assert "45 minutes" in change and "60 minutes" not in change


def test_with_two_appointments_of_one_length_ahead_that_length_is_said(
    client: TestClient, db: Session
) -> None:
    """Two 45-minute appointments ahead and no request saying which: still 45 (outside-in
    re-check: the home said 60 for a client with more than one appointment booked)."""
    adviser, _adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Macsen Two")
    for days, hour in ((7, 10), (21, 10)):
        make_appointment(
            db, profile, make_slot(db, adviser, london_datetime(open_day_ahead(days), hour), 45)
        )
    _offer_a_60_minute_time(db, adviser, profile)
    sign_in_client(client, db, user)
    box = parse(client.get("/home").text).select_one("#offered-times")
    assert box is not None
    [time] = box.select("ul.govuk-list--bullet li")
    assert time.get_text().endswith("45 minutes"), time.get_text()
