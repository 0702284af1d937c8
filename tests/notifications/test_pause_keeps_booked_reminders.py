"""A pause stops routine contact, never the reminders of something booked: an appointment or
activity booked while a client is paused was booked knowingly, and the client must not miss it
for lack of its reminder (outside-in pass, reminders and texts, item 1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session

from app.appointments.activities import book_activity
from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime
from app.people.models import ReminderSettings
from app.reminders.planner import replan_client
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

MONDAY, WEDNESDAY, THURSDAY = date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 10)


def test_an_appointment_booked_during_a_pause_is_still_reminded(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False))
        session.flush()
        defer(
            session=session,
            profile=profile,
            review_on=date(2027, 1, 6),
            reason="nhs-treatment",
            adviser_user=adviser_user,
        )
        slot = make_slot(session, adviser, london_datetime(WEDNESDAY, 14))
        make_appointment(session, profile, slot, kind="review")
        book_activity(
            session=session,
            client_id=profile.id,
            title="Confidence course",
            provider="Provider",
            place="Library",
            starts_at=london_datetime(THURSDAY, 11),
            duration_minutes=60,
            bring="",
            contact="",
            actor_user_id=adviser_user.id,
        )
        # Re-planning (new settings, say) while still paused must not drop them either.
        replan_client(session, profile)
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(THURSDAY, 12))
    bodies = [str(a) for a in arrivals]
    assert "Tue 08 Dec 17:00 Reminder: you have an appointment tomorrow at 2pm." in bodies
    assert "Wed 09 Dec 17:00 Reminder: you have something booked tomorrow at 11am." in bodies
    assert any(b.startswith("Wed 09 Dec 12:00 Reminder: you have an appointment") for b in bodies)


def test_a_reminder_waiting_when_the_pause_begins_is_kept_if_its_appointment_stands(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    """Pausing again (a new review date) cancels nothing booked, so its reminders stand."""
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False))
        session.flush()
        defer(
            session=session,
            profile=profile,
            review_on=date(2027, 1, 6),
            reason="health",
            adviser_user=adviser_user,
        )
        make_appointment(
            session, profile, make_slot(session, adviser, london_datetime(WEDNESDAY, 14)), "review"
        )
        session.commit()
    with frozen_now(london_datetime(MONDAY, 11)):
        later = date(2027, 1, 6) + timedelta(days=7)
        defer(
            session=session,
            profile=profile,
            review_on=later,
            reason="health",
            adviser_user=adviser_user,
        )
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(WEDNESDAY, 15))
    assert "Tue 08 Dec 17:00 Reminder: you have an appointment tomorrow at 2pm." in [
        str(a) for a in arrivals
    ]
