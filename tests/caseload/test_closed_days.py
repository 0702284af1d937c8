"""No time is offered, booked or suggested on a day the office is closed (#16 item 7): its
opening weekdays, less the bank holidays of its nation (the `holidays` package)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.availability import publish
from app.appointments.models import AppointmentMode, AvailabilitySlot
from app.appointments.wfi import proposed_dates
from app.core.clock import frozen_now, london_datetime, london_today, to_london
from app.offices.calendar import bank_holiday, is_open, next_open_day
from app.offices.models import Office
from app.rescheduling.service import bookable_slots
from tests.factories import make_adviser, make_client, make_slot, post_form, sign_in_staff


def _office(nation: str = "england", open_weekdays: str = "01234") -> Office:
    return Office(
        name="O", address="A", postcode="P", phone="0", nation=nation, open_weekdays=open_weekdays
    )


@pytest.mark.parametrize(
    ("nation", "day", "open_there"),
    [
        ("england", date(2026, 12, 25), False),  # Christmas Day
        ("england", date(2026, 12, 28), False),  # Boxing Day, substitute (26th is a Saturday)
        ("england", date(2026, 11, 30), True),  # St Andrew's Day is Scotland's
        ("scotland", date(2026, 11, 30), False),
        ("scotland", date(2027, 1, 4), False),  # 2 January, substitute
        ("england", date(2027, 1, 4), True),
        ("northern-ireland", date(2027, 3, 17), False),  # St Patrick's Day
        ("wales", date(2027, 3, 17), True),
        ("england", date(2026, 12, 5), False),  # a Saturday
    ],
)
def test_each_nation_keeps_its_own_bank_holidays(nation: str, day: date, open_there: bool) -> None:
    assert is_open(_office(nation), day) is open_there


def test_an_office_open_on_saturdays_is_open_on_saturdays() -> None:
    assert is_open(_office(open_weekdays="012345"), date(2026, 12, 5))
    assert bank_holiday(_office(), date(2026, 12, 25)) == "Christmas Day"
    assert next_open_day(_office(), date(2026, 12, 24)) == date(2026, 12, 24)
    assert next_open_day(_office(), date(2026, 12, 25)) == date(2026, 12, 29)


def test_no_time_on_a_bank_holiday_is_offered_or_booked(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    eve = make_slot(db, adviser, london_datetime(date(2026, 12, 24), 10))
    make_slot(db, adviser, london_datetime(date(2026, 12, 25), 10))
    make_slot(db, adviser, london_datetime(date(2026, 12, 26), 10))  # a Saturday
    with frozen_now(london_datetime(date(2026, 12, 1), 9)):
        offered = bookable_slots(session=db, profile=profile, adviser_id=adviser.id)  # type: ignore[arg-type]
    assert [s.id for s in offered] == [eve.id]


def test_interview_dates_are_never_suggested_on_a_closed_day() -> None:
    office = _office()
    # A claim on 30 October 2026: interview 1 would fall on Christmas Day.
    dates = proposed_dates(date(2026, 10, 30), lambda day: next_open_day(office, day))
    assert date(2026, 12, 25) not in dates
    assert all(is_open(office, day) for day in dates)


def test_publishing_free_times_leaves_out_the_closed_weeks(db: Session) -> None:
    adviser, _ = make_adviser(db)
    office = _office()
    slots = publish(
        session=db,
        adviser_id=adviser.id,  # type: ignore[arg-type]
        day=date(2026, 12, 18),
        hour=10,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
        repeat_weeks=3,
        open_on=lambda day: is_open(office, day),
    )
    days = [to_london(s.starts_at).date() for s in slots]
    assert days == [date(2026, 12, 18)]  # not Christmas Day, not New Year's Day


def test_the_adviser_cannot_publish_a_time_on_christmas_day(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    venue_id = _venue(db, adviser.office_id)
    today = london_today()
    christmas = date(today.year, 12, 25)
    christmas = christmas if christmas > today else date(today.year + 1, 12, 25)
    form = {"day": christmas.isoformat(), "starts": "10:00", "duration": "60"}
    form["venue_id"] = venue_id
    page = post_form(client, "/adviser/availability", "/adviser/availability", form)
    assert page.status_code == 400
    assert "The office is closed that day (Christmas Day)" in page.text
    assert db.exec(select(AvailabilitySlot)).first() is None


def _venue(db: Session, office_id: int) -> str:
    from app.offices.models import Venue, VenueKind

    venue = Venue(office_id=office_id, name="Office", kind=VenueKind.office)
    db.add(venue)
    db.flush()
    return str(venue.id)


# Times that do not exist, or happen twice (#16 item 6): the adviser's form refuses the first
# and asks which one for the second, for an office that opens on Sundays.


def _next_last_sunday(month: int) -> date:
    """The next last Sunday of `month` (a clock change) from today, within a year."""
    today = london_today()
    for year in (today.year, today.year + 1):
        day = date(year, month, 31)
        while day.weekday() != 6:
            day = date(year, month, day.day - 1)
        if day > today:
            return day
    raise AssertionError("no clock change ahead")


def test_a_time_the_clocks_skip_is_refused_and_one_they_repeat_is_asked(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    office = db.get(Office, adviser.office_id)
    assert office is not None
    office.open_weekdays = "0123456"
    db.add(office)
    db.flush()
    sign_in_staff(client, adviser_user)
    page = "/adviser/availability"
    form = {"starts": "01:30", "duration": "30", "venue_id": _venue(db, adviser.office_id)}
    spring, autumn = _next_last_sunday(3), _next_last_sunday(10)
    refused = post_form(client, page, page, {**form, "day": spring.isoformat()})
    assert refused.status_code == 400
    assert "There is no 01:30 that day: the clocks go forward an hour" in refused.text
    asked = post_form(client, page, page, {**form, "day": autumn.isoformat()})
    assert asked.status_code == 400
    assert "01:30 happens twice that day" in asked.text and 'id="clock"' in asked.text
    assert db.exec(select(AvailabilitySlot)).first() is None
    for choice in ("first", "second"):
        chosen = post_form(client, page, page, {**form, "day": autumn.isoformat(), "clock": choice})
        assert chosen.status_code == 303
    starts = sorted(s.starts_at for s in db.exec(select(AvailabilitySlot)).all())
    assert [to_london(s).strftime("%H:%M %Z") for s in starts] == ["01:30 BST", "01:30 GMT"]


def test_the_client_record_suggests_no_interview_date_on_a_weekend_or_bank_holiday(
    client: TestClient, db: Session
) -> None:
    from app.core.formatting import human_date
    from tests.html import parse

    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    # A claim on Saturday 3 October 2026: eight weeks on, and every four weeks after, is a
    # Saturday; each suggestion moves to the office's next open day.
    profile.claim_date = date(2026, 10, 3)
    db.add(profile)
    db.flush()
    sign_in_staff(client, adviser_user)
    page = client.get(f"/adviser/clients/{profile.id}").text
    suggested = next(
        p.get_text(" ") for p in parse(page).find_all("p") if "Suggested interview dates" in p.text
    )
    raw = proposed_dates(date(2026, 10, 3))
    assert all(day.weekday() == 5 for day in raw)
    for day in raw:
        assert human_date(day) not in suggested
    office = db.get(Office, adviser.office_id)
    assert office is not None
    moved = proposed_dates(date(2026, 10, 3), lambda day: next_open_day(office, day))
    for day in moved:
        assert human_date(day) in suggested
