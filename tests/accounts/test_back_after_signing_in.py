"""A session that ends while someone is on a page or half-way through a form: the sign-in
page says what was not saved, and signing in again goes back to that page
(app/accounts/returning.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import WebSession
from app.accounts.returning import RETURN_COOKIE
from app.messages.models import Message
from tests.factories import (
    csrf_from,
    make_adviser,
    make_client,
    sign_in_client,
    sign_in_staff,
)

NOT_SAVED = "You were signed out, so what you sent was not saved."


def _end_every_session(db: Session) -> None:
    for web_session in db.exec(select(WebSession)).all():
        web_session.revoked_at = web_session.created_at
        db.add(web_session)
    db.flush()


def test_a_form_sent_after_the_session_ended_says_so_and_signing_in_goes_back(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    page = client.get("/messages")
    token = csrf_from(page.text)
    _end_every_session(db)  # signed out in another tab, or idle too long

    sent = client.post(
        "/messages",
        data={"body": "Can we talk on Friday?", "csrf_token": token},
        headers={"referer": "http://127.0.0.1/messages"},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/sign-in"
    assert db.exec(select(Message)).all() == []  # nothing was saved, as the page will say
    sign_in_page = client.get("/sign-in")
    assert NOT_SAVED in sign_in_page.text

    response = sign_in_client(client, db, user)
    assert response.headers["location"] == "/messages"  # the page the form was on
    assert client.cookies.get(RETURN_COOKIE) is None  # used once, then gone


def test_signing_in_again_goes_back_to_the_page_that_was_open(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    _end_every_session(db)
    assert client.get("/plan", follow_redirects=False).headers["location"] == "/sign-in"
    assert NOT_SAVED not in client.get("/sign-in").text  # only a page: nothing was lost

    response = sign_in_client(client, db, user)
    assert response.headers["location"] == "/plan"


def test_a_page_of_another_role_is_never_where_sign_in_leads(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    _end_every_session(db)
    assert client.get("/adviser", follow_redirects=False).status_code == 303
    client.cookies.delete("mp_session")
    # A client then signs in on the same browser: their home, not the adviser's page.
    response = sign_in_client(client, db, user)
    assert response.headers["location"] == "/home"
