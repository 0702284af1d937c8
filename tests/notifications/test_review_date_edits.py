"""Changing a paused client's review date sends only what the client needs to know: a typo
put right within minutes replaces the "paused until" text before it goes; a change after it
went sends one text with the new date; saving the same date again sends nothing (outside-in
pass, reminders and texts, item 4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime
from app.people.models import ClientProfile, ReminderSettings, User
from tests.factories import make_adviser, make_client
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

MONDAY = date(2026, 12, 7)


def _pause(session: Session, profile: ClientProfile, adviser_user: User, review: date) -> None:
    defer(
        session=session,
        profile=profile,
        review_on=review,
        reason="health",
        adviser_user=adviser_user,
    )
    session.commit()


def _client(session: Session) -> tuple[ClientProfile, User, User]:
    adviser, adviser_user = make_adviser(session)
    profile, user = make_client(session, adviser)
    assert profile.id is not None
    session.add(ReminderSettings(client_id=profile.id, push_on=False))
    session.flush()
    return profile, user, adviser_user


def _texts(outbox: Outbox, fake_notify: FakeNotify, user: User, end: datetime) -> list[str]:
    return [a.body for a in run_until(outbox, fake_notify, str(user.phone), end)]


def test_a_typo_put_right_within_minutes_replaces_the_text(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    at = london_datetime(MONDAY, 10)
    with frozen_now(at):
        profile, user, adviser_user = _client(session)
        _pause(session, profile, adviser_user, date(2027, 11, 6))  # meant 6 January
    # The worker is running: the first text must not go in the minute before the fix.
    assert _texts(outbox, fake_notify, user, at + timedelta(minutes=2)) == []
    with frozen_now(at + timedelta(minutes=2)):
        _pause(session, profile, adviser_user, date(2027, 1, 6))
    texts = _texts(outbox, fake_notify, user, london_datetime(MONDAY, 20))
    assert len(texts) == 1 and "6 January" in texts[0]


def test_saving_the_same_date_again_sends_nothing_more(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        profile, user, adviser_user = _client(session)
        _pause(session, profile, adviser_user, date(2027, 1, 6))
    assert len(_texts(outbox, fake_notify, user, london_datetime(MONDAY, 12))) == 1
    with frozen_now(london_datetime(MONDAY, 15)):  # the reason changed, not the date
        _pause(session, profile, adviser_user, date(2027, 1, 6))
    assert _texts(outbox, fake_notify, user, london_datetime(MONDAY, 20)) == []


def test_a_new_date_after_the_text_went_is_one_text(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        profile, user, adviser_user = _client(session)
        _pause(session, profile, adviser_user, date(2027, 1, 6))
    assert len(_texts(outbox, fake_notify, user, london_datetime(MONDAY, 12))) == 1
    with frozen_now(london_datetime(MONDAY, 15)):
        _pause(session, profile, adviser_user, date(2027, 1, 20))
    texts = _texts(outbox, fake_notify, user, london_datetime(MONDAY, 20))
    assert len(texts) == 1 and "20 January" in texts[0]
    # One check-in, on the new date only.
    later = _texts(outbox, fake_notify, user, london_datetime(date(2027, 1, 21), 0))
    assert [t.split(".")[0] for t in later] == ["How are things? No need to reply"]
