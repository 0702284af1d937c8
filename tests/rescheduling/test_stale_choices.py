"""A client's choice decided on an old page (yesterday's list, a phone's offline queue, a typed
address) is judged afresh: a time gone by, too close, or not theirs is never requested or
booked ("That time has gone"); "Your new time" is said only for a real, recent move; "not well
enough" is never lost; a slot id is read only in its one spelling."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select
from starlette.datastructures import FormData

from app.appointments.models import Appointment, AppointmentStatus
from app.core.clock import frozen_now, london_datetime
from app.core.forms import parse_form
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.forms import ChangeForm, NotWellEnoughForm
from app.rescheduling.models import RequestKind, RequestStatus, RescheduleRequest
from tests.factories import (
    csrf_from,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import heading, parse, text

# Monday 1 June 2026, 9am in London (BST).
NOW = london_datetime(date(2026, 6, 1), 9, 0)
WEDNESDAY_2PM = london_datetime(date(2026, 6, 10), 14)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


@dataclass
class Setup:
    adviser: Adviser
    adviser_user: User
    profile: ClientProfile
    user: User
    appointment: Appointment


def _set_up(client: TestClient, db: Session) -> Setup:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Tomos Time")
    appointment = make_appointment(db, profile, make_slot(db, adviser, WEDNESDAY_2PM))
    sign_in_client(client, db, user, keep=True)  # still signed in days later
    return Setup(adviser, adviser_user, profile, user, appointment)


def _choose(client: TestClient, setup: Setup, slot: str, **more: str) -> Response:
    page = f"/appointments/{setup.appointment.id}/change"
    return post_form(client, page, page, {"slot": slot, **more})


def _nothing_changed(db: Session, setup: Setup) -> None:
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == WEDNESDAY_2PM
    assert db.exec(select(RescheduleRequest)).all() == []


# M3: a time already gone


@pytest.mark.parametrize(
    "starts",
    [
        london_datetime(date(2026, 5, 29), 10),  # last Friday
        london_datetime(date(2026, 6, 1), 8),  # an hour ago
        london_datetime(date(2026, 6, 1), 15),  # this afternoon: closer than the list offers
    ],
)
def test_a_time_gone_or_too_close_is_never_requested(
    starts: object, client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    gone = make_slot(db, setup.adviser, starts)  # type: ignore[arg-type]
    response = _choose(client, setup, str(gone.id))
    assert response.status_code == 409
    assert heading(response.text) == "Choose a new time"
    gone_box = parse(response.text).find(id="gone")
    assert gone_box is not None and "That time has gone" in gone_box.get_text()
    _nothing_changed(db, setup)


def test_a_past_time_at_another_place_is_gone_even_with_the_confirm_form(
    client: TestClient, db: Session
) -> None:
    """The confirm page's "yes" is no way round it: the second post is judged afresh too."""
    setup = _set_up(client, db)
    assert setup.adviser.office_id is not None
    hall = Venue(office_id=setup.adviser.office_id, name="Hall", kind=VenueKind.community)
    db.add(hall)
    db.flush()
    elsewhere = make_slot(
        db, setup.adviser, london_datetime(date(2026, 6, 4), 11), venue_id=hall.id
    )
    asked = _choose(client, setup, str(elsewhere.id))
    assert heading(asked.text) == "This is at a different place"
    form = parse(asked.text).find("form", attrs={"method": "post"})
    assert form is not None
    data = {
        str(i["name"]): str(i.get("value", ""))
        for i in form.find_all("input")
        if i.has_attr("name")
    }
    # The confirm page is sent a week later, from the phone's offline queue.
    with frozen_now(london_datetime(date(2026, 6, 8), 9)):
        response = client.post(
            f"/appointments/{setup.appointment.id}/change", data=data, follow_redirects=False
        )
    assert response.status_code == 409, response.headers.get("location")
    assert "That time has gone" in text(response.text)
    _nothing_changed(db, setup)


