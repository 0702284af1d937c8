"""The pages: contact, call me, the thread; the adviser's side on the client record and the
attention list; who may see what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.core.clock import frozen_now, london_datetime
from app.delivery.models import Notification
from app.messages import service
from app.messages.models import CallRequest, Message
from app.people.models import Adviser, ClientProfile, SupportLink, User
from app.rescheduling.models import TimePreference
from tests.factories import (
    csrf_from,
    make_adviser,
    make_client,
    make_support_person,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import heading, parse, text

NOW = london_datetime(date(2026, 6, 1), 14, 0)  # Monday afternoon, outside quiet hours


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


def _world(db: Session, language: str = "en") -> tuple[Adviser, User, ClientProfile, User]:
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser, name="Cara Client", language=language)
    return adviser, adviser_user, profile, user


def _main(html: str) -> str:
    main = parse(html).find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def test_every_client_page_links_to_contact_your_adviser(client: TestClient, db: Session) -> None:
    *_, user = _world(db)
    sign_in_client(client, db, user)
    for page in ("/home", "/plan", "/explainers", "/account"):
        links = parse(client.get(page).text).select("#navigation a")
        assert ("/contact", "Contact your adviser") in [
            (a["href"], a.get_text(strip=True)) for a in links
        ], page


def test_the_contact_page_says_phone_hours_and_urgent_help(client: TestClient, db: Session) -> None:
    *_, user = _world(db)
    sign_in_client(client, db, user)
    page = client.get("/contact")
    assert page.status_code == 200
    assert heading(page.text) == "Contact your adviser"
    words = _main(page.text)
    assert "Your adviser is Ada Adviser." in words
    assert "Open Monday to Friday, 9am to 5pm." in words
    assert parse(page.text).select_one("#office-phone")["href"] == "tel:03000000000"  # type: ignore[index]
    assert "Ask Ada Adviser to call you" in words
    assert "Samaritans on 116 123" in words and "999" in words
    assert parse(page.text).select_one('a[href="/messages"]') is not None


def test_asking_for_a_call_offers_only_times_that_suit_and_reaches_the_adviser(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, user = _world(db)
    assert profile.id is not None
    db.add(TimePreference(client_id=profile.id, not_before=london_datetime(NOW.date(), 13).time()))
    db.flush()
    sign_in_client(client, db, user)
    offered = [i["value"] for i in parse(client.get("/contact").text).select('input[name="suits"]')]
    assert offered == ["afternoon"], "nothing before 1pm: no morning calls offered"
    refused = post_form(client, "/contact", "/contact/call-me", {"suits": "morning"})
    assert refused.status_code == 400
    assert "Choose when a call suits you" in text(refused.text)
    asked = post_form(client, "/contact", "/contact/call-me", {"suits": "afternoon"})
    assert asked.status_code == 303
    page = client.get(asked.headers["location"]).text
    assert "We have asked your adviser to call you" in page
    assert "You have asked for a call" in page

    sign_in_staff(client, adviser_user)
    caseload = text(client.get("/adviser").text)
    assert "Cara Client : asked you to call them (in the afternoon)" in caseload
    record = client.get(f"/adviser/clients/{profile.id}").text
    call = db.exec(select(CallRequest).where(CallRequest.client_id == profile.id)).one()
    done = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/calls/{call.id}/done",
        {},
    )
    assert done.status_code == 303 and "I have called them" in record
    assert "asked you to call them" not in text(client.get("/adviser").text)
    again = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/calls/{call.id}/done",
        {},
    )
    # From a page drawn before the call was marked (another tab): kind, and nothing changes.
    assert again.status_code == 409
    assert heading(again.text) == "This call is already marked as made"


def test_client_writes_adviser_reads_and_replies_client_sees_it(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, user = _world(db)
    sign_in_client(client, db, user)
    page = client.get("/messages").text
    assert heading(page) == "Messages with your adviser"
    assert "reads messages in working hours: Monday to Friday, 9am to 5pm" in _main(page)
    assert "Samaritans on 116 123" in _main(page)
    # The urgent-help link beside the box is a link, not markup shown as text.
    box = parse(page).select_one("#working-hours")
    assert box is not None and "<p" not in box.get_text()
    link = box.select_one('a[href="/urgent-help"]')
    assert link is not None and link.get_text() == "Get urgent help"
    assert not parse(page).select('input[type="file"]'), "no attachments"
    sent = post_form(client, "/messages", "/messages", {"body": "Could we talk\nabout the course?"})
    assert sent.status_code == 303
    page = client.get(sent.headers["location"]).text
    assert "Your message has been sent." in page
    assert "Could we talk\nabout the course?" in page

    sign_in_staff(client, adviser_user)
    assert "Cara Client : sent you a message" in text(client.get("/adviser").text)
    record = client.get(f"/adviser/clients/{profile.id}").text
    thread = parse(record).select_one("#conversation ~ #thread")
    assert thread is not None and "Could we talk" in thread.get_text()
    assert "New" in thread.get_text()
    # Looking is not answering: it stays on the list until a reply or "no reply needed".
    assert "sent you a message" in text(client.get("/adviser").text), "still waiting"
    assert db.exec(
        select(AuditEvent).where(
            AuditEvent.client_id == profile.id, AuditEvent.action == "client_record.viewed"
        )
    ).first()
    empty = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/messages",
        {"reply": "  "},
    )
    assert empty.status_code == 400 and "Write the message" in text(empty.text)
    replied = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/messages",
        {"reply": "Yes. I will ring you on Tuesday afternoon."},
    )
    assert replied.status_code == 303
    note = db.exec(
        select(Notification)
        .where(Notification.recipient == user.phone)
        .order_by(col(Notification.id).desc())
    ).first()
    assert note is not None and note.body == "You have a new message."
    assert note.url == "/messages"

    client.cookies.clear()
    sign_in_client(client, db, user)
    page = client.get("/messages").text
    assert "I will ring you on Tuesday afternoon." in page
    new = parse(page).select("main .govuk-tag")
    assert [t.get_text(strip=True) for t in new] == ["New"], "the unread reply is marked new"
    again = client.get("/messages").text
    assert not parse(again).select("main .govuk-tag"), "seen once, no longer new"
    assert "Ada Adviser" in _main(page)
    reply = db.exec(select(Message).where(Message.author_role == "adviser")).one()
    assert reply.read_at is not None, "seen by the client"


def test_a_message_that_cannot_be_sent_comes_back_with_what_was_typed(
    client: TestClient, db: Session
) -> None:
    *_, user = _world(db)
    sign_in_client(client, db, user)
    empty = post_form(client, "/messages", "/messages", {"body": "   "})
    assert empty.status_code == 400
    assert parse(empty.text).select_one(".govuk-error-summary") is not None
    assert "Write your message" in text(empty.text)
    long = "a" * 2001
    too_long = post_form(client, "/messages", "/messages", {"body": long})
    assert too_long.status_code == 400
    assert "Your message must be 2,000 characters or fewer" in text(too_long.text)
    assert long in too_long.text
    hidden = post_form(client, "/messages", "/messages", {"body": "hi\u202e there"})
    assert hidden.status_code == 400
    assert db.exec(select(Message)).first() is None


def test_a_support_person_sees_neither_messages_nor_the_call_button(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, _user = _world(db)
    for can_ask in (False, True):
        supporter = make_support_person(db, profile, name=f"Gwen {can_ask}", can_ask=can_ask)
        client.cookies.clear()
        sign_in_client(client, db, supporter)
        contact = client.get("/contact")
        assert contact.status_code == 200
        assert "0300 000 0000" in contact.text
        assert 'action="/contact/call-me"' not in contact.text
        assert 'href="/messages"' not in contact.text
        assert client.get("/messages").status_code == 403
        token = csrf_from(client.get("/sign-out").text)
        for action, data in (("/messages", {"body": "hi"}), ("/contact/call-me", {"suits": "any"})):
            response = client.post(
                action, data={**data, "csrf_token": token}, follow_redirects=False
            )
            assert response.status_code == 403, action
    assert db.exec(select(Message)).first() is None
    assert db.exec(select(CallRequest)).first() is None


def test_the_client_may_let_a_support_person_read_but_not_write_and_take_it_back(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, user = _world(db)
    supporter = make_support_person(db, profile, name="Sam Support")
    link = db.exec(select(SupportLink).where(SupportLink.supporter_user_id == supporter.id)).one()
    service.reply_as_adviser(
        session=db, profile=profile, adviser_user=adviser_user, body="See you soon"
    )

    def as_client_set(value: str) -> None:
        client.cookies.clear()
        sign_in_client(client, db, user)
        account = client.get("/account").text
        label = "Let them read your messages" if value == "yes" else "Stop them reading"
        assert label in account
        response = post_form(
            client,
            "/account",
            f"/account/support-people/{link.id}/permissions",
            {"can_see_messages": value},
        )
        assert response.status_code == 303

    as_client_set("yes")
    db.refresh(link)
    assert link.can_see_messages and not link.can_ask_for_changes  # one thing changed
    # Both sides are told who else reads: nobody writes thinking only two people will see it.
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    record = parse(client.get(f"/adviser/clients/{profile.id}").text)
    said = record.find(id="message-readers")
    assert said is not None and "Sam Support (support worker)" in said.get_text()
    client.cookies.clear()
    sign_in_client(client, db, supporter)
    assert 'href="/messages"' in client.get("/contact").text
    thread = client.get("/messages")
    assert thread.status_code == 200
    assert heading(thread.text) == "Cara Client's messages with their adviser"
    assert "See you soon" in _main(thread.text)
    assert 'action="/messages"' not in thread.text  # reading only
    token = csrf_from(client.get("/sign-out").text)
    sent = client.post("/messages", data={"body": "hi", "csrf_token": token})
    assert sent.status_code == 403
    unread = db.exec(select(Message).where(col(Message.read_at).is_(None))).all()
    assert [m.body for m in unread] == ["See you soon"]  # still new for Cara
    client.cookies.clear()
    sign_in_client(client, db, user)
    readers = parse(client.get("/messages").text).find(id="message-readers")
    assert readers is not None and "Sam Support (support worker)" in readers.get_text()

    as_client_set("no")
    client.cookies.clear()
    sign_in_client(client, db, supporter)
    assert client.get("/messages").status_code == 403
    # In the order they were made (the two may share a timestamp; PostgreSQL returns rows in
    # no set order without one).
    changes = db.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "support_person.permissions_changed")
        .order_by(col(AuditEvent.id))
    ).all()
    assert [json.loads(e.detail) for e in changes] == [
        {"can_see_messages": True},
        {"can_see_messages": False},
    ]


def test_another_advisers_client_thread_is_not_found(client: TestClient, db: Session) -> None:
    _adviser, _adviser_user, profile, _user = _world(db)
    _other, other_user = make_adviser(db, name="Other Adviser")
    sign_in_staff(client, other_user)
    token = csrf_from(client.get("/sign-out").text)
    response = client.post(
        f"/adviser/clients/{profile.id}/messages",
        data={"reply": "hello", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 404
    assert db.exec(select(Message)).first() is None


def test_the_pages_in_welsh(client: TestClient, db: Session) -> None:
    *_, user = _world(db, language="cy")
    sign_in_client(client, db, user)
    contact = client.get("/contact").text
    assert heading(contact) == "Cysylltu â'ch cynghorydd"
    assert "Ar agor: dydd Llun i ddydd Gwener" in _main(contact)
    page = client.get("/messages").text
    assert heading(page) == "Negeseuon gyda'ch cynghorydd"
    empty = post_form(client, "/messages", "/messages", {"body": ""})
    assert "Ysgrifennwch eich neges" in text(empty.text)


def test_home_says_when_the_adviser_has_written_and_paused_home_links_to_contact(
    client: TestClient, db: Session
) -> None:
    from datetime import timedelta

    from app.core.clock import london_today
    from app.messages.service import reply_as_adviser
    from app.people.models import ClientStatus

    _adviser, adviser_user, profile, user = _world(db)
    sign_in_client(client, db, user)
    assert parse(client.get("/home").text).select_one("#new-messages") is None
    reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Hello Cara")
    db.flush()
    notice = parse(client.get("/home").text).select_one("#new-messages a")
    assert notice is not None and notice["href"] == "/messages"
    client.get("/messages")  # read
    assert parse(client.get("/home").text).select_one("#new-messages") is None
    profile.status, profile.paused_until = ClientStatus.paused, london_today() + timedelta(weeks=4)
    db.add(profile)
    db.flush()
    status = parse(client.get("/home").text).select_one("#status")
    assert status is not None and status.select_one('a[href="/contact"]') is not None
