"""The client record speaks to the adviser (#18): the help a client asked for is said as
something to arrange, about the client; the thread says "You" for the adviser's own replies,
a colleague's name for theirs, and the client's name for the client's. The client's own pages
keep the client's voice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.models import HelpKind, StandingNeed
from app.core.clock import utcnow
from app.messages import service
from tests.factories import (
    make_adviser,
    make_client,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


@pytest.mark.parametrize(
    ("kind", "adviser_words", "client_words"),
    [
        (
            HelpKind.travel,
            "Travel costs: will bring tickets to claim",
            "Help with travel costs (bring your tickets)",
        ),
        (
            HelpKind.call_before,
            "Call them before the appointment",
            "A phone call before the appointment",
        ),
    ],
)
def test_help_reads_as_something_to_arrange(
    client: TestClient, db: Session, kind: HelpKind, adviser_words: str, client_words: str
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    db.add(StandingNeed(client_id=profile.id, kind=kind))
    db.flush()
    sign_in_staff(client, adviser_user)
    needs = parse(client.get(f"/adviser/clients/{profile.id}").text).select_one("#needs")
    assert needs is not None
    said = " ".join(needs.get_text(" ").split())
    assert adviser_words in said and client_words not in said
    summary = client.get(f"/adviser/clients/{profile.id}/referral-summary").text
    assert client_words not in summary

    client.cookies.clear()
    sign_in_client(client, db, user)
    assert client_words in client.get("/your-needs").text, "the client's voice is kept"


def test_the_thread_says_you_the_colleague_and_the_client_by_name(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    _other, colleague = make_adviser(db, name="Cai Colleague")
    profile, user = make_client(db, adviser, name="Cara Client")
    asked = service.write_as_client(session=db, profile=profile, user=user, body="Can we talk?")
    mine = service.reply_as_adviser(
        session=db, profile=profile, adviser_user=adviser_user, body="Yes, Tuesday."
    )
    theirs = service.reply_as_adviser(
        session=db, profile=profile, adviser_user=colleague, body="Covering for Ada."
    )
    for n, message in enumerate((asked, mine, theirs)):
        message.created_at = utcnow() - timedelta(minutes=10 - n)
        db.add(message)
    db.flush()
    sign_in_staff(client, adviser_user)
    page = parse(client.get(f"/adviser/clients/{profile.id}").text)

    def who(message_id: int | None) -> str:
        found = page.select_one(f"#message-{message_id} strong")
        assert found is not None
        return found.get_text(strip=True)

    assert [who(asked.id), who(mine.id), who(theirs.id)] == [
        "Cara Client",
        "You",
        "Cai Colleague",
    ]
    thread = page.select_one("#thread")
    assert thread is not None and "Adviser," not in thread.get_text()
