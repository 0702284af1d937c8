"""The adviser's banner says what really happened to the message telling the client: "has
been told" only once it went; "on its way" when it is going now; the time it will go when it
waits for the client's quiet hours (outside-in pass, reminders and texts, item 3)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.booking import move_to_slot
from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime
from app.core.done_links import done_url
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.people.models import ClientProfile, User
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_staff
from tests.html import parse

TUESDAY, THURSDAY = date(2026, 12, 8), date(2026, 12, 10)
LATE = london_datetime(TUESDAY, 22)  # inside the usual quiet hours (9pm to 8am)


def _done(profile: ClientProfile, adviser_user: User, **values: object) -> str:
    """The record's address as the adviser's redirect after an action writes it."""
    return done_url(
        f"/adviser/clients/{profile.id}",
        {key: str(value) for key, value in values.items()},
        user_id=adviser_user.id,
    )


def _banner(client: TestClient, url: str) -> str:
    banner = parse(client.get(url).text).select_one("#done")
    assert banner is not None
    return " ".join(banner.get_text().split())


def _move_to_thursday_afternoon(db: Session, appointment, adviser, adviser_user) -> None:  # type: ignore[no-untyped-def]
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=make_slot(db, adviser, london_datetime(THURSDAY, 14)),
        actor_user_id=adviser_user.id,
        actor_role="adviser",
    )


def test_a_move_held_for_quiet_hours_is_not_told_yet(client: TestClient, db: Session) -> None:
    with frozen_now(london_datetime(TUESDAY, 9)):
        adviser, adviser_user = make_adviser(db)
        profile, user = make_client(db, adviser, name="Rhian Held")
        appointment = make_appointment(
            db, profile, make_slot(db, adviser, london_datetime(THURSDAY, 10))
        )
    with frozen_now(LATE):
        _move_to_thursday_afternoon(db, appointment, adviser, adviser_user)
        sign_in_staff(client, adviser_user)
        words = _banner(client, _done(profile, adviser_user, moved=appointment.id))
    assert "has been told" not in words
    assert "We will send Rhian Held a message tomorrow at 8am." in words
    moved = db.exec(
        select(Notification).where(
            Notification.user_id == user.id,
            Notification.kind == NotificationKind.confirmation,
            Notification.status == NotificationStatus.pending,
        )
    ).one()
    # Once it has gone, the same banner says so.
    moved.status = NotificationStatus.sent
    db.add(moved)
    db.flush()
    with frozen_now(london_datetime(THURSDAY, 8, 5)):
        sign_in_staff(client, adviser_user)
        words = _banner(client, _done(profile, adviser_user, moved=appointment.id))
    assert "Rhian Held has been told." in words


def test_a_pause_says_when_its_text_will_go(client: TestClient, db: Session) -> None:
    with frozen_now(london_datetime(TUESDAY, 11)):
        adviser, adviser_user = make_adviser(db)
        profile, _ = make_client(db, adviser, name="Rhian Paused")
        defer(
            session=db,
            profile=profile,
            review_on=date(2027, 1, 6),
            reason="health",
            adviser_user=adviser_user,
        )
        sign_in_staff(client, adviser_user)
        words = _banner(client, _done(profile, adviser_user, were_booked=0, deferred="yes"))
    assert "has been told" not in words
    # "Paused until" waits a few minutes, so a mistyped date can be put right (pauses.py).
    assert "We will send Rhian Paused a message today at 11:10am" in words
    # A pause stops routine contact, not the reminders of what is booked meanwhile.
    assert "Anything you book for them meanwhile still gets its reminders." in words


def _no_way_of_reaching(db: Session, client_id: int) -> None:
    from app.delivery.outbox import settings_for

    settings = settings_for(db, client_id)
    settings.push_on = False
    settings.sms_on = False
    db.add(settings)
    db.flush()


def test_a_move_for_a_client_who_switched_every_way_off_says_no_message_went(
    client: TestClient, db: Session
) -> None:
    with frozen_now(london_datetime(TUESDAY, 10)):
        adviser, adviser_user = make_adviser(db)
        profile, _ = make_client(db, adviser, name="Jac Quiet")
        assert profile.id is not None
        _no_way_of_reaching(db, profile.id)
        appointment = make_appointment(
            db, profile, make_slot(db, adviser, london_datetime(THURSDAY, 10))
        )
        _move_to_thursday_afternoon(db, appointment, adviser, adviser_user)
        sign_in_staff(client, adviser_user)
        words = _banner(client, _done(profile, adviser_user, moved=appointment.id))
    # The worker will call the message off ("no channel chosen"): nothing is on its way.
    assert "on its way" not in words and "has been told" not in words
    assert "No message has gone to Jac Quiet." in words


def test_a_reminder_test_with_every_way_off_is_not_said_to_be_sent(
    client: TestClient, db: Session
) -> None:
    from tests.factories import post_form, sign_in_client

    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser, name="Jac Test")
    assert profile.id is not None
    _no_way_of_reaching(db, profile.id)
    sign_in_client(client, db, user)
    sent = post_form(client, "/settings/reminders", "/settings/reminders/test", {})
    page = client.get(sent.headers["location"]).text
    assert "We have sent you a test" not in page
    assert "We have not sent a test: no way of reaching you is switched on." in page
    tests = db.exec(
        select(Notification).where(
            Notification.user_id == user.id, Notification.kind == NotificationKind.test
        )
    ).all()
    assert tests == []
