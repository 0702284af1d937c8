"""Clients sign in with a 6-digit code sent by text or email."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import SignInChallenge, WebSession
from app.accounts.sessions import SESSION_COOKIE
from app.core.clock import frozen_now, utcnow
from app.delivery.models import Notification
from tests.factories import code_in, last_message_to, make_client, post_form, sign_in_client
from tests.html import heading, parse


def _ask_for_code(client: TestClient, contact: str):  # type: ignore[no-untyped-def]
    return post_form(client, "/sign-in", "/sign-in", {"contact": contact})


def _enter(client: TestClient, code: str):  # type: ignore[no-untyped-def]
    return post_form(client, "/sign-in/code", "/sign-in/code", {"code": code})


def test_a_client_signs_in_with_the_code_from_their_text(client: TestClient, db: Session) -> None:
    _profile, user = make_client(db, name="Bea Example")
    assert user.phone is not None
    assert (
        # As the client types it: 07700 8… for +447700 8…
        _ask_for_code(client, "0" + user.phone[3:7] + " " + user.phone[7:]).headers["location"]
        == "/sign-in/code"
    )
    message = last_message_to(db, user.phone)
    assert message is not None and "Jobcentre" not in message.body and "benefit" not in message.body
    response = _enter(client, code_in(message))
    assert response.headers["location"] == "/home"
    assert "Hello, Bea Example" in client.get("/home").text


def test_the_page_is_the_same_for_an_unknown_number(client: TestClient, db: Session) -> None:
    known = make_client(db)[1]
    first = _ask_for_code(client, known.phone)  # type: ignore[arg-type]
    second = _ask_for_code(client, "07700 900999")
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert last_message_to(db, "+447700900999") is None
    page = client.get("/sign-in/code").text
    assert "If we have an account with that number" in page
    assert _enter(client, "123456").status_code == 400


def test_codes_are_stored_hashed_and_work_once(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    code = code_in(last_message_to(db, user.phone))  # type: ignore[arg-type]
    challenge = db.exec(select(SignInChallenge)).all()[-1]
    assert challenge.code_hash and code not in challenge.code_hash
    challenge_cookie = client.cookies.get("mp_challenge")
    assert _enter(client, code).status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set("mp_challenge", challenge_cookie)
    reused = _enter(client, code)
    assert reused.status_code == 400
    assert "no longer works" in reused.text


def test_five_wrong_tries_use_up_the_code(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    code = code_in(last_message_to(db, user.phone))  # type: ignore[arg-type]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = _enter(client, wrong)
        assert "did not work" in response.text
    assert "no longer works" in _enter(client, code).text


def test_a_code_stops_working_after_ten_minutes(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    code = code_in(last_message_to(db, user.phone))  # type: ignore[arg-type]
    with frozen_now(utcnow() + timedelta(minutes=10, seconds=1)):
        assert "no longer works" in _enter(client, code).text


def test_at_most_five_codes_an_hour(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    for _ in range(7):
        assert _ask_for_code(client, user.phone).status_code == 303  # type: ignore[arg-type]
    sent = db.exec(select(Notification).where(Notification.recipient == user.phone)).all()
    assert len(sent) == 5
    with frozen_now(utcnow() + timedelta(minutes=61)):
        _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    sent = db.exec(select(Notification).where(Notification.recipient == user.phone)).all()
    assert len(sent) == 6


def test_bad_input_gets_a_kind_error_and_is_kept(client: TestClient) -> None:
    response = _ask_for_code(client, "0123 not a phone")
    assert response.status_code == 400
    page = parse(response.text)
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None and "UK mobile number" in summary.get_text()
    field = page.find("input", id="contact")
    assert field is not None and field["value"] == "0123 not a phone"
    assert heading(response.text) == "Sign in"


def test_the_welsh_code_message_follows_the_clients_language(
    client: TestClient, db: Session
) -> None:
    user = make_client(db, language="cy")[1]
    _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    message = last_message_to(db, user.phone)  # type: ignore[arg-type]
    assert message is not None and "Eich cod" in message.body


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"contact": user.phone}, headers={"accept": "text/html"}
    )
    assert response.status_code == 403
    assert "did not go through" in response.text
    forged = client.post("/sign-in", data={"contact": user.phone, "csrf_token": "x" * 64})
    assert forged.status_code == 403
    assert last_message_to(db, user.phone) is None  # type: ignore[arg-type]


def test_sign_in_rotates_the_session_and_sign_out_ends_it(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    sign_in_client(client, db, user)
    first = client.cookies.get(SESSION_COOKIE)
    # Signing in again from a browser that already has a session (say, one an attacker planted)
    # always gives a new token and ends the old session.
    post_form(client, "/sign-out", "/sign-in", {"contact": user.phone})  # type: ignore[dict-item]
    code = code_in(last_message_to(db, user.phone))  # type: ignore[arg-type]
    post_form(client, "/sign-out", "/sign-in/code", {"code": code})
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    live = db.exec(
        select(WebSession).where(
            WebSession.user_id == user.id, col(WebSession.revoked_at).is_(None)
        )
    ).all()
    assert len(live) == 1
    response = post_form(client, "/sign-out", "/sign-out", {})
    assert response.headers["location"] == "/signed-out"
    assert client.get("/home", follow_redirects=False).headers["location"] == "/sign-in"


def test_keep_me_signed_in_lasts_30_days_otherwise_30_minutes_idle(
    client: TestClient, db: Session
) -> None:
    user = make_client(db)[1]
    _ask_for_code(client, user.phone)  # type: ignore[arg-type]
    post_form(client, "/sign-in", "/sign-in", {"contact": user.phone, "keep_signed_in": "yes"})  # type: ignore[dict-item]
    response = _enter(client, code_in(last_message_to(db, user.phone)))  # type: ignore[arg-type]
    assert "Max-Age=2592000" in response.headers["set-cookie"]
    with frozen_now(utcnow() + timedelta(hours=2)):
        assert client.get("/home", follow_redirects=False).status_code == 200

    other = make_client(db)[1]
    client.cookies.clear()
    sign_in_client(client, db, other)
    with frozen_now(utcnow() + timedelta(minutes=20)):
        assert client.get("/home", follow_redirects=False).status_code == 200
    with frozen_now(utcnow() + timedelta(minutes=51)):
        assert client.get("/home", follow_redirects=False).status_code == 303


def test_sign_out_everywhere(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    sign_in_client(client, db, user, keep=True)
    phone_cookie = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    sign_in_client(client, db, user)
    post_form(client, "/sign-out", "/sign-out", {"everywhere": "yes"})
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, phone_cookie)
    assert client.get("/home", follow_redirects=False).status_code == 303
