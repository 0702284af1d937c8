"""Calendar files (RFC 5545): right local times across clock changes, stable UIDs, discreet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse

import icalendar
import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.appointments.booking import cancel, move_to_slot
from app.appointments.ics import CalendarEntry, calendar
from app.appointments.models import Appointment, AppointmentKind, AppointmentStatus
from app.core.clock import frozen_now, london_datetime
from app.offices.models import Venue, VenueKind
from app.people.models import DetailLevel, ReminderSettings
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_office,
    make_slot,
    post_form,
    sign_in_client,
)
from tests.html import parse

DISCREET = ("jobcentre", "benefit")


def _appointment(starts_at: datetime, **fields: Any) -> Appointment:
    return Appointment(
        client_id=1, adviser_id=1, kind=AppointmentKind.wfi, starts_at=starts_at, **fields
    )


def _entry(appointment: Appointment, **fields: str) -> CalendarEntry:
    values = {"summary": "Appointment with Ada", "location": "Room 2", "description": "Hello"}
    return CalendarEntry(appointment=appointment, **{**values, **fields})


def _events(body: str) -> list[icalendar.Component]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def _event(body: str) -> icalendar.Component:
    (event,) = _events(body)
    return event


def _datetime(prop: object) -> datetime:
    """The datetime held by a DTSTART, DTEND or DTSTAMP property."""
    assert isinstance(prop, icalendar.vDDDTypes)
    assert isinstance(prop.dt, datetime)
    return prop.dt


def _int(prop: object) -> int:
    """The number held by an integer property such as SEQUENCE."""
    assert isinstance(prop, icalendar.vInt)
    return int(prop)


# Local times across both clock changes


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 27), 14),  # Friday before the clocks go forward: GMT
        (date(2026, 3, 30), 13),  # Monday after: BST
        (date(2026, 10, 23), 13),  # Friday before the clocks go back: BST
        (date(2026, 10, 26), 14),  # Monday after: GMT
    ],
)
def test_a_230pm_appointment_is_230pm_london_on_both_sides_of_each_clock_change(
    day: date, utc_hour: int
) -> None:
    body = calendar([_entry(_appointment(london_datetime(day, 14, 30)))])
    cal = icalendar.Calendar.from_ical(body)
    event = _event(body)

    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert _datetime(start).replace(tzinfo=None) == datetime(day.year, day.month, day.day, 14, 30)
    assert _datetime(start).astimezone(UTC) == datetime(
        day.year, day.month, day.day, utc_hour, 30, tzinfo=UTC
    )
    end = event["DTEND"]
    assert end.params["TZID"] == "Europe/London"
    assert _datetime(end).replace(tzinfo=None) == datetime(day.year, day.month, day.day, 15, 30)

    # The VTIMEZONE we send must itself give the right offset (a calendar app may use it
    # rather than its own zone database), so build the zone from it alone.
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert isinstance(vtimezone, icalendar.Timezone)
    assert vtimezone["TZID"] == "Europe/London"
    zone = vtimezone.to_tz(lookup_tzid=False)
    local = datetime(day.year, day.month, day.day, 14, 30)
    assert local.replace(tzinfo=zone).astimezone(UTC).hour == utc_hour


def test_the_vtimezone_changes_at_1am_utc_on_the_last_sundays_of_march_and_october() -> None:
    body = calendar([_entry(_appointment(london_datetime(date(2026, 6, 1), 10)))])
    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert isinstance(vtimezone, icalendar.Timezone)
    zone = vtimezone.to_tz(lookup_tzid=False)
    for moment, offset_hours in [
        (datetime(2026, 3, 29, 0, 59), 0),
        (datetime(2026, 3, 29, 2, 0), 1),  # 01:00 GMT becomes 02:00 BST
        (datetime(2026, 10, 25, 0, 59), 1),
        (datetime(2026, 10, 25, 2, 0), 0),  # 02:00 BST becomes 01:00 GMT
        (datetime(2027, 3, 28, 2, 30), 1),
        (datetime(2027, 10, 31, 2, 30), 0),
    ]:
        offset = moment.replace(tzinfo=zone).utcoffset()
        assert offset is not None
        assert offset.total_seconds() == offset_hours * 3600, moment


# Identity, changes and cancellation


def test_the_uid_stays_and_the_sequence_goes_up_when_an_appointment_moves(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    before = make_slot(db, adviser, london_datetime(date(2026, 3, 27), 14, 30))
    after = make_slot(db, adviser, london_datetime(date(2026, 3, 30), 14, 30))
    appointment = make_appointment(db, profile, before)
    first = _event(calendar([_entry(appointment)]))

    move_to_slot(
        session=db, appointment=appointment, slot=after, actor_user_id=None, actor_role="client"
    )
    second = _event(calendar([_entry(appointment)]))

    assert str(second["UID"]) == str(first["UID"])
    assert str(first["UID"]).startswith(appointment.uid)
    assert _int(second["SEQUENCE"]) == _int(first["SEQUENCE"]) + 1
    # Across the clock change the local time is still 2:30pm; the day is the new one.
    assert _datetime(second["DTSTART"]).replace(tzinfo=None) == datetime(2026, 3, 30, 14, 30)
    assert second["STATUS"] == "CONFIRMED"


def test_each_appointment_has_its_own_uid() -> None:
    one = _appointment(london_datetime(date(2026, 6, 1), 10))
    two = _appointment(london_datetime(date(2026, 6, 1), 10))
    uids = {str(e["UID"]) for e in _events(calendar([_entry(one), _entry(two)]))}
    assert len(uids) == 2


def test_a_cancelled_appointment_is_sent_as_a_cancellation(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(date(2026, 10, 26), 14, 30))
    )
    booked = icalendar.Calendar.from_ical(calendar([_entry(appointment)]))
    assert booked["METHOD"] == "PUBLISH"

    cancel(session=db, appointment=appointment, actor_user_id=None, actor_role="adviser")
    body = calendar([_entry(appointment)])

    cal = icalendar.Calendar.from_ical(body)
    event = _event(body)
    assert cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert _int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == str(booked.walk("VEVENT")[0]["UID"])


def test_a_feed_keeps_publish_but_marks_the_cancelled_event() -> None:
    live = _appointment(london_datetime(date(2026, 6, 1), 10))
    gone = _appointment(london_datetime(date(2026, 6, 2), 10), status=AppointmentStatus.cancelled)
    body = calendar([_entry(live), _entry(gone)], method="PUBLISH")
    assert icalendar.Calendar.from_ical(body)["METHOD"] == "PUBLISH"
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in _events(body)}
    assert statuses == {
        f"{live.uid}@mypathways": "CONFIRMED",
        f"{gone.uid}@mypathways": "CANCELLED",
    }


def test_the_stamp_is_now_in_utc() -> None:
    moment = datetime(2026, 7, 1, 9, 15, tzinfo=UTC)
    with frozen_now(moment):
        body = calendar([_entry(_appointment(london_datetime(date(2026, 7, 2), 10)))])
    assert "DTSTAMP:20260701T091500Z\r\n" in body
    assert _datetime(_event(body)["DTSTAMP"]) == moment


# The text format: CRLF, folding at 75 octets, escaping


def test_lines_end_in_crlf_and_are_at_most_75_octets() -> None:
    long_welsh = "Ystafell gyfarfod ŵ ŷ – ‘tawel’ 😊, " * 12
    body = calendar(
        [
            _entry(
                _appointment(london_datetime(date(2026, 6, 1), 10)),
                location=long_welsh,
                description=long_welsh,
            )
        ]
    )
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "\r" not in body.replace("\r\n", "")
    lines = body.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines), "a long line should have been folded"
    # Unfolded again, nothing was lost or split.
    event = _event(body)
    assert str(event["LOCATION"]) == long_welsh
    assert str(event["DESCRIPTION"]) == long_welsh


def test_escaped_text_round_trips_through_a_calendar_reader() -> None:
    tricky = "Room 2, 1 High St; side door\\ramp\nLS1 1AA"
    body = calendar([_entry(_appointment(london_datetime(date(2026, 6, 1), 10)), location=tricky)])
    assert str(_event(body)["LOCATION"]) == tricky


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
@example(text="Unit \\North, 2\\N; \\n \\,")  # icalendar 7.3 alone reads "\\N" as a line break
def test_any_text_a_person_can_type_round_trips(text: str) -> None:
    """Any text a person or an administrator can type (our forms refuse control characters)
    is escaped so a calendar reader gets it back exactly."""
    appointment = _appointment(london_datetime(date(2026, 6, 1), 10))
    body = calendar([_entry(appointment, location=text, summary=text, description=text)])
    event = _event(body)
    assert (str(event["LOCATION"]), str(event["SUMMARY"])) == (text, text)


# Through the app: one appointment's file, and the private feed


def _signed_in_client_with_appointments(
    client: TestClient, db: Session
) -> tuple[list[Appointment], Appointment]:
    """Three appointments for the signed-in client (one cancelled) and one for someone else."""
    office = make_office(db)
    assert office.id is not None
    venue = Venue(
        office_id=office.id, name="Leeds Library", kind=VenueKind.community, postcode="LS1 1AA"
    )
    db.add(venue)
    db.flush()
    adviser, _ = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser)
    other, _ = make_client(db, adviser, name="Someone Else")
    mine = [
        make_appointment(
            db, profile, make_slot(db, adviser, london_datetime(day, 14, 30), venue_id=venue.id)
        )
        for day in (date(2026, 3, 27), date(2026, 3, 30), date(2026, 10, 26))
    ]
    cancel(session=db, appointment=mine[2], actor_user_id=None, actor_role="adviser")
    theirs = make_appointment(
        db, other, make_slot(db, adviser, london_datetime(date(2026, 3, 30), 9))
    )
    sign_in_client(client, db, user)
    return mine, theirs


def _assert_discreet(event: icalendar.Component) -> None:
    for field in ("SUMMARY", "DESCRIPTION"):
        value = str(event[field]).lower()
        for word in DISCREET:
            assert word not in value, (field, value)


def test_the_appointment_file_downloads_and_is_discreet(client: TestClient, db: Session) -> None:
    mine, _ = _signed_in_client_with_appointments(client, db)

    response = client.get(f"/appointments/{mine[1].id}/calendar.ics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    event = _event(response.text)
    assert str(event["UID"]) == f"{mine[1].uid}@mypathways"
    assert _datetime(event["DTSTART"]).replace(tzinfo=None) == datetime(2026, 3, 30, 14, 30)
    # Discreet by default: no adviser's name, and the place without the venue's name (it
    # could say "Jobcentre"); both only if the client chose detailed messages.
    assert str(event["SUMMARY"]) == "Appointment"
    assert str(event["LOCATION"]) == "LS1 1AA"
    _assert_discreet(event)
    profile_id = mine[1].client_id
    chosen = db.get(ReminderSettings, profile_id) or ReminderSettings(client_id=profile_id)
    chosen.detail = DetailLevel.detailed
    db.add(chosen)
    db.flush()
    detailed = _event(client.get(f"/appointments/{mine[1].id}/calendar.ics").text)
    assert str(detailed["LOCATION"]) == "Leeds Library, LS1 1AA"
    assert "Ada Adviser" in str(detailed["SUMMARY"])


def _make_link(client: TestClient) -> str:
    response = post_form(client, "/account", "/account/calendar-link", {})
    assert response.status_code == 200, response.text
    code = parse(response.text).find(id="calendar-link")
    assert code is not None
    link = code.get_text(strip=True)
    path = urlparse(link).path
    assert path.startswith("/calendar/") and path.endswith(".ics")
    return path


def test_the_private_feed_has_all_my_appointments_and_no_one_elses(
    client: TestClient, db: Session
) -> None:
    mine, theirs = _signed_in_client_with_appointments(client, db)
    path = _make_link(client)

    client.cookies.clear()  # a calendar app has no session: the link alone is the key
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.text)
    assert cal["METHOD"] == "PUBLISH"
    assert len(cal.walk("VTIMEZONE")) == 1
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{a.uid}@mypathways" for a in mine}
    assert f"{theirs.uid}@mypathways" not in events
    assert str(events[f"{mine[2].uid}@mypathways"]["STATUS"]) == "CANCELLED"
    for appointment in mine:
        start = _datetime(events[f"{appointment.uid}@mypathways"]["DTSTART"])
        assert start.replace(tzinfo=None).time().isoformat() == "14:30:00"
        assert start.astimezone(UTC) == appointment.starts_at
    for event in events.values():
        _assert_discreet(event)


def test_a_new_link_stops_the_old_one_working(client: TestClient, db: Session) -> None:
    _signed_in_client_with_appointments(client, db)
    old = _make_link(client)
    assert client.get(old).status_code == 200

    new = _make_link(client)

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_made_up_feed_token_is_not_found(client: TestClient) -> None:
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


@pytest.mark.parametrize(
    ("starts_at", "minutes"),
    [
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), 60),  # 01:30 BST to 01:30 GMT
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), 30),  # 01:30 GMT, the second 01:30
        (datetime(2027, 10, 31, 0, 15, tzinfo=UTC), 30),  # 01:15 BST to 01:45 BST (first)
    ],
)
def test_an_event_in_the_hour_the_clocks_go_back_keeps_its_length_and_moment(
    starts_at: datetime, minutes: int
) -> None:
    """A London 01:30 that happens twice means the first in a calendar file: written as
    wall-clock times, 00:30Z to 01:30Z came out as 01:30 to 01:30, an event of no length
    (outside-in pass). Whatever is written, the file must give back the same two moments."""
    appointment = _appointment(starts_at, duration_minutes=minutes)
    event = _event(calendar([_entry(appointment)]))
    start, end = _datetime(event["DTSTART"]), _datetime(event["DTEND"])
    assert start.astimezone(UTC) == starts_at
    assert (end - start).total_seconds() == minutes * 60
    assert end.astimezone(UTC) == appointment.ends_at.astimezone(UTC)
