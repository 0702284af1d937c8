"""Messages, calls and the contact details: the rules, without pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.core.clock import frozen_now, london_datetime, to_london
from app.core.i18n import use_language
from app.data_rights.export import export_client_data
from app.delivery.models import Notification
from app.messages import service
from app.messages.contact import call_times, contact_details, open_days_in_words
from app.messages.models import Author, CallTime
from app.people.models import ReminderSettings
from app.rescheduling.models import TimePreference
from tests.factories import make_adviser, make_client

# Monday 1 June 2026, 10pm in London: inside the default quiet hours (9pm to 8am).
LATE = london_datetime(date(2026, 6, 1), 22, 0)
AFTERNOON = london_datetime(date(2026, 6, 1), 14, 0)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(AFTERNOON):
        yield


def _notes(db: Session, phone: str | None) -> list[Notification]:
    return list(
        db.exec(
            select(Notification)
            .where(Notification.recipient == phone)
            .order_by(col(Notification.id))
        ).all()
    )


def test_a_reply_tells_the_client_discreetly_once_while_unread(db: Session) -> None:
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser)
    service.write_as_client(session=db, profile=profile, user=user, body="Can we talk?")
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Yes")
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Tue?")
    notes = _notes(db, user.phone)
    assert len(notes) == 1, "a second reply while the first is unread sends nothing more"
    assert notes[0].body == "You have a new message."
    assert notes[0].sms_body.startswith("You have a new message. See it here: ")
    assert notes[0].sms_body.endswith("/messages")
    for word in ("Ada", "adviser", "Jobcentre", "benefit", "Can we talk", "Tue"):
        assert word not in notes[0].sms_body
    # Once read, the next reply is told again.
    assert service.mark_read(session=db, client_id=profile.id or 0, reader=Author.client) == 2
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Ok")
    assert len(_notes(db, user.phone)) == 2


def test_the_note_waits_for_the_end_of_quiet_hours(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    db.add(ReminderSettings(client_id=profile.id, quiet_start=21 * 60, quiet_end=9 * 60))
    db.flush()
    with frozen_now(LATE):
        service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="x")
    (note,) = _notes(db, user.phone)
    due = to_london(note.due_at)
    assert (due.date(), due.time()) == (date(2026, 6, 2), time(9, 0))


def test_a_note_held_by_quiet_hours_is_not_sent_once_the_message_is_read(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    db.add(ReminderSettings(client_id=profile.id, quiet_start=21 * 60, quiet_end=9 * 60))
    db.flush()
    with frozen_now(LATE):
        service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="x")
        service.mark_read(session=db, client_id=profile.id, reader=Author.adviser)  # not hers
        db.expire_all()
        assert [n.status for n in _notes(db, user.phone)] == ["pending"]
        service.mark_read(session=db, client_id=profile.id, reader=Author.client)
    db.expire_all()
    assert [n.status for n in _notes(db, user.phone)] == ["cancelled"]


def test_a_welsh_speaker_is_told_in_welsh(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, language="cy")
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="x")
    (note,) = _notes(db, user.phone)
    assert note.body == "Mae gennych chi neges newydd."


def test_reading_marks_only_the_other_sides_messages(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    theirs = service.reply_as_adviser(
        session=db, profile=profile, adviser_user=adviser_user, body="Hi"
    )
    mine = service.write_as_client(session=db, profile=profile, user=user, body="Hello")
    assert service.mark_read(session=db, client_id=profile.id, reader=Author.client) == 1
    assert theirs.read_at is not None and mine.read_at is None
    assert service.mark_read(session=db, client_id=profile.id, reader=Author.adviser) == 1
    assert mine.read_at is not None
    assert service.mark_read(session=db, client_id=profile.id, reader=Author.adviser) == 0


def test_a_reply_answers_the_clients_messages_and_no_reply_needed_is_audited(
    db: Session,
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    first = service.write_as_client(session=db, profile=profile, user=user, body="Hello")
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Hi")
    assert first.read_at is not None, "answered: no longer waiting for the adviser"
    second = service.write_as_client(session=db, profile=profile, user=user, body="Thanks!")
    assert second.read_at is None
    done = service.read_no_reply_needed(session=db, profile=profile, adviser_user=adviser_user)
    assert done == 1 and second.read_at is not None
    assert service.read_no_reply_needed(session=db, profile=profile, adviser_user=adviser_user) == 0
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "message.read_no_reply")).all()
    assert len(events) == 1 and events[0].actor_user_id == adviser_user.id


def test_replies_and_calls_made_are_audited(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser)
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Hi")
    call = service.ask_for_call(session=db, profile=profile, suits=CallTime.morning)
    service.call_made(session=db, call=call, adviser_user=adviser_user)
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.client_id == profile.id)).all()
    assert {"message.sent", "call_request.done"} <= set(actions)
    assert call.done_at is not None and call.done_by_user_id == adviser_user.id


def test_asking_again_changes_the_open_call_rather_than_adding_one(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _user = make_client(db, adviser)
    first = service.ask_for_call(session=db, profile=profile, suits=CallTime.morning)
    second = service.ask_for_call(session=db, profile=profile, suits=CallTime.afternoon)
    assert first.id == second.id and second.suits == CallTime.afternoon


@pytest.mark.parametrize(
    ("not_before", "not_after", "offered"),
    [
        (None, None, [CallTime.any, CallTime.morning, CallTime.afternoon]),
        (time(13), None, [CallTime.afternoon]),
        (time(10), None, [CallTime.any, CallTime.morning, CallTime.afternoon]),
        (None, time(12), [CallTime.morning]),
        (time(9), time(14), [CallTime.any, CallTime.morning, CallTime.afternoon]),
    ],
)
def test_call_times_leave_out_what_does_not_suit(
    not_before: time | None, not_after: time | None, offered: list[CallTime]
) -> None:
    saved = TimePreference(client_id=1, not_before=not_before, not_after=not_after)
    assert call_times(saved) == offered


def test_open_days_in_words() -> None:
    assert open_days_in_words("01234") == "Monday to Friday"
    assert open_days_in_words("024") == "Monday, Wednesday and Friday"
    assert open_days_in_words("03") == "Monday and Thursday"
    assert open_days_in_words("2") == "Wednesday"
    with use_language("cy"):
        assert open_days_in_words("01234") == "Dydd Llun i ddydd Gwener"


def test_contact_details_come_from_the_advisers_office(db: Session) -> None:
    adviser, _ = make_adviser(db, name="Ada Adviser")
    profile, _user = make_client(db, adviser)
    details = contact_details(session=db, profile=profile)
    assert (details.adviser_name, details.phone) == ("Ada Adviser", "0300 000 0000")
    assert (details.opens_hour, details.closes_hour) == (9, 17)
    nobody, _ = make_client(db, None)
    assert contact_details(session=db, profile=nobody).phone is None


def test_the_thread_and_calls_are_in_the_clients_data(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    service.write_as_client(session=db, profile=profile, user=user, body="Can we talk?")
    service.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Yes")
    service.ask_for_call(session=db, profile=profile, suits=CallTime.any)
    data = export_client_data(session=db, profile=profile, user=user)
    thread = data["messages"]
    assert [(m["author_role"], m["body"]) for m in thread] == [
        ("client", "Can we talk?"),
        ("adviser", "Yes"),
    ]
    assert [c["suits"] for c in data["calls_you_asked_for"]] == ["any"]
