"""Offering and booking by date and place (#18): every free time that suits the client, however
far ahead, each saying where it is and how long; closed days never; bad input kept, 400."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.models import AppointmentMode
from app.core.clock import london_datetime, london_today
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, ClientProfile, User
from tests.factories import make_adviser, make_client, make_slot, post_form, sign_in_staff
from tests.html import parse, text


def _weekday_in(days: int) -> date:
    """A Tuesday to Thursday about `days` from today, away from any bank holiday season."""
    day = london_today() + timedelta(days=days)
    while (
        day.weekday() not in (1, 2, 3)
        or (day.month, day.day) >= (12, 24)
        or (day.month == 1 and day.day <= 2)
    ):
        day += timedelta(days=1)
    return day


def _venues(db: Session, adviser: Adviser) -> tuple[Venue, Venue, Venue]:
    made = [
        Venue(office_id=adviser.office_id, name="Central Office", kind=VenueKind.office),
        Venue(office_id=adviser.office_id, name="Community Hall", kind=VenueKind.community),
        Venue(office_id=adviser.office_id, name="Phone line", kind=VenueKind.phone),
    ]
    for venue in made:
        db.add(venue)
    db.flush()
    return made[0], made[1], made[2]


def _world(db: Session) -> tuple[Adviser, ClientProfile, Venue, Venue, Venue, date]:
    adviser, _user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    office, hall, phone = _venues(db, adviser)
    day = _weekday_in(21)
    # Thirty soonest times at the office fill every "soonest" list before three weeks ahead.
    soon = [_weekday_in(n) for n in range(1, 12)]
    for n in range(30):
        make_slot(
            db,
            adviser,
            london_datetime(soon[n // 6], 9 + n % 6),
            venue_id=office.id,
            mode=AppointmentMode.in_person,
        )
    return adviser, profile, office, hall, phone, day


def test_a_community_venue_time_three_weeks_ahead_can_be_offered(
    client: TestClient, db: Session
) -> None:
    adviser, profile, _office, hall, phone, day = _world(db)
    far = make_slot(
        db,
        adviser,
        london_datetime(day, 14),
        duration_minutes=45,
        venue_id=hall.id,
        mode=AppointmentMode.in_person,
    )
    by_phone = make_slot(
        db, adviser, london_datetime(day, 15), venue_id=phone.id, mode=AppointmentMode.phone
    )
    sign_in_staff(client, _user_of(db, adviser))
    record = client.get(f"/adviser/clients/{profile.id}").text
    assert "Community Hall, 45 minutes" not in record  # beyond the soonest times
    assert "Central Office, 60 minutes" in record  # every adviser list names place and length
    assert "(by phone)" not in record

    page = client.get(f"/adviser/clients/{profile.id}/times?day={day.isoformat()}&where={hall.id}")
    assert page.status_code == 200
    words = text(page.text)
    assert "Community Hall, 45 minutes" in words
    assert "by phone" not in words.split("Free times from")[1]  # only that place's times
    assert parse(page.text).find("input", {"name": "slots", "value": str(far.id)}) is not None

    phoned = text(
        client.get(f"/adviser/clients/{profile.id}/times?day={day.isoformat()}&where=phone").text
    )
    assert "– by phone, 60 minutes" in phoned and "Community Hall" not in phoned.split("Free")[1]

    offered = post_form(
        client,
        f"/adviser/clients/{profile.id}/times?day={day.isoformat()}&where={hall.id}",
        f"/adviser/clients/{profile.id}/offer",
        {"slots": str(far.id)},
    )
    assert offered.status_code == 303
    db.refresh(far)
    assert far.offered_to_client_id == profile.id
    assert by_phone.offered_to_client_id is None


def _user_of(db: Session, adviser: Adviser) -> User:
    user = db.get(User, adviser.user_id)
    assert user is not None
    return user


def test_next_and_previous_week_are_links_and_days_the_office_is_closed_are_never_offered(
    client: TestClient, db: Session
) -> None:
    adviser, profile, _office, hall, _phone, day = _world(db)
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    make_slot(
        db, adviser, london_datetime(saturday, 10), venue_id=hall.id, mode=AppointmentMode.in_person
    )
    next_week = make_slot(
        db,
        adviser,
        london_datetime(day + timedelta(days=7), 11),
        venue_id=hall.id,
        mode=AppointmentMode.in_person,
    )
    sign_in_staff(client, _user_of(db, adviser))
    page = client.get(f"/adviser/clients/{profile.id}/times?day={day.isoformat()}&where={hall.id}")
    soup = parse(page.text)
    assert "The office is closed on" in text(page.text)
    assert soup.find("input", {"name": "slots"}) is None  # the Saturday time is not offered
    link = soup.find("a", string="Next week")
    assert link is not None
    following = client.get(str(link["href"]))
    assert following.status_code == 200
    assert (
        parse(following.text).find("input", {"name": "slots", "value": str(next_week.id)})
        is not None
    )
    assert parse(following.text).find("a", string="Previous week") is not None


def test_a_date_or_place_that_will_not_do_shows_the_page_again_with_what_was_typed(
    client: TestClient, db: Session
) -> None:
    adviser, profile, _office, _hall, _phone, day = _world(db)
    sign_in_staff(client, _user_of(db, adviser))
    for query, field, kept in (
        ("day=31-02-2027&where=any", "day", 'value="31-02-2027"'),
        (f"day={(london_today() - timedelta(days=3)).isoformat()}&where=any", "day", None),
        (f"day={day.isoformat()}&where=99999", "where", None),
        (f"day={day.isoformat()}&where=<script>", "where", None),
    ):
        page = client.get(f"/adviser/clients/{profile.id}/times?{query}")
        assert page.status_code == 400, query
        summary = parse(page.text).find(class_="govuk-error-summary")
        assert summary is not None and summary.find("a", href=f"#{field}") is not None
        if kept:
            assert kept in page.text
