"""The header's "My Pathways" link leads to /: for someone signed in it goes on to their own
home; the start page ("Start now", "we will send you a code") looked as if they had been
signed out (outside-in pass)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import (
    make_adviser,
    make_client,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


def test_the_start_page_sends_a_signed_in_client_home(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/home"


def test_the_start_page_sends_a_signed_in_adviser_to_their_caseload(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/adviser"


def test_the_start_page_is_still_there_for_someone_not_signed_in(client: TestClient) -> None:
    page = parse(client.get("/").text)
    assert page.select_one("h1") is not None
    assert "Start now" in page.get_text()
