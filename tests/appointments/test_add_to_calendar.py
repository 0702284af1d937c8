""" "Add to calendar": the file, Google and Outlook links, and a subscription to the private feed,
each explained; every one as discreet as the calendar file."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.activity_models import Activity
from app.appointments.models import Appointment
from app.core.clock import london_datetime
from app.offices.models import Venue, VenueKind
from app.people.models import ClientProfile, DetailLevel, ReminderSettings
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_office,
    make_slot,
    make_support_person,
    post_form,
    sign_in_client,
)
from tests.html import parse, text


def _booked(client: TestClient, db: Session) -> Appointment:
    office = make_office(db)
    assert office.id is not None
    venue = Venue(
        office_id=office.id, name="Jobcentre Plus Leeds", kind=VenueKind.office, postcode="LS1 1AA"
    )
    db.add(venue)
    db.flush()
    adviser, _ = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser)
    starts = london_datetime(date(2027, 3, 30), 14, 30)  # British Summer Time: 13:30 UTC
    appointment = make_appointment(db, profile, make_slot(db, adviser, starts, venue_id=venue.id))
    sign_in_client(client, db, user)
    return appointment


def _query(page: str, link_id: str) -> dict[str, str]:
    link = parse(page).find("a", id=link_id)
    assert link is not None, link_id
    assert "noreferrer" in str(link.get("rel"))
    return {k: v[0] for k, v in parse_qs(urlparse(str(link["href"])).query).items()}


def test_the_appointment_page_leads_to_every_way_with_a_plain_explanation(
    client: TestClient, db: Session
) -> None:
    appointment = _booked(client, db)
    page = parse(client.get(f"/appointments/{appointment.id}").text)
    assert page.find("a", href=f"/appointments/{appointment.id}/add-to-calendar") is not None

    response = client.get(f"/appointments/{appointment.id}/add-to-calendar")
    assert response.status_code == 200
    page = parse(response.text)
    file_link = page.find("a", id="calendar-file")
    assert (
        file_link is not None
        and file_link["href"] == f"/appointments/{appointment.id}/calendar.ics"
    )
    words = text(response.text)
    for said in (
        "which adds just this one",
        "This opens Google's website",
        "This opens Outlook.com",
        "fetch all your appointments by itself",
    ):
        assert said in words
    assert page.find("form", action="/account/calendar-link") is not None

    ends = appointment.ends_at.strftime("%Y%m%dT%H%M%SZ")
    google = _query(response.text, "google-calendar")
    assert google["action"] == "TEMPLATE"
    assert google["dates"] == f"20270330T133000Z/{ends}"
    outlook = _query(response.text, "outlook-calendar")
    assert outlook["startdt"] == "2027-03-30T13:30:00Z"
    # Discreet, as the calendar file: no adviser's name, never the Jobcentre; the place
    # without its name.
    for query in (google, outlook):
        assert query.get("text", query.get("subject", "")) == "Appointment"
        assert query["location"] == "LS1 1AA"
        assert "jobcentre" not in " ".join(query.values()).lower()
        assert "benefit" not in " ".join(query.values()).lower()
    assert "Jobcentre" not in words  # what the calendar will show is said, and it is discreet


def test_detailed_messages_put_the_venue_in_the_links_too(client: TestClient, db: Session) -> None:
    appointment = _booked(client, db)
    chosen = ReminderSettings(client_id=appointment.client_id, detail=DetailLevel.detailed)
    db.merge(chosen)
    db.flush()
    page = client.get(f"/appointments/{appointment.id}/add-to-calendar").text
    assert _query(page, "google-calendar")["location"] == "Jobcentre Plus Leeds, LS1 1AA"


def test_the_private_link_is_offered_as_a_webcal_subscription(
    client: TestClient, db: Session
) -> None:
    _booked(client, db)
    response = post_form(client, "/account", "/account/calendar-link", {})
    page = parse(response.text)
    code = page.find(id="calendar-link")
    subscribe = page.find("a", id="subscribe-link")
    assert code is not None and subscribe is not None
    https = code.get_text(strip=True)
    assert str(subscribe["href"]) == "webcal://" + https.split("://", 1)[1]
    assert "keeps your appointments up to date by itself" in text(response.text)
    client.cookies.clear()
    feed = client.get(urlparse(https).path)
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text


def test_a_support_person_can_add_it_but_not_make_the_private_link(
    client: TestClient, db: Session
) -> None:
    appointment = _booked(client, db)
    profile = db.get(ClientProfile, appointment.client_id)
    assert profile is not None
    client.cookies.clear()
    supporter = make_support_person(db, profile)
    sign_in_client(client, db, supporter)
    response = client.get(f"/appointments/{appointment.id}/add-to-calendar")
    assert response.status_code == 200
    assert parse(response.text).find("form", action="/account/calendar-link") is None


def test_something_booked_for_you_has_the_same_choices_and_is_discreet(
    client: TestClient, db: Session
) -> None:
    appointment = _booked(client, db)
    activity = Activity(
        client_id=appointment.client_id,
        title="Confidence course",
        provider="Mind in Leeds",
        place="Leeds Central Library",
        starts_at=london_datetime(date(2027, 3, 31), 10),
    )
    db.add(activity)
    db.flush()
    page = parse(client.get(f"/activities/{activity.id}").text)
    assert page.find("a", href=f"/activities/{activity.id}/add-to-calendar") is not None
    response = client.get(f"/activities/{activity.id}/add-to-calendar")
    assert response.status_code == 200
    page = parse(response.text)
    file_link = page.find("a", id="calendar-file")
    assert file_link is not None and file_link["href"] == f"/activities/{activity.id}/calendar.ics"
    google = _query(response.text, "google-calendar")
    assert google["text"] == "Something booked for you" and "Confidence" not in response.text
    assert google["dates"].startswith("20270331T090000Z/")
    shows = "Your calendar will show “Something booked for you”. Where: Leeds Central Library."
    assert shows in text(response.text)
