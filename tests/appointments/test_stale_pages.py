"""Pages decided on old state: a your-needs form from a second tab (or the offline queue) never
erases needs saved since, and "we have told your adviser" / "we have asked your adviser to
call you" are said only while true, whatever the address says."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.appointments.models import Appointment, HelpRequest, SessionPreference, StandingNeed
from app.core.clock import frozen_now, london_datetime, london_today, utcnow
from app.messages.models import CallRequest
from app.people.models import ClientProfile, User
from tests.factories import (
    csrf_from,
    done_in,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
)
from tests.html import heading, parse, text


def _client_with_appointment(
    client: TestClient, db: Session
) -> tuple[ClientProfile, User, Appointment]:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser, name="Nia Needs")
    when = london_datetime(london_today() + timedelta(days=5), 14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, when))
    sign_in_client(client, db, user)
    return profile, user, appointment


def _needs_tab(client: TestClient) -> dict[str, str]:
    """What a your-needs page holds when opened: its CSRF token and fingerprint."""
    page = client.get("/your-needs").text
    shown = parse(page).find("input", attrs={"name": "shown"})
    assert shown is not None
    return {"csrf_token": csrf_from(page), "shown": str(shown["value"])}


def _send(client: TestClient, tab: dict[str, str], data: dict[str, object]) -> Response:
    response: Response = client.post(
        "/your-needs",
        data={**tab, **data},
        follow_redirects=False,
    )
    return response


def _kept(db: Session, profile: ClientProfile) -> set[tuple[str, str | None]]:
    rows = db.exec(select(StandingNeed).where(StandingNeed.client_id == profile.id)).all()
    return {(n.kind, n.detail) for n in rows}


# M5: two tabs


def test_a_stale_needs_tab_saving_nothing_does_not_erase_needs_saved_in_another(
    client: TestClient, db: Session
) -> None:
    profile, _user, _appointment = _client_with_appointment(client, db)
    first, second = _needs_tab(client), _needs_tab(client)
    saved = _send(client, first, {"kinds": ["interpreter"], "interpreter_language": "Polish"})
    assert saved.status_code == 303
    assert _kept(db, profile) == {("interpreter", "Polish")}

    stale = _send(client, second, {})  # the other tab, still showing no needs, saves "none"

    assert stale.status_code == 409
    assert _kept(db, profile) == {("interpreter", "Polish")}
    page = parse(stale.text)
    assert page.find(id="changed-meanwhile") is not None
    saved_now = page.find(id="saved-now")
    tried = page.find(id="tried-to-save")
    assert saved_now is not None and "An interpreter (Polish)" in saved_now.get_text()
    assert tried is not None and "No help" in tried.get_text()
    # The form now shows what is saved, with the new fingerprint: saving it again works.
    box = page.find("input", attrs={"name": "kinds", "value": "interpreter"})
    assert box is not None and box.has_attr("checked")
    shown = page.find("input", attrs={"name": "shown"})
    assert shown is not None
    again = _send(client, {"csrf_token": csrf_from(stale.text), "shown": str(shown["value"])}, {})
    assert again.status_code == 303
    assert _kept(db, profile) == set()


def test_a_stale_tab_cannot_change_the_session_preference_either(
    client: TestClient, db: Session
) -> None:
    profile, _user, _appointment = _client_with_appointment(client, db)
    first, second = _needs_tab(client), _needs_tab(client)
    assert _send(client, first, {"session_format": "group"}).status_code == 303
    stale = _send(client, second, {"kinds": ["travel"], "session_format": "one-to-one"})
    assert stale.status_code == 409
    tried = parse(stale.text).find(id="tried-to-save")
    assert tried is not None and "Help with travel costs" in tried.get_text()
    preference = db.exec(
        select(SessionPreference).where(SessionPreference.client_id == profile.id)
    ).one()
    assert preference.session_format == "group"
    assert _kept(db, profile) == set()


def test_a_needs_post_without_a_fingerprint_cannot_erase_what_is_kept(
    client: TestClient, db: Session
) -> None:
    """An old queued post (or a forged one) with no fingerprint, or a garbled one, counts as a
    page that showed nothing: it saves only while nothing is kept."""
    profile, _user, _appointment = _client_with_appointment(client, db)
    token = _needs_tab(client)["csrf_token"]
    assert _send(client, {"csrf_token": token}, {"kinds": ["travel"]}).status_code == 303
    for shown in ("", "not-a-fingerprint", "0" * 16):
        response = _send(client, {"csrf_token": token, "shown": shown}, {})
        assert response.status_code == 409, shown
    assert _kept(db, profile) == {("travel", None)}


def test_the_same_tab_saves_as_before(client: TestClient, db: Session) -> None:
    profile, _user, _appointment = _client_with_appointment(client, db)
    response = post_form(client, "/your-needs", "/your-needs", {"kinds": ["private-room"]})
    assert response.status_code == 303
    assert heading(client.get("/your-needs").text) == "Help at your appointments"
    saved = _send(client, _needs_tab(client), {"kinds": ["private-room", "travel"]})
    assert saved.status_code == 303
    assert _kept(db, profile) == {("private-room", None), ("travel", None)}


# L1: banners follow state


def test_we_have_told_your_adviser_only_when_the_help_form_changed_something(
    client: TestClient, db: Session
) -> None:
    _profile, _user, appointment = _client_with_appointment(client, db)
    url = f"/appointments/{appointment.id}"
    assert "We have told your adviser" not in client.get(f"{url}?sent=help").text  # typed

    first = post_form(client, url, f"{url}/help", {"kinds": ["travel"]})
    assert done_in(first.headers["location"]) == {"sent": "help"}
    assert "We have told your adviser" in client.get(first.headers["location"]).text

    same = post_form(client, url, f"{url}/help", {"kinds": ["travel"]})
    assert same.status_code == 303 and not same.headers["location"].endswith("sent=help")

    with frozen_now(utcnow() + timedelta(hours=2)):
        assert "We have told your adviser" not in client.get(first.headers["location"]).text


def test_we_have_told_your_adviser_goes_once_the_help_is_answered(
    client: TestClient, db: Session
) -> None:
    _profile, _user, appointment = _client_with_appointment(client, db)
    url = f"/appointments/{appointment.id}"
    asked = post_form(client, url, f"{url}/help", {"kinds": ["private-room"]})
    assert "We have told your adviser" in client.get(asked.headers["location"]).text
    for help_request in db.exec(select(HelpRequest)).all():
        help_request.status = "arranged"
        db.add(help_request)
    db.flush()
    assert "We have told your adviser" not in client.get(asked.headers["location"]).text


def test_we_have_asked_your_adviser_to_call_only_while_the_call_is_to_make(
    client: TestClient, db: Session
) -> None:
    profile, _user, _appointment = _client_with_appointment(client, db)
    banner = "We have asked your adviser to call you"
    assert banner not in text(client.get("/contact?asked=1").text)  # typed, nothing asked
    asked = post_form(client, "/contact", "/contact/call-me", {"suits": "any"})
    assert asked.status_code == 303
    assert banner in text(client.get(asked.headers["location"]).text)
    call = db.exec(select(CallRequest).where(CallRequest.client_id == profile.id)).one()
    call.done_at = utcnow()
    db.add(call)
    db.flush()
    assert banner not in text(client.get("/contact?asked=1").text)
