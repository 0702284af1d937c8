"""What the add-to-calendar pages say the calendar will show reads as one plain sentence for
every kind of place: an address, by phone, at home, a place still to arrange, one arranged,
and a course booked with a provider. Never 'at By phone' nor a double full stop."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.activity_models import Activity
from app.appointments.models import AppointmentMode, HelpKind, HelpRequest
from app.core.clock import utcnow
from app.offices.models import Venue, VenueKind
from tests.accounts.world import _weekday_ahead
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_office,
    make_slot,
    sign_in_client,
)
from tests.html import parse

BAD = re.compile(r"\.\s*\.|\bat (By|At|A home)\b|\s\.")


def _shows(client: TestClient, url: str) -> str:
    page = parse(client.get(url).text)
    said = [
        i.get_text(" ") for i in page.select(".govuk-inset-text") if "calendar will" in i.get_text()
    ]
    assert said, url
    return " ".join(said[0].split())


@pytest.mark.parametrize("place", ["venue", "phone", "home", "to-arrange", "arranged"])
def test_the_calendar_sentence_for_every_kind_of_place(
    place: str, client: TestClient, db: Session
) -> None:
    office = make_office(db)
    assert office.id is not None
    venue = Venue(
        office_id=office.id, name="Community Hall", kind=VenueKind.office, postcode="LS1 1AA"
    )
    db.add(venue)
    db.flush()
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    mode = {"phone": AppointmentMode.phone, "home": AppointmentMode.home_visit}.get(
        place, AppointmentMode.in_person
    )
    slot = make_slot(db, adviser, _weekday_ahead(5, 10), mode=mode, venue_id=venue.id)
    appointment = make_appointment(db, profile, slot)
    if place in ("to-arrange", "arranged"):
        db.add(
            HelpRequest(
                appointment_id=appointment.id,  # type: ignore[arg-type]
                kind=HelpKind.home_or_community,
                status="arranged" if place == "arranged" else "asked",
                arranged_note="Library, Park Road." if place == "arranged" else "",
            )
        )
        db.flush()
    sign_in_client(client, db, user)
    shows = _shows(client, f"/appointments/{appointment.id}/add-to-calendar")
    assert shows.startswith("Your calendar will show “Appointment”.")
    assert not BAD.search(shows), shows
    assert shows.count("..") == 0


@pytest.mark.parametrize("where", ["", "Mind, 2 High Street."])
def test_the_calendar_sentence_for_a_booked_course(
    where: str, client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    activity = Activity(
        client_id=profile.id,  # type: ignore[arg-type]
        title="Confidence course",
        starts_at=utcnow() + timedelta(days=3),
        place=where,
    )
    db.add(activity)
    db.flush()
    sign_in_client(client, db, user)
    shows = _shows(client, f"/activities/{activity.id}/add-to-calendar")
    assert not BAD.search(shows), shows
