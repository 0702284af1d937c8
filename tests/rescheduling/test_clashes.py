"""A busy time or preference added after an appointment was booked, that the appointment
breaks (issue #16, item 8): the client is asked kindly whether to change it, the adviser sees
it on the attention list, and both go once it no longer clashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.booking import move_to_slot
from app.appointments.models import Appointment
from app.core.clock import london_datetime, london_today
from app.core.formatting import human_date
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.models import BusyTime
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


def _weekday_ahead(days: int) -> date:
    day = london_today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass
class Booked:
    adviser: Adviser
    adviser_user: User
    profile: ClientProfile
    appointment: Appointment
    day: date


@pytest.fixture
def booked(client: TestClient, db: Session) -> Booked:
    """A signed-in client with an interview at 10:30 in a week or so."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Cara Client")
    day = _weekday_ahead(8)
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(day, 10, 30))
    )
    sign_in_client(client, db, user)
    return Booked(adviser, adviser_user, profile, appointment, day)


def _clash_banners(client: TestClient) -> list[str]:
    page = parse(client.get("/your-times").text)
    return [" ".join(b.get_text(" ").split()) for b in page.select('[id^="clash-"]')]


def _attention(client: TestClient, booked: Booked) -> list[str]:
    client.cookies.clear()
    sign_in_staff(client, booked.adviser_user)
    page = parse(client.get("/adviser").text)
    return [" ".join(li.get_text(" ").split()) for li in page.select("li") if "Cara" in li.text]


@pytest.mark.parametrize(
    ("form", "path"),
    [
        (
            {"repeat": "weekly", "starts": "10:00", "ends": "11:00", "label": "Therapy"},
            "/your-times/busy",
        ),
        ({"repeat": "once", "starts": "10:00", "ends": "10:45", "label": ""}, "/your-times/busy"),
        ({"not_before": "13:00"}, "/your-times/preferences"),
        ({"not_after": "11:00"}, "/your-times/preferences"),
    ],
)
def test_a_new_busy_time_or_preference_the_booking_breaks_is_raised_with_both(
    client: TestClient, db: Session, booked: Booked, form: dict[str, str], path: str
) -> None:
    if "weekday" not in form and form.get("repeat") == "weekly":
        form = {**form, "weekday": str(booked.day.weekday())}
    if form.get("repeat") == "once":
        form = {**form, "on_date": booked.day.isoformat()}
    assert _clash_banners(client) == []
    response = post_form(client, "/your-times", path, form)
    assert response.status_code == 303, response.text

    banners = _clash_banners(client)
    assert banners == [
        f"Important Your appointment on {human_date(booked.day)} is at 10:30am. You have said "
        "that time does not suit you. Would you like to change it? Change this appointment "
        "Your adviser can see this too, so there is nothing else you need to do."
    ]
    page = parse(client.get("/your-times").text)
    link = page.select_one(f"#clash-{booked.appointment.id} a")
    assert link is not None and link["href"] == f"/appointments/{booked.appointment.id}/change"
    assert any("does not suit them" in item for item in _attention(client, booked))


def test_a_busy_time_that_does_not_touch_the_booking_raises_nothing(
    client: TestClient, db: Session, booked: Booked
) -> None:
    form = {
        "repeat": "weekly",
        "weekday": str(booked.day.weekday()),
        "starts": "11:30",  # the interview ends at 11:30: [start, end) does not meet it
        "ends": "13:00",
        "label": "",
    }
    assert post_form(client, "/your-times", "/your-times/busy", form).status_code == 303
    assert _clash_banners(client) == []
    assert not any("does not suit them" in item for item in _attention(client, booked))


def test_the_clash_leaves_both_lists_when_the_time_moves_or_the_busy_time_goes(
    client: TestClient, db: Session, booked: Booked
) -> None:
    assert booked.profile.id is not None
    busy = BusyTime(
        client_id=booked.profile.id,
        label="",
        weekday=booked.day.weekday(),
        starts=time(10),
        ends=time(11),
    )
    db.add(busy)
    db.flush()
    assert len(_clash_banners(client)) == 1
    # Removed by the client: gone at once.
    assert (
        post_form(client, "/your-times", f"/your-times/busy/{busy.id}/remove", {}).status_code
        == 303
    )
    assert _clash_banners(client) == []
    # Back again, then the adviser moves the interview to the afternoon: gone again.
    db.add(
        BusyTime(
            client_id=booked.profile.id,
            label="",
            weekday=busy.weekday,
            starts=busy.starts,
            ends=busy.ends,
        )
    )
    db.flush()
    assert len(_clash_banners(client)) == 1
    afternoon = make_slot(db, booked.adviser, london_datetime(booked.day, 14))
    move_to_slot(
        session=db,
        appointment=booked.appointment,
        slot=afternoon,
        actor_user_id=booked.adviser_user.id,
        actor_role="adviser",
    )
    db.flush()
    assert _clash_banners(client) == []
    assert not any("does not suit them" in item for item in _attention(client, booked))


def test_a_time_that_breaks_the_clients_rules_cannot_be_booked_or_chosen_by_posting_it(
    client: TestClient, db: Session, booked: Booked
) -> None:
    assert booked.profile.id is not None
    db.add(
        BusyTime(
            client_id=booked.profile.id,
            label="",
            weekday=None,
            on_date=booked.day,
            starts=time(15),
            ends=time(16),
        )
    )
    db.flush()
    clashing = make_slot(db, booked.adviser, london_datetime(booked.day, 14, 45))
    # The client posts a time their own busy time rules out: not moved, told kindly.
    page = f"/appointments/{booked.appointment.id}/change"
    response = post_form(client, page, page, {"slot": str(clashing.id)})
    assert response.status_code == 409
    assert "no longer free" in response.text
    db.refresh(booked.appointment)
    assert booked.appointment.starts_at == london_datetime(booked.day, 10, 30)
    # The adviser posts it (it is never listed): refused, with the reason.
    client.cookies.clear()
    sign_in_staff(client, booked.adviser_user)
    record = f"/adviser/clients/{booked.profile.id}"
    response = post_form(
        client, record, f"{record}/book", {"slot": str(clashing.id), "wfi_number": "2"}
    )
    assert done_in(response.headers["location"]) == {"booked": "clash"}
    assert (
        "clashes with a time the client said does not suit them"
        in client.get(response.headers["location"]).text
    )
    db.refresh(clashing)
    assert clashing.appointment_id is None


@pytest.mark.parametrize("field", ["not_before", "not_after"])
def test_a_time_of_day_not_on_the_list_is_refused_not_stored(
    client: TestClient, db: Session, booked: Booked, field: str
) -> None:
    response = post_form(client, "/your-times", "/your-times/preferences", {field: "08:17"})
    assert response.status_code == 400
    assert "Choose a time from the list" in response.text
