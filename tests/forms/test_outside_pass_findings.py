"""What the outside-in attacker found, each a test: a form body to a passkey route, media types
in capitals, chunked bodies, a version the step never had, hidden characters, loose dates and
the headers of the 500 page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.action_plans import service as plans
from app.action_plans.models import PlanStep
from app.core.tokens import keyed_hash
from app.main import create_app
from app.people.models import User
from app.rescheduling.models import BusyTime
from tests.factories import (
    csrf_from,
    make_admin,
    make_adviser,
    make_client,
    post_form,
    sign_in_client,
    sign_in_staff,
)


def _token(client: TestClient) -> str:
    return keyed_hash("csrf", client.cookies.get("mp_csrf") or "")


def test_a_form_body_sent_to_a_passkey_route_is_a_400_not_a_crash(client: TestClient) -> None:
    page = client.get("/sign-in")
    body = {"csrf_token": csrf_from(page.text), "form_token": "x"}
    for route in ("/sign-in/passkey", "/sign-in/passkey/options"):
        response = client.post(route, data=body, follow_redirects=False)
        assert response.status_code < 500, route


def test_a_media_type_in_capitals_is_still_a_form(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    client.get("/plan")
    headers = {"content-type": "APPLICATION/x-www-form-urlencoded", "x-csrf-token": _token(client)}
    nul = urlencode({"csrf_token": _token(client), "form_token": "t1", "title": "NUL\x00here"})
    response = client.post("/plan/steps", content=nul, headers=headers, follow_redirects=False)
    assert response.status_code == 400
    once = urlencode({"csrf_token": _token(client), "form_token": "t2", "title": "Once"})
    for _ in range(2):
        client.post("/plan/steps", content=once, headers=headers, follow_redirects=False)
    titles = [step.title for step in db.exec(select(PlanStep)).all()]
    assert titles == ["Once"]


def test_a_body_without_a_length_is_refused_before_it_is_read(client: TestClient) -> None:
    client.get("/sign-in")

    def chunks() -> Iterator[bytes]:
        yield b"contact=07700900101&csrf_token=" + _token(client).encode()

    for media_type in ("application/x-www-form-urlencoded", "Application/JSON"):
        response = client.post(
            "/sign-in",
            content=chunks(),
            headers={"content-type": media_type, "x-csrf-token": _token(client)},
            follow_redirects=False,
        )
        assert response.status_code == 411, media_type


def test_a_version_the_step_never_had_cannot_overwrite_someone_elses_edit(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = plans.plan_for(session=db, client_id=profile.id)
    step = plans.add_step(
        session=db, plan=plan, title="Call the GP", actor_user_id=user.id, actor_role="client"
    )
    db.flush()
    shown = {"title": "Call the GP", "details": "", "owner": "me", "owner_name": ""}
    shown |= {"status": "not-started", "when": "no-rush"}
    # The adviser changes the title first.
    plans.edit_step(
        session=db,
        step_id=step.id,  # type: ignore[arg-type]
        base_version=step.version,
        original=shown,
        submitted={**shown, "title": "Ring the surgery"},
        actor_user_id=adviser_user.id,
        actor_role="adviser",
    )
    sign_in_client(client, db, user)
    form = {**shown, "title": "Call the GP today", "base_version": "99999"}
    form |= {f"original_{name}": value for name, value in shown.items()}
    page = f"/plan/steps/{step.id}"
    response = post_form(client, page, page, form)
    assert response.status_code == 409
    db.refresh(step)
    assert step.title == "Ring the surgery"


def test_hidden_characters_and_line_breaks_in_a_one_line_field_are_refused(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for title in ("Two\r\nlines", "Colour\x1b[31m", "Backwards \u202eevil"):
        response = post_form(client, "/plan/steps/new", "/plan/steps", {"title": title})
        assert response.status_code == 400, title
        assert "Remove line breaks and hidden formatting characters" in response.text
    details = "First line\r\nSecond line"
    response = post_form(
        client, "/plan/steps/new", "/plan/steps", {"title": "Walk", "details": details}
    )
    assert response.status_code == 303  # details may run over lines
    client.cookies.clear()
    sign_in_staff(client, make_admin(db))
    form = {"full_name": "Ada", "email": "adv\u202e@example.org"}
    assert post_form(client, "/admin", "/admin/advisers", form).status_code == 400
    assert db.exec(select(User).where(User.full_name == "Ada")).first() is None


def test_only_dates_written_like_2026_12_01_are_dates(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for day in ("20261205", "2026-W49-1", "2026-1-5"):
        form = {"repeat": "once", "on_date": day, "starts": "10:00", "ends": "11:00"}
        response = post_form(client, "/your-times", "/your-times/busy", form)
        assert response.status_code == 400, day
    assert db.exec(select(BusyTime)).first() is None


def test_the_page_for_a_crash_has_the_security_headers() -> None:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False, headers={"accept": "text/html"}) as c:
        response = c.get("/boom")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_an_empty_adviser_form_asks_for_the_email_not_says_it_is_taken(
    client: TestClient, db: Session
) -> None:
    sign_in_staff(client, make_admin(db))
    response = post_form(client, "/admin", "/admin/advisers", {"full_name": "", "email": ""})
    assert response.status_code == 400
    assert "Enter a work email address" in response.text
    assert "Someone already uses this email address" not in response.text


# What the outside-in user found.


def test_a_welsh_client_gets_error_pages_in_welsh_even_before_anyone_is_looked_up(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser, language="cy")
    sign_in_client(client, db, user)
    client.cookies.delete("lang")
    assert client.get("/home").status_code == 200  # her profile's language, now remembered
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["content-language"] == "cy"
    huge = {"title": "x" * 300_000}
    too_long = post_form(client, "/plan/steps/new", "/plan/steps", huge)
    assert too_long.status_code == 413 and too_long.headers["content-language"] == "cy"


def test_every_form_error_is_by_its_field_and_in_the_title(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = plans.plan_for(session=db, client_id=profile.id)
    step = plans.add_step(
        session=db, plan=plan, title="Walk", actor_user_id=user.id, actor_role="client"
    )
    db.flush()
    sign_in_client(client, db, user)
    new = {"title": "Step", "details": "d" * 5001}
    page = post_form(client, "/plan/steps/new", "/plan/steps", new)
    assert page.status_code == 400
    assert 'id="details-error"' in page.text
    assert "The detail must be 5,000 characters or fewer" in page.text
    edit = {"base_version": str(step.version), "title": "Walk", "owner": "me"}
    edit |= {"status": "forged", "when": "no-rush"}
    url = f"/plan/steps/{step.id}"
    page = post_form(client, url, url, edit)
    assert 'href="#status"' in page.text and 'id="status"' in page.text
    assert 'id="status-error"' in page.text
    started = post_form(client, "/home", "/home/started-work", {"started_on": "", "hours": "16.5"})
    assert started.status_code == 400
    assert "<title>Error:" in started.text
    assert "whole number from 1 to 80, like 16" in started.text


def test_a_time_that_never_existed_is_not_said_to_have_been_taken(
    client: TestClient, db: Session
) -> None:
    from datetime import timedelta

    from app.core.clock import london_datetime, london_today
    from tests.factories import make_appointment, make_slot

    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    day = london_today() + timedelta(days=14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    sign_in_client(client, db, user)
    page = f"/appointments/{appointment.id}/change"
    response = post_form(client, page, page, {"slot": "99999"})
    assert response.status_code == 409
    assert "someone else chose that time" not in response.text
    assert "that time is no longer free" in response.text


# What the second outside-in attacker found.


def test_a_stale_edit_cannot_undo_book_for_me(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = plans.plan_for(session=db, client_id=profile.id)
    step = plans.add_step(
        session=db, plan=plan, title="Course", actor_user_id=user.id, actor_role="client"
    )
    db.flush()
    opened_at = step.version
    plans.ask_to_book(session=db, step=step, actor_user_id=user.id)  # owner: the adviser
    shown = {"title": "Course", "details": "", "owner": "me", "owner_name": ""}
    shown |= {"status": "not-started", "when": "no-rush"}
    form = {**shown, "owner": "someone-else", "owner_name": "Support worker"}
    form |= {f"original_{name}": value for name, value in shown.items()}
    sign_in_staff(client, adviser_user)
    page = f"/adviser/clients/{profile.id}/plan/steps/{step.id}"
    for version in (str(opened_at), "999999"):
        response = post_form(client, page, page, {**form, "base_version": version})
        assert response.status_code == 409, version
    db.refresh(step)
    assert step.owner == "adviser"


def test_times_are_clock_times_only(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for odd in ("0900Z", "T0900", "09:00+01", "9:00"):
        both = {"not_before": odd, "not_after": "17:00"}
        assert post_form(client, "/your-times", "/your-times/preferences", both).status_code == 400
        busy = {"weekday": "1", "starts": odd, "ends": "11:00"}
        assert post_form(client, "/your-times", "/your-times/busy", busy).status_code == 400
    assert db.exec(select(BusyTime)).first() is None


def test_passkey_answers_too_deep_or_unstorable_are_a_400(client: TestClient) -> None:
    client.get("/sign-in")
    headers = {"x-csrf-token": _token(client), "content-type": "application/json"}
    client.post("/sign-in/passkey/options", headers=headers)
    deep = "[" * 50_000 + "]" * 50_000
    lone = '{"id": "\\ud800", "rawId": "\\ud800", "type": "public-key", "response": {}}'
    for body in (deep, lone):
        response = client.post("/sign-in/passkey", content=body, headers=headers)
        assert response.status_code == 400


def test_no_route_reads_a_body_before_the_checks(client: TestClient) -> None:
    """FastAPI reads a body parameter before any dependency: no route may declare one, so the
    size, CSRF and sign-in checks always come first (a chunked push body is refused unread)."""
    body_routes = [
        route.path
        for route in create_app().routes
        if isinstance(route, APIRoute) and route.dependant.body_params
    ]
    assert body_routes == []

    def chunks() -> Iterator[bytes]:
        yield b'{"endpoint": "https://fcm.googleapis.com/x"}'

    client.get("/")
    headers = {"content-type": "application/json", "x-csrf-token": _token(client)}
    response = client.post("/settings/reminders/push", content=chunks(), headers=headers)
    assert response.status_code == 411


def test_an_accept_header_in_capitals_still_gets_a_page(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "TEXT/HTML"})
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_invisible_characters_are_refused_but_emoji_joiners_are_not(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for label in ("zero\u200bwidth", "mark\u200f", "bom\ufeff"):
        busy = {"label": label, "weekday": "1", "starts": "10:00", "ends": "11:00"}
        assert post_form(client, "/your-times", "/your-times/busy", busy).status_code == 400
    family = "Family time 👨\u200d👩\u200d👧"
    busy = {"label": family, "weekday": "1", "starts": "10:00", "ends": "11:00"}
    assert post_form(client, "/your-times", "/your-times/busy", busy).status_code == 303
    assert [b.label for b in db.exec(select(BusyTime)).all()] == [family]


# What the second outside-in user found.


def test_dates_years_away_are_refused_and_far_dates_say_their_year(
    client: TestClient, db: Session
) -> None:
    from datetime import timedelta

    from app.core.clock import london_today
    from app.core.formatting import human_date

    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    started = {"started_on": "2020-01-01", "hours": "20"}
    assert post_form(client, "/home", "/home/started-work", started).status_code == 400
    busy = {"repeat": "once", "on_date": "2020-01-01", "starts": "10:00", "ends": "11:00"}
    assert post_form(client, "/your-times", "/your-times/busy", busy).status_code == 400
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    pause = {"review_on": (london_today() + timedelta(days=400)).isoformat(), "reason": "health"}
    response = post_form(client, record, f"{record}/defer", pause)
    assert response.status_code == 400 and "within a year" in response.text
    far = london_today() + timedelta(days=400)
    assert str(far.year) in human_date(far)
    assert str(london_today().year) not in human_date(london_today() + timedelta(days=7))


def test_optional_choices_left_empty_are_fine_and_choices_made_are_kept(
    client: TestClient, db: Session
) -> None:
    from datetime import timedelta

    from app.core.clock import london_datetime, london_today
    from tests.factories import make_appointment, make_slot

    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(london_today() + timedelta(days=9), 10))
    )
    plan = plans.plan_for(session=db, client_id=profile.id)
    step = plans.add_step(
        session=db, plan=plan, title="Walk", actor_user_id=user.id, actor_role="client"
    )
    db.flush()
    sign_in_client(client, db, user)
    # A small win with nothing chosen: nothing noted, and the error summary says so (a later
    # outside-in pass found that going quietly back to the plan said nothing at all).
    nothing = post_form(client, "/plan", "/plan/progress", {})
    assert nothing.status_code == 400 and "Choose a small win to note" in nothing.text
    # "Aim for a date" with no date: the choice stays chosen next to the error.
    edit = {"base_version": str(step.version), "title": "Walk", "owner": "me"}
    edit |= {"status": "doing", "when": "date", "when_date": ""}
    url = f"/plan/steps/{step.id}"
    page = post_form(client, url, url, edit)
    assert page.status_code == 400
    assert re.search(r'id="when-date"[^>]*value="date"[^>]*checked', page.text)
    # Asking for help with nothing ticked says so, rather than "we have told your adviser".
    there = f"/appointments/{appointment.id}"
    page = post_form(client, there, f"{there}/help", {})
    assert page.status_code == 400 and "Choose the help you would like" in page.text
    # Every weekday ruled out: said kindly, not saved.
    every = {"avoid": ["0", "1", "2", "3", "4"]}
    page = post_form(client, "/your-times", "/your-times/preferences", every)
    assert page.status_code == 400 and "Leave at least one weekday free" in page.text


def test_a_welsh_page_says_gwall_before_every_field_error(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser, language="cy")
    sign_in_client(client, db, user)
    page = post_form(client, "/home", "/home/started-work", {"started_on": "", "hours": "x"})
    assert page.status_code == 400
    hidden = re.findall(
        r'govuk-error-message">\s*<span class="govuk-visually-hidden">([^<]*)<', page.text
    )
    assert hidden and all(word.strip() == "Gwall:" for word in hidden), hidden
