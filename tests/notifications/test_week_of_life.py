"""A week of one client's life on a controlled clock, through the planner and the worker to the
loopback Notify (issue #16): quiet hours, three lead times, a booking late at night, an
attended interview, a move by the client and the autumn clock change. Asserts exactly which
texts arrive, at which minute."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session

from app.appointments.booking import move_to_slot, record_outcome
from app.appointments.models import Appointment, AppointmentKind
from app.core.clock import frozen_now, london_datetime
from app.people.models import ReminderSettings
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import Arrival, run_until


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time in October 2026 (clocks go back at 2am on Sunday 25th)."""
    return london_datetime(date(2026, 10, day), hour, minute)


def test_a_week_with_a_late_booking_an_interview_a_move_and_the_clocks_going_back(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(_at(19, 9)):
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser, name="Nia")
        assert profile.id is not None
        session.add(
            ReminderSettings(
                client_id=profile.id,
                push_on=False,
                lead_times="day-before,morning-of,1-hour",
                quiet_start=21 * 60,
                quiet_end=8 * 60,
            )
        )
        session.commit()
    phone = str(user.phone)
    arrivals: list[Arrival] = []
    booked: dict[str, Appointment] = {}

    def book(name: str, starts_at: datetime, wfi_number: int) -> Callable[[], None]:
        def action() -> None:
            slot = make_slot(session, adviser, starts_at)
            appointment = make_appointment(session, profile, slot)
            appointment.kind, appointment.wfi_number = AppointmentKind.wfi, wfi_number
            booked[name] = appointment

        return action

    def attended() -> None:
        record_outcome(
            session=session,
            appointment=booked["first"],
            attended=True,
            actor_user_id=adviser_user.id,
        )

    def client_moves_second() -> None:
        move_to_slot(
            session=session,
            appointment=booked["second"],
            slot=make_slot(session, adviser, _at(26, 9, 30)),
            actor_user_id=user.id,
            actor_role="client",
        )

    timeline: list[tuple[datetime, Callable[[], None]]] = [
        (_at(19, 22, 30), book("first", _at(20, 14), 1)),  # the adviser books late at night
        (_at(20, 15), attended),
        (_at(20, 15, 5), book("second", _at(27, 10, 30), 2)),
        (_at(22, 11), client_moves_second),  # to the Monday after the clocks go back
    ]
    for moment, action in timeline:
        arrivals += run_until(outbox, fake_notify, phone, moment)
        with frozen_now(moment):
            action()
            session.commit()
    arrivals += run_until(outbox, fake_notify, phone, _at(28, 12))

    assert [str(arrival) for arrival in arrivals] == [
        # Held by quiet hours, and written when it went: "today", not "tomorrow". The
        # "morning of" reminder due at the same minute is not sent as well.
        "Tue 20 Oct 08:00 Your appointment is booked. It is today at 2pm.",
        "Tue 20 Oct 13:00 Reminder: you have an appointment today at 2pm, in about an hour.",
        "Tue 20 Oct 15:05 Your appointment is booked. It is on Tuesday 27 October at 10:30am.",
        "Thu 22 Oct 11:00 Your appointment has moved. It is now on Monday 26 October at 9:30am.",
        # Sunday is the day the clocks go back: still 5pm on the client's clock.
        "Sun 25 Oct 17:00 Reminder: you have an appointment tomorrow at 9:30am.",
        # "1 hour before" (8:30) is too soon after this one, so it is not sent.
        "Mon 26 Oct 08:00 Reminder: you have an appointment today at 9:30am, in about 2 hours.",
    ]
