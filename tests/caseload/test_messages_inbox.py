"""The adviser's messages inbox: unread client messages across their own caseload only, newest
first, each with the client's name, when, the first line and a link to the thread; the header
shows how many; listing a client's message is written in the audit log the client can see.
Opening the record does not empty it: a reply does, or "Read, no reply needed" (issue #18)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.caseload.inbox import first_line
from app.core.clock import utcnow
from app.messages import service
from tests.factories import make_adviser, make_client, post_form, sign_in_staff
from tests.html import parse, text


def test_unread_messages_newest_first_with_a_link_to_the_thread(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    other_adviser, _ = make_adviser(db, name="Owen Other")
    older, older_user = make_client(db, adviser, name="Olwen Older")
    newer, newer_user = make_client(db, adviser, name="Nia Newer")
    theirs, theirs_user = make_client(db, other_adviser, name="Tom Theirs")
    first = service.write_as_client(session=db, profile=older, user=older_user, body="Hello")
    first.created_at = utcnow() - timedelta(hours=2)
    db.add(first)
    service.write_as_client(
        session=db, profile=newer, user=newer_user, body="\nCan you ring me?\nAfter 2 is best"
    )
    service.write_as_client(session=db, profile=theirs, user=theirs_user, body="Not yours")
    db.flush()
    sign_in_staff(client, adviser_user)

    page = parse(client.get("/adviser/messages").text)
    rows = page.select("#inbox tbody tr")
    assert [r.find("a").get_text(strip=True) for r in rows] == ["Nia Newer", "Olwen Older"]  # type: ignore[union-attr]
    assert "Can you ring me?" in rows[0].get_text() and "After 2" not in rows[0].get_text()
    assert rows[0].find("a")["href"] == f"/adviser/clients/{newer.id}#conversation"  # type: ignore[index]
    assert "Tom Theirs" not in page.get_text()
    nav = page.select_one("#navigation")
    assert nav is not None and "Messages (2 unread)" in " ".join(nav.get_text(" ").split())
    listed = db.exec(
        select(AuditEvent.client_id).where(AuditEvent.action == "client_messages.listed")
    ).all()
    assert set(listed) == {older.id, newer.id} and len(listed) == 2

    # Opening a record is not answering: both stay unread until a reply or "no reply needed".
    client.get(f"/adviser/clients/{newer.id}")
    client.get(f"/adviser/clients/{older.id}")
    page = parse(client.get("/adviser/messages").text)
    assert len(page.select("#inbox tbody tr")) == 2
    nav = page.select_one("#navigation")
    assert nav is not None and "Messages (2 unread)" in " ".join(nav.get_text(" ").split())

    record = f"/adviser/clients/{newer.id}"
    assert (
        post_form(client, record, f"{record}/messages", {"reply": "Yes, at 3"}).status_code == 303
    )
    page = parse(client.get("/adviser/messages").text)
    assert [r.find("a").get_text(strip=True) for r in page.select("#inbox tbody tr")] == [  # type: ignore[union-attr]
        "Olwen Older"
    ]
    nav = page.select_one("#navigation")
    assert nav is not None and "Messages (1 unread)" in " ".join(nav.get_text(" ").split())

    record = f"/adviser/clients/{older.id}"
    done = post_form(client, record, f"{record}/messages/read", {})
    assert done.status_code == 303 and done.headers["location"].endswith("#conversation")
    assert "Marked as read" in client.get(done.headers["location"]).text
    page = parse(client.get("/adviser/messages").text)
    assert page.find(id="inbox-empty") is not None
    nav = page.select_one("#navigation")
    assert nav is not None and "unread" not in nav.get_text()
    marked = db.exec(select(AuditEvent).where(AuditEvent.action == "message.read_no_reply")).all()
    assert [(e.client_id, e.actor_user_id) for e in marked] == [(older.id, adviser_user.id)]


def test_opening_the_record_keeps_a_message_unread_and_new(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Nia Newer")
    message = service.write_as_client(session=db, profile=profile, user=user, body="Hello")
    sign_in_staff(client, adviser_user)
    for _ in range(2):  # a second look still shows it new, with the button
        page = parse(client.get(f"/adviser/clients/{profile.id}").text)
        assert "New" in page.select_one(f"#message-{message.id}").get_text()  # type: ignore[union-attr]
        assert page.select_one("#read-no-reply button") is not None
    db.refresh(message)
    assert message.read_at is None
    assert "sent you a message" in text(client.get("/adviser").text), "still on the list"


def test_read_no_reply_needs_the_csrf_token_and_the_caseload(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    other, _ = make_adviser(db, name="Owen Other")
    mine, mine_user = make_client(db, adviser)
    theirs, theirs_user = make_client(db, other, name="Tom Theirs")
    kept = service.write_as_client(session=db, profile=mine, user=mine_user, body="Hi")
    not_mine = service.write_as_client(session=db, profile=theirs, user=theirs_user, body="Hi")
    sign_in_staff(client, adviser_user)
    no_token = client.post(f"/adviser/clients/{mine.id}/messages/read", follow_redirects=False)
    assert no_token.status_code == 403
    elsewhere = post_form(
        client, f"/adviser/clients/{mine.id}", f"/adviser/clients/{theirs.id}/messages/read", {}
    )
    assert elsewhere.status_code == 404
    db.refresh(kept)
    db.refresh(not_mine)
    assert kept.read_at is None and not_mine.read_at is None


def test_the_first_line_is_cut_at_a_word() -> None:
    assert first_line("  \n Short one \n second") == "Short one"
    long = "word " * 40
    cut = first_line(long)
    assert cut.endswith("…") and len(cut) <= 81 and "wor…" not in cut
