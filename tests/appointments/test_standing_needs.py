"""Needs remembered (#17 part 2): help asked for on one appointment is kept for the next ones
unless "only this time"; every upcoming appointment shows it with "Still right? Change"; the
client changes or removes it on /your-needs, with group or one-to-one sessions; no page asks
about a condition."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.appointments.models import Appointment, HelpRequest, SessionPreference, StandingNeed
from app.core.clock import london_datetime, london_today
from app.people.models import Adviser, ClientProfile, User
from tests.factories import (
    done_in,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    post_form,
    sign_in_client,
)
from tests.html import parse, text


def _two_appointments(
    db: Session,
) -> tuple[Adviser, ClientProfile, User, Appointment, Appointment]:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser, name="Nia Needs")
    first = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(london_today() + timedelta(days=3), 14))
    )
    second = make_appointment(
        db,
        profile,
        make_slot(db, adviser, london_datetime(london_today() + timedelta(days=31), 14)),
    )
    return adviser, profile, user, first, second


def _help_on(db: Session, appointment: Appointment) -> dict[str, HelpRequest]:
    db.expire_all()
    rows = db.exec(select(HelpRequest).where(HelpRequest.appointment_id == appointment.id)).all()
    return {h.kind: h for h in rows}


def _save_needs(client: TestClient, data: dict[str, object]) -> Response:
    """Send the your-needs form as the page drew it: with the fingerprint of what it showed."""
    field = parse(client.get("/your-needs").text).find("input", attrs={"name": "shown"})
    assert field is not None
    shown = str(field["value"])
    return post_form(client, "/your-needs", "/your-needs", {**data, "shown": shown})  # type: ignore[dict-item]


def _ask(client: TestClient, appointment: Appointment, data: dict[str, object]) -> None:
    url = f"/appointments/{appointment.id}"
    response = post_form(client, url, f"{url}/help", data)  # type: ignore[arg-type]
    assert response.status_code == 303, response.text


def test_help_asked_on_one_appointment_shows_on_the_next(client: TestClient, db: Session) -> None:
    _adviser, profile, user, first, second = _two_appointments(db)
    sign_in_client(client, db, user)
    _ask(
        client, first, {"kinds": ["private-room", "interpreter"], "interpreter_language": "Polish"}
    )

    kept = db.exec(select(StandingNeed).where(StandingNeed.client_id == profile.id)).all()
    assert {(n.kind, n.detail) for n in kept} == {("private-room", None), ("interpreter", "Polish")}
    assert set(_help_on(db, second)) == {"private-room", "interpreter"}
    page = text(client.get(f"/appointments/{second.id}").text)
    assert "You asked for a private room." in page
    assert "You asked for an interpreter (Polish)." in page
    still = parse(client.get(f"/appointments/{second.id}").text).find(id="still-right")
    assert still is not None and "Still right?" in still.get_text()
    link = still.find("a")
    assert link is not None and link["href"] == "/your-needs"


def test_a_new_appointment_gets_the_needs_too(client: TestClient, db: Session) -> None:
    adviser, profile, user, first, _second = _two_appointments(db)
    sign_in_client(client, db, user)
    _ask(client, first, {"kinds": ["call-before"]})
    later = make_appointment(
        db,
        profile,
        make_slot(db, adviser, london_datetime(london_today() + timedelta(days=60), 10)),
    )
    assert set(_help_on(db, later)) == {"call-before"}


def test_only_this_time_keeps_nothing(client: TestClient, db: Session) -> None:
    _adviser, profile, user, first, second = _two_appointments(db)
    sign_in_client(client, db, user)
    _ask(client, first, {"kinds": ["travel"], "only_this_time": "yes"})
    assert set(_help_on(db, first)) == {"travel"}
    assert _help_on(db, second) == {}
    assert db.exec(select(StandingNeed).where(StandingNeed.client_id == profile.id)).all() == []
    assert "Still right?" not in client.get(f"/appointments/{first.id}").text


def test_a_support_person_asks_for_one_appointment_only(client: TestClient, db: Session) -> None:
    _adviser, profile, _user, first, second = _two_appointments(db)
    helper = make_support_person(db, profile, can_ask=True)
    sign_in_client(client, db, helper)
    page = client.get(f"/appointments/{first.id}").text
    assert "Only for this appointment" not in page  # what is kept is the client's own choice
    _ask(client, first, {"kinds": ["companion"], "companion_name": "Gwen"})
    assert set(_help_on(db, first)) == {"companion"}
    assert _help_on(db, second) == {}
    assert client.get("/your-needs", follow_redirects=False).status_code in (303, 403, 404)


def test_your_needs_changes_and_removes_what_is_kept(client: TestClient, db: Session) -> None:
    _adviser, profile, user, first, second = _two_appointments(db)
    sign_in_client(client, db, user)
    _ask(client, first, {"kinds": ["private-room", "home-or-community"]})
    page = client.get("/your-needs").text
    checked = {
        i["value"]
        for i in parse(page).find_all("input", attrs={"name": "kinds"})
        if i.has_attr("checked")
    }
    assert checked == {"private-room", "home-or-community"}

    response = _save_needs(
        client,
        {
            "kinds": ["private-room", "interpreter"],
            "interpreter_language": "Arabic",
            "session_format": "one-to-one",
        },
    )
    assert response.status_code == 303 and done_in(response.headers["location"]) == {"saved": "yes"}
    kept = db.exec(select(StandingNeed).where(StandingNeed.client_id == profile.id)).all()
    assert {(n.kind, n.detail) for n in kept} == {("private-room", None), ("interpreter", "Arabic")}
    for appointment in (first, second):
        assert set(_help_on(db, appointment)) == {"private-room", "interpreter"}
    preference = db.exec(
        select(SessionPreference).where(SessionPreference.client_id == profile.id)
    ).one()
    assert preference.session_format == "one-to-one"
    saved = client.get(response.headers["location"]).text
    assert "Saved." in saved
    radio = parse(saved).find("input", attrs={"name": "session_format", "value": "one-to-one"})
    assert radio is not None and radio.has_attr("checked")

    # Nothing ticked is a fine answer: every need goes, from the appointments too.
    response = _save_needs(client, {"session_format": "group"})
    assert response.status_code == 303
    assert db.exec(select(StandingNeed).where(StandingNeed.client_id == profile.id)).all() == []
    assert _help_on(db, second) == {}
    db.refresh(preference)
    assert preference.session_format == "group"


def test_removing_a_need_leaves_what_was_already_arranged(client: TestClient, db: Session) -> None:
    _adviser, _profile, user, first, second = _two_appointments(db)
    sign_in_client(client, db, user)
    _ask(client, first, {"kinds": ["private-room"]})
    arranged = _help_on(db, first)["private-room"]
    arranged.status, arranged.arranged_note = "arranged", "Room 3"
    db.add(arranged)
    db.flush()
    _save_needs(client, {})
    assert set(_help_on(db, first)) == {"private-room"}
    assert _help_on(db, second) == {}


def test_a_bad_needs_form_comes_back_with_the_answers_kept(client: TestClient, db: Session) -> None:
    _adviser, _profile, user, _first, _second = _two_appointments(db)
    sign_in_client(client, db, user)
    response = _save_needs(
        client,
        {"kinds": ["interpreter"], "interpreter_language": "x" * 101, "session_format": "both"},
    )
    assert response.status_code == 400
    page = parse(response.text)
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None
    assert "The language must be 100 characters or fewer" in summary.get_text()
    assert "Choose from the options listed" in summary.get_text()
    box = page.find("input", attrs={"name": "kinds", "value": "interpreter"})
    assert box is not None and box.has_attr("checked")


def test_group_or_one_to_one_and_needs_never_ask_about_a_condition(
    client: TestClient, db: Session
) -> None:
    _adviser, _profile, user, first, _second = _two_appointments(db)
    sign_in_client(client, db, user)
    for url in ("/your-needs", f"/appointments/{first.id}"):
        words = text(client.get(url).text).lower()
        for probe in ("condition", "diagnos", "symptom", "illness", "medical", "why do you"):
            assert probe not in words, (url, probe)
    assert "You do not need to say why." in text(client.get("/your-needs").text)
    assert "In a group" in client.get("/your-needs").text
    assert "One-to-one" in client.get("/your-needs").text
