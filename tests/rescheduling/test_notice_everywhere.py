"""One notice rule for every list of times (outside-in #2: the adviser's lists showed times
less than 24 hours away, which "Offer these times" then dropped without a word).

policy.MIN_NOTICE (24 hours) applies to every list of times offered or booked, client and
adviser side (rescheduling.service.suitable_slots), and to every check of one chosen: a time
offered days ago that is now less than a day away is no longer shown or booked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import frozen_now, london_datetime
from tests.factories import (
    done_in,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse

NOW = london_datetime(date(2026, 6, 1), 9)  # Monday 1 June 2026, 9am (BST)
TOO_SOON = london_datetime(date(2026, 6, 2), 8)  # 23 hours away
IN_TIME = london_datetime(date(2026, 6, 2), 10)  # 25 hours away
BOOKED = london_datetime(date(2026, 6, 10), 14)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


def _ids(html: str, name: str) -> set[int]:
    page = parse(html)
    values = [i.get("value") for i in page.select(f"input[name={name}]")]
    values += [o.get("value") for o in page.select(f"select[name={name}] option")]
    return {int(str(v)) for v in values if v}


def test_no_adviser_list_shows_a_time_less_than_a_day_away(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser)
    appointment = make_appointment(db, profile, make_slot(db, adviser, BOOKED))
    soon, later = make_slot(db, adviser, TOO_SOON), make_slot(db, adviser, IN_TIME)
    sign_in_staff(client, adviser_user)
    record = client.get(f"/adviser/clients/{profile.id}").text
    assert later.id in _ids(record, "slot") and later.id in _ids(record, "slots")
    assert soon.id not in _ids(record, "slot") | _ids(record, "slots")
    finder = client.get(f"/adviser/clients/{profile.id}/times?day=2026-06-01&where=any").text
    assert later.id in _ids(finder, "slot") and soon.id not in _ids(finder, "slot")
    change = client.get(
        f"/adviser/clients/{profile.id}/appointments/{appointment.id}/change"
        "?day=2026-06-01&where=any"
    ).text
    assert later.id in _ids(change, "slot") and soon.id not in _ids(change, "slot")


def test_the_adviser_cannot_move_or_book_into_a_time_less_than_a_day_away(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser)
    appointment = make_appointment(db, profile, make_slot(db, adviser, BOOKED))
    soon = make_slot(db, adviser, TOO_SOON)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    base = f"{record}/appointments/{appointment.id}/change"
    seen = str(appointment.sequence)
    moved = post_form(client, record, base, {"slot": str(soon.id), "seen": seen})
    assert moved.status_code == 409
    db.refresh(appointment)
    assert appointment.starts_at == BOOKED
    booked = post_form(client, record, f"{record}/book", {"slot": str(soon.id)})
    assert done_in(booked.headers["location"]) == {"booked": "soon"}
    db.refresh(soon)
    assert soon.appointment_id is None


def test_a_time_offered_that_is_now_too_close_is_not_shown_to_the_client(
    client: TestClient, db: Session
) -> None:
    adviser, _adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    appointment = make_appointment(db, profile, make_slot(db, adviser, BOOKED))
    # Offered last week; now 23 hours away.
    soon = make_slot(db, adviser, TOO_SOON, offered_to_client_id=profile.id)
    sign_in_client(client, db, user)
    assert soon.id not in _ids(client.get("/home").text, "slot")
    assert soon.id not in _ids(client.get(f"/appointments/{appointment.id}/change").text, "slot")
