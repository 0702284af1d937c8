"""The adviser's side of needs remembered (#17 parts 2 and 5): standing needs and group or
one-to-one sessions shown first on the client record; "Arranged" with what was arranged, which
the client then reads on the appointment in plain words (a new place shown as the place)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.booking import move_to_slot
from app.appointments.models import Appointment, HelpKind, HelpRequest, SessionFormat
from app.appointments.needs import keep_need, set_session_format
from app.core.clock import london_datetime, london_today
from app.people.models import Adviser, ClientProfile, User
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse, text


def _setup(db: Session) -> tuple[Adviser, User, ClientProfile, User, Appointment]:
    adviser, adviser_user = make_adviser(db)
    profile, client_user = make_client(db, adviser, name="Siân Standing")
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(london_today() + timedelta(days=4), 11))
    )
    return adviser, adviser_user, profile, client_user, appointment


def _request(db: Session, appointment: Appointment, kind: str) -> HelpRequest:
    return db.exec(
        select(HelpRequest).where(
            HelpRequest.appointment_id == appointment.id, HelpRequest.kind == kind
        )
    ).one()


def test_standing_needs_and_sessions_come_first_on_the_client_record(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, _client_user, _appointment = _setup(db)
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.private_room, detail=None)
    set_session_format(session=db, client_id=profile.id, session_format=SessionFormat.one_to_one)
    sign_in_staff(client, adviser_user)
    needs = parse(client.get(f"/adviser/clients/{profile.id}").text).find(id="needs")
    assert needs is not None
    keys = [k.get_text(strip=True) for k in needs.find_all(class_="govuk-summary-list__key")]
    assert keys[:2] == ["Help at every appointment", "Courses"]
    rows = needs.find_all(class_="govuk-summary-list__row")
    assert "Private room needed" in rows[0].get_text()
    assert "One-to-one" in rows[1].get_text()
    profile.summary_consent_on = london_today()
    db.add(profile)
    db.flush()
    summary = parse(client.get(f"/adviser/clients/{profile.id}/referral-summary").text)
    listed = text(str(summary.find(id="summary-needs")))
    assert "Private room needed" in listed
    assert "Courses: one-to-one sessions" in listed


def test_arranged_with_a_note_is_what_the_client_reads(client: TestClient, db: Session) -> None:
    _adviser, adviser_user, profile, client_user, appointment = _setup(db)
    assert profile.id is not None
    for kind in (HelpKind.private_room, HelpKind.call_before, HelpKind.home_or_community):
        keep_need(session=db, client_id=profile.id, kind=kind, detail=None)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    answers = {
        "private-room": {"answer": "arranged", "arranged_note": "Room 3, on the ground floor"},
        "call-before": {"answer": "arranged"},
        "home-or-community": {"answer": "arranged", "arranged_note": "Riverside Library, Mill St"},
    }
    for wanted, form in answers.items():
        help_request = _request(db, appointment, wanted)
        response = post_form(client, record, f"{record}/help/{help_request.id}", form)
        assert response.status_code == 303
    db.expire_all()
    room = _request(db, appointment, "private-room")
    assert (room.status, room.arranged_note) == ("arranged", "Room 3, on the ground floor")
    assert "Room 3, on the ground floor" in text(client.get(record).text)

    client.cookies.clear()
    sign_in_client(client, db, client_user)
    page = parse(client.get(f"/appointments/{appointment.id}").text)
    assert "A private room is booked for you." in text(str(page.find(id="arranged-private-room")))
    assert "Your adviser says: Room 3, on the ground floor" in text(str(page))
    assert "Your adviser will call you before." in text(str(page.find(id="arranged-call-before")))
    place = page.find(id="arranged-place")
    assert place is not None and place.get_text(strip=True) == "Riverside Library, Mill St"
    assert "Arranged by your adviser, instead of" in text(str(page))
    # The calendar (file, Google and Outlook) says where she will really go, not the Jobcentre.
    ics = client.get(f"/appointments/{appointment.id}/calendar.ics").text.replace("\r\n ", "")
    assert "LOCATION:Riverside Library\\, Mill St" in ics
    adding = client.get(f"/appointments/{appointment.id}/add-to-calendar").text
    assert "Riverside+Library" in adding or "Riverside%20Library" in adding


def test_a_note_too_long_comes_back_and_changes_nothing(client: TestClient, db: Session) -> None:
    _adviser, adviser_user, profile, _client_user, appointment = _setup(db)
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.travel, detail=None)
    help_request = _request(db, appointment, "travel")
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    response = post_form(
        client,
        record,
        f"{record}/help/{help_request.id}",
        {"answer": "arranged", "arranged_note": "x" * 201},
    )
    assert response.status_code == 400
    assert "What you arranged must be 200 characters or fewer" in response.text
    db.refresh(help_request)
    assert help_request.status == "asked"


def test_talk_about_it_keeps_no_note(client: TestClient, db: Session) -> None:
    _adviser, adviser_user, profile, client_user, appointment = _setup(db)
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.interpreter, detail="Polish")
    help_request = _request(db, appointment, "interpreter")
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    post_form(
        client,
        record,
        f"{record}/help/{help_request.id}",
        {"answer": "not-possible", "arranged_note": "ignored"},
    )
    db.refresh(help_request)
    assert (help_request.status, help_request.arranged_note) == ("not-possible", None)
    client.cookies.clear()
    sign_in_client(client, db, client_user)
    page = text(client.get(f"/appointments/{appointment.id}").text)
    assert "your adviser will talk to you about this" in page
    assert "ignored" not in page


def test_a_kept_need_is_one_attention_item_about_the_soonest_appointment(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user, profile, _client_user, first = _setup(db)
    assert profile.id is not None
    second = make_appointment(
        db,
        profile,
        make_slot(db, adviser, london_datetime(london_today() + timedelta(days=30), 11)),
    )
    keep_need(session=db, client_id=profile.id, kind=HelpKind.private_room, detail=None)
    sign_in_staff(client, adviser_user)

    def attention() -> str:
        block = parse(client.get("/adviser").text).find(id="attention")
        return text(str(block)) if block else ""

    assert attention().count("Siân Standing") == 1
    record = f"/adviser/clients/{profile.id}"
    room = _request(db, first, "private-room")
    post_form(client, record, f"{record}/help/{room.id}", {"answer": "arranged"})
    # The next appointment's room still needs arranging, so the item stays until that is done.
    assert attention().count("Siân Standing") == 1
    later = _request(db, second, "private-room")
    post_form(client, record, f"{record}/help/{later.id}", {"answer": "arranged"})
    assert "Siân Standing" not in attention()


def test_the_client_download_includes_what_they_keep(client: TestClient, db: Session) -> None:
    _adviser, _adviser_user, profile, client_user, _appointment = _setup(db)
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.interpreter, detail="Polish")
    set_session_format(session=db, client_id=profile.id, session_format=SessionFormat.group)
    sign_in_client(client, db, client_user)
    data = client.get("/account/download").json()
    assert [(n["kind"], n["detail"]) for n in data["help_at_every_appointment"]] == [
        ("interpreter", "Polish")
    ]
    assert data["group_or_one_to_one"]["session_format"] == "group"


def test_after_a_move_what_was_arranged_goes_back_to_the_adviser(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user, profile, client_user, appointment = _setup(db)
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.private_room, detail=None)
    room = _request(db, appointment, "private-room")
    room.status, room.arranged_note = "arranged", "Room 3"
    db.add(room)
    db.flush()
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=make_slot(db, adviser, london_datetime(london_today() + timedelta(days=6), 15)),
        actor_user_id=adviser_user.id,
        actor_role="adviser",
    )
    db.expire_all()
    again = _request(db, appointment, "private-room")
    assert (again.status, again.arranged_note) == ("asked", None)
    sign_in_client(client, db, client_user)
    page = text(client.get(f"/appointments/{appointment.id}").text)
    assert "A private room is booked for you." not in page
    assert "Room 3" not in page
