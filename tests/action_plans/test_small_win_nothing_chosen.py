"""'Note it' with no small win chosen says so in the error summary (found by an outside-in
tester: it did nothing and said nothing)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_client, post_form, sign_in_client
from tests.html import parse


def test_note_it_with_nothing_chosen_shows_the_error_summary(
    client: TestClient, db: Session
) -> None:
    _profile, user = make_client(db)
    sign_in_client(client, db, user)
    sent = post_form(client, "/plan", "/plan/progress", {})
    assert sent.status_code == 400
    summary = parse(sent.text).find(class_="govuk-error-summary")
    assert summary is not None
    link = summary.find("a")
    assert link is not None and link.get_text(strip=True) == "Choose a small win to note"
    target = str(link["href"]).lstrip("#")
    assert parse(sent.text).find("input", id=target, attrs={"name": "progress"}) is not None
