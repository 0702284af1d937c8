"""A home or community place, asked for and arranged, is where the client goes: every page,
calendar, time list and message says it, never the Jobcentre in the adviser's diary; a new
time sends the place back to the adviser to arrange, and the client is told when it is
(#17 outside-in, round 2: "moving an appointment silently drops the place")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.models import (
    Appointment,
    AppointmentMode,
    AvailabilitySlot,
    HelpKind,
    HelpRequest,
)
from app.appointments.needs import keep_need
from app.core.clock import london_datetime, london_today, utcnow
from app.delivery.composing import Compose
from app.delivery.models import Notification
from app.offices.models import Venue, VenueKind
from app.people.models import ClientProfile, DetailLevel, ReminderSettings, User
from app.reminders.at_send import compose_appointment_message
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_office,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse, text

LIBRARY = "Riverside Library, quiet room, 2 High Street"


def _day(n: int) -> date:
    day = london_today() + timedelta(days=n)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass
class World:
    adviser_user: User
    profile: ClientProfile
    user: User
    appointment: Appointment
    later: AvailabilitySlot
    phone: AvailabilitySlot


def _setup(client: TestClient, db: Session) -> World:
    office = make_office(db)
    assert office.id is not None
    jobcentre = Venue(office_id=office.id, name="Riverside Jobcentre Plus", kind=VenueKind.office)
    db.add(jobcentre)
    db.flush()
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Olwen Own")
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.home_or_community, detail=None)
    appointment = make_appointment(
        db,
        profile,
        make_slot(db, adviser, london_datetime(_day(5), 11), venue_id=jobcentre.id),
    )
    later = make_slot(db, adviser, london_datetime(_day(12), 14), venue_id=jobcentre.id)
    phone = make_slot(db, adviser, london_datetime(_day(13), 14), mode=AppointmentMode.phone)
    return World(adviser_user, profile, user, appointment, later, phone)


def _arrange(client: TestClient, db: Session, w: World) -> None:
    adviser_user, profile, appointment = w.adviser_user, w.profile, w.appointment
    place = db.exec(
        select(HelpRequest).where(
            HelpRequest.appointment_id == appointment.id,
            HelpRequest.kind == HelpKind.home_or_community,
        )
    ).one()
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    response = post_form(
        client,
        record,
        f"{record}/help/{place.id}",
        {"answer": "arranged", "arranged_note": LIBRARY},
    )
    assert response.status_code == 303


def test_asked_not_arranged_is_never_shown_as_the_jobcentre(
    client: TestClient, db: Session
) -> None:
    w = _setup(client, db)
    user, appointment = w.user, w.appointment
    sign_in_client(client, db, user)
    for page in ("/home", f"/appointments/{appointment.id}"):
        words = text(client.get(page).text)
        assert "Riverside Jobcentre Plus" not in words, page
        assert "Your adviser will arrange it and tell you where." in words, page


def test_the_arranged_place_is_said_everywhere_and_the_client_is_told(
    client: TestClient, db: Session
) -> None:
    w = _setup(client, db)
    _arrange(client, db, w)
    profile, user, appointment = w.profile, w.user, w.appointment
    told = db.exec(select(Notification).where(Notification.user_id == user.id)).all()
    assert [n.body for n in told if "arranged where you will meet" in n.body]
    assert all("Library" not in n.body for n in told)  # the place is not on a lock screen

    client.cookies.clear()
    sign_in_client(client, db, user)
    home = parse(client.get("/home").text).find(id="next-appointment")
    assert home is not None and LIBRARY in text(str(home))
    assert "Jobcentre" not in text(str(home))
    change = client.get(f"/appointments/{appointment.id}/change").text
    assert f"at {LIBRARY}" in text(str(parse(change).find(id="now-place")))
    ics = client.get(f"/appointments/{appointment.id}/calendar.ics").text.replace("\r\n ", "")
    assert "Riverside Library" in ics and "Jobcentre" not in ics

    assert profile.id is not None
    settings = db.get(ReminderSettings, profile.id)
    if settings is None:
        settings = ReminderSettings(client_id=profile.id)
    settings.detail = DetailLevel.detailed
    db.add(settings)
    db.flush()
    note = db.exec(
        select(Notification).where(Notification.subject == f"appointment:{appointment.id}")
    ).first()
    assert note is not None
    composed = compose_appointment_message(db, note, utcnow())
    assert isinstance(composed, Compose), composed
    assert "Riverside Library" in composed.message.sms_body
    assert "Jobcentre" not in composed.message.sms_body


def test_times_in_person_are_at_her_place_and_a_new_time_goes_back_to_arrange(
    client: TestClient, db: Session
) -> None:
    w = _setup(client, db)
    _arrange(client, db, w)
    user, appointment, later, phone = w.user, w.appointment, w.later, w.phone
    client.cookies.clear()
    sign_in_client(client, db, user)
    page = parse(client.get(f"/appointments/{appointment.id}/change").text)
    assert page.find(id="own-place") is not None
    labels = {
        item.find("input")["value"]: text(str(item))  # type: ignore[index]
        for item in page.select(".govuk-radios__item:has(input[name=slot])")
    }
    in_person, by_phone = labels[str(later.id)], labels[str(phone.id)]
    assert "at a place your adviser arranges" in in_person and "Jobcentre" not in in_person
    assert "A different place from now" not in in_person
    assert "A different place from now" in by_phone

    url = f"/appointments/{appointment.id}/change"
    moved = post_form(client, url, url, {"slot": str(later.id)})
    assert moved.status_code == 303, moved.text  # no "different place" question
    db.expire_all()
    place = db.exec(
        select(HelpRequest).where(
            HelpRequest.appointment_id == appointment.id,
            HelpRequest.kind == HelpKind.home_or_community,
        )
    ).one()
    assert (place.status, place.arranged_note) == ("asked", None)  # back to the adviser
    words = text(client.get(f"/appointments/{appointment.id}").text)
    assert "Your adviser will arrange it and tell you where." in words
    assert "Riverside Jobcentre Plus" not in words