def test_a_time_kept_for_another_client_is_gone(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    other, _ = make_client(db, setup.adviser, name="Other Client")
    kept = make_slot(
        db, setup.adviser, london_datetime(date(2026, 6, 4), 11), offered_to_client_id=other.id
    )
    response = _choose(client, setup, str(kept.id))
    assert response.status_code == 409
    _nothing_changed(db, setup)


def test_a_request_whose_time_passes_is_not_booked_in_the_past(
    client: TestClient, db: Session
) -> None:
    """The whole journey of the finding: asked for on Monday, answered on Friday."""
    setup = _set_up(client, db)
    assert setup.appointment.id is not None and setup.profile.id is not None
    thursday = make_slot(db, setup.adviser, london_datetime(date(2026, 6, 4), 15))
    db.add(
        RescheduleRequest(
            appointment_id=setup.appointment.id,
            client_id=setup.profile.id,
            kind=RequestKind.change,
            wanted_slot_id=thursday.id,
        )
    )
    db.flush()
    with frozen_now(london_datetime(date(2026, 6, 5), 9)):
        sign_in_staff(client, setup.adviser_user)
        record = f"/adviser/clients/{setup.profile.id}"
        request = db.exec(select(RescheduleRequest)).one()
        response = post_form(
            client, record, f"/adviser/requests/{request.id}", {"answer": "accept"}
        )
    assert response.status_code == 409
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == WEDNESDAY_2PM
    db.refresh(request)
    assert request.status == RequestStatus.open


# M6: "Your new time" only for a real, recent move


@pytest.mark.parametrize("query", ["", "?outcome=confirmed", "?outcome=junk", "?outcome="])
def test_the_changed_page_for_an_appointment_that_never_moved_goes_to_the_appointment(
    query: str, client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    url = f"/appointments/{setup.appointment.id}/changed{query}"
    response = client.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/appointments/{setup.appointment.id}"
    assert "You do not need to do anything else" not in client.get(url).text


def test_your_new_time_is_said_for_an_hour_after_a_move(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    tuesday = make_slot(db, setup.adviser, london_datetime(date(2026, 6, 2), 15))
    moved = _choose(client, setup, str(tuesday.id))
    assert moved.status_code == 303
    page = client.get(moved.headers["location"])
    assert heading(page.text) == "Your new time"
    with frozen_now(NOW + timedelta(hours=2)):
        later = client.get(moved.headers["location"], follow_redirects=False)
    assert later.status_code == 303


def test_after_the_adviser_answers_otherwise_the_changed_page_says_neither(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    assert setup.appointment.id is not None and setup.profile.id is not None
    request = RescheduleRequest(
        appointment_id=setup.appointment.id,
        client_id=setup.profile.id,
        kind=RequestKind.change,
        wanted_slot_id=make_slot(db, setup.adviser, london_datetime(date(2026, 6, 4), 15)).id,
    )
    db.add(request)
    db.flush()
    url = f"/appointments/{setup.appointment.id}/changed?outcome=requested"
    assert heading(client.get(url).text) == "We have asked your adviser"
    request.status = RequestStatus.call_arranged  # the adviser arranged a call instead
    db.add(request)
    db.flush()
    response = client.get(url, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(url).text
    assert "Your new time" not in page and "We have asked" not in page


# L4: "not well enough" is never lost


@pytest.mark.parametrize("state", ["attended", "cancelled", "another client's"])
def test_not_well_enough_about_an_appointment_that_cannot_take_it_is_kept_as_general(
    state: str, client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    named = setup.appointment
    if state == "another client's":
        other, _ = make_client(db, setup.adviser, name="Other Client")
        named = make_appointment(
            db, other, make_slot(db, setup.adviser, london_datetime(date(2026, 6, 11), 10))
        )
    else:
        named.status = AppointmentStatus(state)
        db.add(named)
        db.flush()
    token = csrf_from(client.get("/home").text)
    response = client.post(
        "/not-well-enough",
        data={"appointment_id": str(named.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/not-well-enough/thank-you"
    said = db.exec(select(RescheduleRequest)).one()
    assert said.kind == RequestKind.not_well
    assert (said.client_id, said.appointment_id) == (setup.profile.id, None)
    db.refresh(named)
    assert named.status == (AppointmentStatus.booked if state == "another client's" else state)


# L8: one spelling of an id


@pytest.mark.parametrize("spelling", ["{n}.0", "0{n}", "+{n}", "1_85", " {n}", "{n}e0"])
def test_a_slot_id_is_read_only_in_its_one_spelling(
    spelling: str, client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    tuesday = make_slot(db, setup.adviser, london_datetime(date(2026, 6, 2), 15))
    assert tuesday.id is not None
    digits = str(tuesday.id)
    underscored = digits[0] + "_" + digits[1:] if len(digits) > 1 else "0_" + digits
    odd = underscored if spelling == "1_85" else spelling.format(n=digits)
    response = _choose(client, setup, odd)
    assert response.status_code == 400, odd
    _nothing_changed(db, setup)
    assert _choose(client, setup, str(tuesday.id)).status_code == 303


@pytest.mark.parametrize("odd", ["185.0", "0185", "+185", "1_85", "１８５", "185 "])
def test_form_ids_take_only_the_canonical_spelling(odd: str) -> None:
    assert parse_form(ChangeForm, FormData([("slot", odd)])).form is None
    assert parse_form(NotWellEnoughForm, FormData([("appointment_id", odd)])).form is None
    assert parse_form(ChangeForm, FormData([("slot", "185")])).valid().slot == 185
