"""The "too long" page states the limit of the form that was sent (found by an outside-in
tester: a message, limited to 2,000 characters, got "An answer can be up to 5,000")."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.forms import MAX_FORM_BYTES
from tests.factories import make_adviser, make_client, post_form, sign_in_client
from tests.html import text


def test_the_too_long_page_says_the_limit_of_the_form_sent(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    huge = "x" * (MAX_FORM_BYTES + 1)
    message = post_form(client, "/messages", "/messages", {"body": huge})
    assert message.status_code == 413
    words = text(message.text)
    assert "up to 2,000 characters" in words and "5,000" not in words
    step = post_form(client, "/plan/steps/new", "/plan/steps", {"title": huge})
    assert step.status_code == 413
    assert "up to 5,000 characters" in text(step.text)
