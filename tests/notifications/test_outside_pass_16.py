"""What the outside-in pass of issue #16 found, each kept as a test: a confirmation still on
old quiet hours arriving after the reminders, an adviser's name on a lock screen, repeated
deferrals each sending a "paused until", reminders after "not well enough", and a day-before
reminder moved onto the day itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from app.appointments.models import AppointmentKind
from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.people.models import DetailLevel, ReminderSettings, User
from app.reminders.planner import replan_client
from app.rescheduling.service import not_well_enough
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def test_new_quiet_hours_move_a_waiting_confirmation_so_it_never_trails_the_reminders(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(TUESDAY, 1, 53)):
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        settings = ReminderSettings(
            client_id=profile.id, push_on=False, quiet_start=18 * 60, quiet_end=13 * 60
        )
        session.add(settings)
        session.flush()
        make_appointment(
            session, profile, make_slot(session, adviser, london_datetime(TUESDAY, 14))
        )
        session.commit()
    with frozen_now(london_datetime(TUESDAY, 2)):
        settings.quiet_start, settings.quiet_end = 21 * 60, 8 * 60
        settings.lead_times = "day-before,morning-of,2-hours,1-hour"
        settings.version += 1
        session.add(settings)
        replan_client(session, profile)
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 15))
    assert [str(a) for a in arrivals] == [
        "Tue 08 Dec 08:00 Your appointment is booked. It is today at 2pm.",
        "Tue 08 Dec 12:00 Reminder: you have an appointment today at 2pm, in about 2 hours.",
        "Tue 08 Dec 13:00 Reminder: you have an appointment today at 2pm, in about an hour.",
    ]


def test_a_late_confirmation_is_not_sent_after_a_reminder_has_said_it(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 9)):
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False))
        session.flush()
        make_appointment(
            session, profile, make_slot(session, adviser, london_datetime(TUESDAY, 14))
        )
        confirmation = session.exec(
            select(Notification).where(Notification.kind == NotificationKind.confirmation)
        ).one()
        # Held back (a Notify outage, say) until after the day-before reminder went.
        confirmation.next_attempt_at = london_datetime(MONDAY, 18)
        session.add(confirmation)
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 15))
    assert [a.body.split(".")[0] for a in arrivals] == [
        "Reminder: you have an appointment tomorrow at 2pm",
        "Reminder: you have an appointment today at 2pm, in about 2 hours",
    ]


def test_the_check_in_after_the_sixth_names_the_adviser_only_in_detailed_messages(
    committed: Callable[[], Session],
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 9)):
        adviser, _ = make_adviser(session, name="Rhys Adviser")
        bodies = {}
        for detail in (DetailLevel.discreet, DetailLevel.detailed):
            profile, user = make_client(session, adviser)
            assert profile.id is not None
            session.add(ReminderSettings(client_id=profile.id, detail=detail))
            session.flush()
            slot = make_slot(session, adviser, london_datetime(TUESDAY, 14))
            appointment = make_appointment(session, profile, slot)
            appointment.kind, appointment.wfi_number = AppointmentKind.wfi, 6
            from app.reminders.planner import plan_for_appointment

            plan_for_appointment(session, appointment, "booked")
            bodies[detail] = session.exec(
                select(Notification.body).where(
                    Notification.user_id == user.id, Notification.kind == NotificationKind.check_in
                )
            ).one()
    assert bodies[DetailLevel.discreet] == "Would you like to keep in touch with your adviser?"
    assert "Rhys" in bodies[DetailLevel.detailed]


def test_deferring_again_replaces_the_waiting_paused_message(
    committed: Callable[[], Session],
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 23)):  # in quiet hours: the messages wait
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser)
        for review_on in (date(2026, 12, 9), date(2027, 12, 1), date(2027, 1, 4)):
            defer(
                session=session,
                profile=profile,
                review_on=review_on,
                reason="health",
                adviser_user=adviser_user,
            )
        waiting = session.exec(
            select(Notification.body).where(
                Notification.user_id == user.id,
                Notification.kind == NotificationKind.paused,
                Notification.status == NotificationStatus.pending,
            )
        ).all()
    assert len(waiting) == 1 and "4 January" in waiting[0]


def test_no_reminder_while_not_well_enough_waits_for_the_adviser(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    session = committed()
    with frozen_now(london_datetime(MONDAY, 9)):
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False))
        session.flush()
        appointment = make_appointment(
            session, profile, make_slot(session, adviser, london_datetime(TUESDAY, 14))
        )
        session.commit()
    with frozen_now(london_datetime(MONDAY, 10)):
        not_well_enough(
            session=session,
            profile=profile,
            appointment=appointment,
            actor_user_id=user.id,
        )
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(TUESDAY, 15))
    assert not [a for a in arrivals if a.body.startswith("Reminder")]
    reasons = session.exec(
        select(Notification.last_error).where(
            Notification.user_id == user.id, col(Notification.kind) == NotificationKind.reminder
        )
    ).all()
    assert set(reasons) == {"client said not well enough"}
    assert session.exec(select(User).where(User.id == user.id)).one()
