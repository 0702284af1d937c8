"""Advisers and admins: password, then an authenticator code or a recovery code."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.passwords import hasher_for
from app.accounts.staff import setup_secret
from app.core.clock import frozen_now, utcnow
from app.core.config import Environment
from app.people.models import User
from tests.factories import (
    STAFF_PASSWORD,
    last_message_to,
    make_admin,
    make_adviser,
    make_office,
    post_form,
    sign_in_staff,
)


def _password(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    return post_form(
        client, "/adviser/sign-in", "/adviser/sign-in", {"email": email, "password": password}
    )


def test_an_adviser_signs_in_with_password_and_authenticator(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    sign_in_staff(client, user)
    page = client.get("/adviser")
    assert page.status_code == 200
    assert "Your caseload" in page.text


def test_a_wrong_password_or_unknown_email_says_the_same(client: TestClient, db: Session) -> None:
    _adviser, user = make_adviser(db)
    wrong = _password(client, user.email, "not the password")  # type: ignore[arg-type]
    unknown = _password(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "email address or password is not right" in wrong.text
    assert "email address or password is not right" in unknown.text


def test_repeated_failures_hold_the_email_until_the_window_passes(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    for _ in range(5):
        _password(client, user.email, "wrong")  # type: ignore[arg-type]
    locked = _password(client, user.email, STAFF_PASSWORD)  # type: ignore[arg-type]
    assert "Too many tries. Wait 15 minutes" in locked.text
    with frozen_now(utcnow() + timedelta(minutes=16)):
        assert _password(client, user.email, STAFF_PASSWORD).status_code == 303  # type: ignore[arg-type]


def test_a_wrong_authenticator_code_is_refused(client: TestClient, db: Session) -> None:
    _adviser, user = make_adviser(db)
    _password(client, user.email, STAFF_PASSWORD)  # type: ignore[arg-type]
    response = post_form(
        client, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": "000000"}
    )
    assert response.status_code == 400
    assert client.get("/adviser", follow_redirects=False).status_code == 303


def test_a_new_adviser_is_invited_sets_a_password_and_an_authenticator(
    client: TestClient, db: Session
) -> None:
    make_office(db)
    admin = make_admin(db)
    sign_in_staff(client, admin)
    response = post_form(
        client,
        "/admin",
        "/admin/advisers",
        {"full_name": "Nia Newstart", "email": "nia@example.org"},
    )
    assert response.status_code == 303
    link = re.search(r"/invitation/\S+", last_message_to(db, "nia@example.org").body).group(0)  # type: ignore[union-attr]
    client.cookies.clear()
    assert post_form(client, link, link, {"password": "short"}).status_code == 400
    accepted = post_form(client, link, link, {"password": "a long enough passphrase"})
    assert accepted.status_code == 303, accepted.text[-3000:]
    response = _password(client, "nia@example.org", "a long enough passphrase")
    assert response.headers["location"] == "/adviser/sign-in/set-up"
    secret = setup_secret(client.cookies.get("mp_challenge"))
    assert secret.replace(" ", "")[:4] in client.get("/adviser/sign-in/set-up").text
    page = post_form(
        client,
        "/adviser/sign-in/set-up",
        "/adviser/sign-in/set-up",
        {"code": pyotp.TOTP(secret).now()},
    )
    assert page.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", page.text)
    assert len(codes) == 10
    assert client.get("/adviser").status_code == 200
    user = db.exec(select(User).where(User.email == "nia@example.org")).one()
    assert user.totp_secret == secret

    # A recovery code works once in place of the authenticator.
    client.cookies.clear()
    _password(client, "nia@example.org", "a long enough passphrase")
    assert (
        post_form(
            client, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": codes[0]}
        ).status_code
        == 303
    )
    client.cookies.clear()
    _password(client, "nia@example.org", "a long enough passphrase")
    assert (
        post_form(
            client, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": codes[0]}
        ).status_code
        == 400
    )


def test_staff_sessions_never_last_30_days(client: TestClient, db: Session) -> None:
    _adviser, user = make_adviser(db)
    sign_in_staff(client, user)
    with frozen_now(utcnow() + timedelta(minutes=31)):
        assert (
            client.get("/adviser", follow_redirects=False).headers["location"] == "/adviser/sign-in"
        )


def test_passwords_are_hashed_at_full_cost_outside_the_test_suite() -> None:
    """The suite hashes cheaply to stay quick; everywhere else argon2id costs 64 MiB and three
    passes, and each hash says so."""
    for env in (Environment.production, Environment.development):
        made = hasher_for(env).hash(STAFF_PASSWORD)
        assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), made
    assert hasher_for(Environment.test).hash(STAFF_PASSWORD).startswith("$argon2id$")
