"""Reminders that are true when they arrive (issue #16, items 1–3), on a controlled clock,
through the planner, the worker and the loopback Notify: words composed at send time, no two
messages with one meaning, nothing after the start, and nothing once an appointment has ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from app.appointments.booking import cancel, move_to_slot, record_outcome
from app.appointments.models import Appointment, AppointmentStatus
from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime
from app.delivery.message import Message
from app.delivery.models import Notification, NotificationKind
from app.delivery.outbox import queue_for_client
from app.people.models import ClientProfile, ReminderSettings, User
from app.reminders.planner import appointment_subject
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)


def _client(session: Session, **settings: object) -> tuple[ClientProfile, User]:
    adviser, _ = make_adviser(session)
    profile, user = make_client(session, adviser)
    assert profile.id is not None
    session.add(ReminderSettings(client_id=profile.id, push_on=False, **settings))  # type: ignore[arg-type]
    session.flush()
    return profile, user


def _book(session: Session, profile: ClientProfile, starts_at: datetime) -> Appointment:
    assert profile.adviser_id is not None
    from app.people.models import Adviser

    adviser = session.get(Adviser, profile.adviser_id)
    assert adviser is not None
    return make_appointment(session, profile, make_slot(session, adviser, starts_at))


def _texts(arrivals: list) -> list[str]:  # type: ignore[type-arg]
    return [str(arrival) for arrival in arrivals]


def test_a_confirmation_held_by_quiet_hours_says_today_when_it_arrives(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 22, 30)):
        profile, user = _client(session, quiet_start=21 * 60, quiet_end=8 * 60)
        _book(session, profile, london_datetime(TUESDAY, 14))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 15))
    assert _texts(arrivals) == [
        "Tue 08 Dec 08:00 Your appointment is booked. It is today at 2pm.",
        "Tue 08 Dec 12:00 Reminder: you have an appointment today at 2pm, in about 2 hours.",
    ]


def test_messages_falling_due_together_become_one(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    # Quiet hours 18:00–13:00; booked at 19:25 for 2:45pm the next day. The confirmation and
    # the "2 hours before" reminder both wait for 1pm: one text goes, and no third at 1:45pm.
    session = committed()
    with frozen_now(london_datetime(MONDAY, 19, 25)):
        profile, user = _client(
            session,
            quiet_start=18 * 60,
            quiet_end=13 * 60,
            lead_times="day-before,2-hours,1-hour",
        )
        _book(session, profile, london_datetime(TUESDAY, 14, 45))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 15))
    assert _texts(arrivals) == [
        "Tue 08 Dec 13:00 Your appointment is booked. It is today at 2:45pm, in about 2 hours.",
    ]


def test_the_day_before_and_the_morning_of_never_both_say_tomorrow(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    # Quiet hours until 11am pull "the morning of" a 10:30 appointment back to 5:59pm the day
    # before: the same "tomorrow" as the day-before reminder at 5pm.
    session = committed()
    with frozen_now(london_datetime(date(2026, 12, 4), 14)):
        profile, user = _client(
            session, quiet_start=18 * 60, quiet_end=11 * 60, lead_times="day-before,morning-of"
        )
        _book(session, profile, london_datetime(TUESDAY, 10, 30))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 11))
    assert _texts(arrivals) == [
        "Fri 04 Dec 14:00 Your appointment is booked. It is on Tuesday 8 December at 10:30am.",
        "Mon 07 Dec 17:00 Reminder: you have an appointment tomorrow at 10:30am.",
    ]


def _extra_reminder(
    session: Session, profile: ClientProfile, appointment: Appointment, due_at: datetime
) -> Notification:
    """A reminder row planned by some other route (a stale plan, a future planner bug): the
    send-time rules must hold whatever was planned."""
    assert appointment.id is not None
    row = queue_for_client(
        session=session,
        profile=profile,
        kind=NotificationKind.reminder,
        key=f"extra:{appointment.id}:{due_at.isoformat()}",
        subject=appointment_subject(appointment.id),
        message=Message(title="t", body="planned words", sms_body="planned words", url="/"),
        due_at=due_at,
        routine=True,
        wording="reminder",
        subject_version=appointment.sequence,
    )
    assert row is not None
    return row


def _outcome(outbox: Outbox, row_id: int | None) -> tuple[str, str | None]:
    with Session(outbox.engine) as reader:
        row = reader.get(Notification, row_id)
        assert row is not None
        return str(row.status), row.last_error


def test_a_second_reminder_with_the_same_meaning_is_not_sent(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(date(2026, 12, 4), 14)):
        profile, user = _client(session, lead_times="day-before")
        appointment = _book(session, profile, london_datetime(TUESDAY, 10, 30))
        extra = _extra_reminder(session, profile, appointment, london_datetime(MONDAY, 19))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 11))
    assert [a.body for a in arrivals][1:] == [
        "Reminder: you have an appointment tomorrow at 10:30am."
    ]
    assert _outcome(outbox, extra.id) == ("cancelled", "said already")


@pytest.mark.parametrize(
    ("due", "reason"),
    [
        ((13, 40), "too close to the start to help"),
        ((14, 0), "appointment has started"),
        ((16, 0), "appointment has started"),
    ],
)
def test_nothing_goes_too_close_to_the_start_or_after_it(
    outbox: Outbox,
    fake_notify: FakeNotify,
    committed: Callable[[], Session],
    due: tuple[int, int],
    reason: str,
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 9)):
        profile, user = _client(session, lead_times="")
        appointment = _book(session, profile, london_datetime(TUESDAY, 14))
        extra = _extra_reminder(session, profile, appointment, london_datetime(TUESDAY, *due))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 18))
    assert [a.body for a in arrivals] == ["Your appointment is booked. It is tomorrow at 2pm."]
    assert _outcome(outbox, extra.id) == ("cancelled", reason)


def test_a_confirmation_quiet_hours_would_hold_past_the_start_is_not_sent(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 22, 30)):
        profile, user = _client(session, quiet_start=21 * 60, quiet_end=8 * 60)
        _book(session, profile, london_datetime(TUESDAY, 7, 45))
        session.commit()
    assert run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 12)) == []


def _ends(how: str) -> Callable[[Session, Appointment, ClientProfile, User], None]:
    def end(session: Session, appointment: Appointment, profile: ClientProfile, user: User) -> None:
        if how == "attended" or how == "missed":
            record_outcome(
                session=session,
                appointment=appointment,
                attended=how == "attended",
                actor_user_id=None,
            )
        elif how == "cancelled":
            cancel(
                session=session, appointment=appointment, actor_user_id=None, actor_role="adviser"
            )
        elif how == "deferred":
            adviser_user = session.exec(select(User).where(User.role == "adviser")).first()
            assert adviser_user is not None
            defer(
                session=session,
                profile=profile,
                review_on=date(2027, 1, 11),
                reason="nhs-treatment",
                adviser_user=adviser_user,
            )
        elif how == "moved":
            from app.people.models import Adviser

            adviser = session.get(Adviser, appointment.adviser_id)
            assert adviser is not None
            later = make_slot(session, adviser, london_datetime(date(2026, 12, 15), 14))
            move_to_slot(
                session=session,
                appointment=appointment,
                slot=later,
                actor_user_id=None,
                actor_role="client",
            )
        else:  # a status set by a route that forgot to tell anyone: caught when sending
            appointment.status = AppointmentStatus.missed
            session.add(appointment)

    return end


@pytest.mark.parametrize("how", ["attended", "missed", "cancelled", "deferred", "moved", "no-hook"])
def test_reminders_stop_the_moment_an_appointment_ends_in_any_way(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session], how: str
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 9)):
        profile, user = _client(session, lead_times="day-before,morning-of,2-hours")
        appointment = _book(session, profile, london_datetime(TUESDAY, 14))
        session.commit()
    with frozen_now(london_datetime(MONDAY, 10)):
        _ends(how)(session, appointment, profile, user)
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 18))
    reminders = [a for a in arrivals if a.body.startswith("Reminder")]
    assert reminders == []
