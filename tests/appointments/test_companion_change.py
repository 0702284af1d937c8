"""A companion's new name is never silently dropped: asking again with another name saves it
on the appointment (asked again if it was arranged for the old one), the adviser sees the new
name, and a form that changes nothing says so plainly instead of "we have told your adviser"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.models import HelpRequest
from app.core.clock import london_datetime, london_today
from tests.factories import (
    done_in,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import text


@pytest.mark.parametrize("who", ["client", "client-only-this-time", "supporter"])
@pytest.mark.parametrize("was", ["asked", "arranged"])
def test_a_new_companion_name_is_saved_and_shown_to_the_adviser(
    who: str, was: str, client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Nia Needs")
    starts = london_datetime(london_today() + timedelta(days=3), 14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, starts))
    person = user
    if who == "supporter":
        person = make_support_person(db, profile, can_ask=True)
    sign_in_client(client, db, person)
    url = f"/appointments/{appointment.id}"
    extra = {"only_this_time": "yes"} if who == "client-only-this-time" else {}
    first = post_form(
        client, url, f"{url}/help", {"kinds": ["companion"], "companion_name": "Ffion", **extra}
    )
    assert done_in(first.headers["location"]) == {"sent": "help"}
    if was == "arranged":
        row = db.exec(select(HelpRequest).where(HelpRequest.appointment_id == appointment.id)).one()
        row.status, row.arranged_note = "arranged", "Noted"
        db.add(row)
        db.flush()

    again = post_form(
        client, url, f"{url}/help", {"kinds": ["companion"], "companion_name": "Rhys", **extra}
    )
    assert done_in(again.headers["location"]) == {"sent": "help"}
    db.expire_all()
    row = db.exec(select(HelpRequest).where(HelpRequest.appointment_id == appointment.id)).one()
    assert (row.detail, row.status) == ("Rhys", "asked")

    same = post_form(
        client, url, f"{url}/help", {"kinds": ["companion"], "companion_name": "Rhys", **extra}
    )
    assert done_in(same.headers["location"]) == {"sent": "help-unchanged"}
    page = text(client.get(same.headers["location"]).text)
    assert "Nothing has changed" in page and "We have told your adviser" not in page

    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    record = text(client.get(f"/adviser/clients/{profile.id}").text)
    assert "Rhys" in record and "Ffion" not in record
