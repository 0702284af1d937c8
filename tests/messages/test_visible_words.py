"""A message must have something to read: only invisible characters (a lone zero-width
joiner, spaces) or text garbled on the way (bad UTF-8, which arrives as U+FFFD) is refused
kindly, with what was typed kept; a line break in a message is not called a problem."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.forms import PlainText, has_visible_characters
from app.messages.models import Message
from tests.accounts.world import build_world, csrf_token, sign_in_as
from tests.html import parse


def _send(client: TestClient, body: str | bytes):  # type: ignore[no-untyped-def]
    if isinstance(body, bytes):
        raw = b"body=" + body + b"&csrf_token=" + csrf_token(client).encode()
        return client.post(
            "/messages",
            content=raw,
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
    return client.post(
        "/messages", data={"body": body, "csrf_token": csrf_token(client)}, follow_redirects=False
    )


@pytest.mark.parametrize(
    "body", ["\u200d", " \u200d ", "\u200c\u200d\ufe0f", "\u3000", b"%FF%FE%FD", "Hi \ufffd\ufffd"]
)
def test_a_message_with_nothing_to_read_is_refused_kindly(
    body: str | bytes, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    response = _send(client, body)
    assert response.status_code == 400
    page = parse(response.text)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None
    words = summary.get_text(" ")
    assert "line breaks" not in words
    assert db.exec(select(Message)).all() == []


def test_line_breaks_are_not_blamed_in_a_message(client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    response = _send(client, "Hello\r\nthere\u202e")
    assert response.status_code == 400
    summary = parse(response.text).select_one(".govuk-error-summary")
    assert summary is not None
    assert "Remove hidden formatting characters" in summary.get_text()
    assert "line breaks" not in summary.get_text()
    box = parse(response.text).select_one("textarea[name=body]")
    assert box is not None and "Hello" in box.get_text()  # what was typed is kept


def test_words_with_joiners_are_still_words() -> None:
    assert has_visible_characters("👩\u200d💻")
    assert has_visible_characters("Siân")
    assert not has_visible_characters("\u200d \u200c\ufe0f")
    assert PlainText is not None
