"""The client's answer to a check-in: "not yet" is a full answer; the other answers become a
item on the adviser's attention list (once, however many times they press)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.messages.check_ins import CheckInAnswer, CheckInReply, waiting_answers
from app.people.models import AdviserTask
from tests.factories import done_in, make_adviser, make_client, post_form, sign_in_client
from tests.html import heading, parse, text


def test_not_yet_is_accepted_and_asks_nothing_more(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    page = client.get("/check-in")
    assert heading(page.text) == "How are things?"
    assert "You do not need to answer" in text(page.text)
    response = post_form(client, "/check-in", "/check-in", {"answer": "not-yet"})
    assert done_in(response.headers["location"]) == {"answered": "not-yet"}
    thanks = client.get(response.headers["location"])
    assert "That is fine. There is no rush. The door is open" in text(thanks.text)
    assert db.exec(select(AdviserTask).where(AdviserTask.client_id == profile.id)).all() == []
    events = db.exec(select(AuditEvent).where(AuditEvent.client_id == profile.id)).all()
    assert any(e.action == "client.check_in_answered" for e in events)


def test_asking_for_a_call_is_kept_once_on_the_adviser_list(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for _ in range(2):
        post_form(client, "/check-in", "/check-in", {"answer": "call-me"})
    answers = db.exec(select(CheckInReply).where(CheckInReply.client_id == profile.id)).all()
    assert [a.answer for a in answers] == [CheckInAnswer.call_me, CheckInAnswer.call_me]
    waiting = waiting_answers(session=db, client_ids=[profile.id])
    assert [a.id for a in waiting] == [answers[-1].id]  # one item, however many presses


def test_no_choice_gets_a_kind_error(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(client, "/check-in", "/check-in", {})
    assert response.status_code == 400
    summary = parse(response.text).select_one(".govuk-error-summary")
    assert summary is not None and "you do not have to answer" in summary.get_text()
