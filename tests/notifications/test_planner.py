"""What gets planned, in the transaction of the change that causes it: confirmations, reminders
at the client's times, check-ins; and what a move, a cancellation or a pause calls off."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.appointments.booking import cancel, move_to_slot
from app.caseload.deferral import defer, resume
from app.caseload.job_start import record_job_start
from app.core.clock import frozen_now, london_datetime, to_london
from app.delivery.models import Notification, NotificationKind
from app.people.models import ClientProfile, ReminderSettings
from app.reminders.planner import plan_for_appointment, plan_suggestion, replan_client
from tests.factories import make_adviser, make_appointment, make_client, make_slot

NOW = london_datetime(date(2026, 11, 25), 10)  # Wednesday morning
THURSDAY_2PM = london_datetime(date(2026, 11, 26), 14)
FRIDAY_11AM = london_datetime(date(2026, 11, 27), 11)


def planned(db: Session, profile: ClientProfile, status: str = "pending") -> list[tuple[str, str]]:
    rows = db.exec(
        select(Notification)
        .where(Notification.user_id == profile.user_id, Notification.status == status)
        .order_by(col(Notification.due_at))
    ).all()
    return [(str(row.kind), to_london(row.due_at).strftime("%a %H:%M")) for row in rows]


def test_booking_plans_a_confirmation_and_reminders_at_the_default_times(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    with frozen_now(NOW):
        make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
    assert planned(db, profile) == [
        ("confirmation", "Wed 10:00"),
        ("reminder", "Wed 17:00"),
        ("reminder", "Thu 12:00"),
    ]
    reminder = db.exec(
        select(Notification)
        .where(Notification.kind == NotificationKind.reminder)
        .where(Notification.user_id == user.id)
    ).first()
    assert reminder is not None
    # A booked appointment's reminder is not routine contact: a pause never stops it.
    assert not reminder.routine and reminder.recipient == user.phone
    assert reminder.body == "Reminder: you have an appointment tomorrow at 2pm."


def test_planning_twice_never_duplicates(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        appointment = make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        before = planned(db, profile)
        plan_for_appointment(db, appointment, "replan")
        replan_client(db, profile)
    assert planned(db, profile) == before


def test_moving_cancels_the_old_times_reminders_and_plans_new_ones(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        appointment = make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        move_to_slot(
            session=db,
            appointment=appointment,
            slot=make_slot(db, adviser, FRIDAY_11AM),
            actor_user_id=None,
            actor_role="client",
        )
    assert planned(db, profile) == [
        ("confirmation", "Wed 10:00"),  # "has moved to Friday"; "booked for Thursday" is off
        ("reminder", "Thu 17:00"),
        ("reminder", "Fri 09:00"),
    ]
    assert planned(db, profile, "cancelled") == [
        ("confirmation", "Wed 10:00"),
        ("reminder", "Wed 17:00"),
        ("reminder", "Thu 12:00"),
    ]


def test_cancelling_cancels_everything_pending(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        appointment = make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        cancel(session=db, appointment=appointment, actor_user_id=None, actor_role="client")
    assert planned(db, profile) == []


def test_new_settings_replan_reminders_with_new_keys(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    assert profile.id is not None
    with frozen_now(NOW):
        make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        db.add(
            ReminderSettings(
                client_id=profile.id, lead_times="1-hour", quiet_end=13 * 60, version=1
            )
        )
        db.flush()
        replan_client(db, profile)
    # The confirmation waiting to go moves to the new quiet hours too.
    assert planned(db, profile) == [("confirmation", "Wed 13:00"), ("reminder", "Thu 13:00")]


def test_a_paused_client_is_reminded_of_what_is_booked_and_gets_a_gentle_check_in(
    db: Session,
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        defer(
            session=db,
            profile=profile,
            review_on=date(2027, 1, 6),
            reason="nhs-treatment",
            adviser_user=adviser_user,
        )
        # The pause cancels Thursday's appointment; one booked while paused (say, a review
        # call) is confirmed and reminded: the client must not miss it.
        make_appointment(db, profile, make_slot(db, adviser, FRIDAY_11AM), kind="review")
    pending = db.exec(
        select(Notification)
        .where(Notification.user_id == profile.user_id, Notification.status == "pending")
        .order_by(col(Notification.due_at))
    ).all()
    kinds = [(str(row.kind), to_london(row.due_at).strftime("%d %b %H:%M")) for row in pending]
    assert ("reminder", "26 Nov 17:00") in kinds  # the day before Friday's review call
    assert [k for k, _ in kinds].count("reminder") == 2
    assert ("check-in", "06 Jan 17:00") in kinds
    paused = next(row for row in pending if row.kind == NotificationKind.paused)
    assert "paused until Wednesday 6 January" in paused.body
    assert "door is open" in paused.body
    check_in = next(row for row in pending if row.kind == NotificationKind.check_in)
    assert check_in.body.startswith("How are things? No need to reply.")
    assert check_in.url == "/check-in"


def test_ending_a_pause_early_calls_off_the_check_in_and_brings_reminders_back(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        defer(
            session=db,
            profile=profile,
            review_on=date(2027, 1, 6),
            reason="health",
            adviser_user=adviser_user,
        )
        make_appointment(db, profile, make_slot(db, adviser, FRIDAY_11AM), kind="review")
        resume(session=db, profile=profile, adviser_user=adviser_user)
    kinds = [kind for kind, _ in planned(db, profile)]
    assert "check-in" not in kinds
    assert kinds.count("reminder") == 2


def test_a_job_start_plans_check_ins_in_weeks_one_two_and_four(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        record_job_start(
            session=db,
            profile=profile,
            started_on=date(2026, 12, 1),
            hours=20,
            actor_user=adviser_user,
        )
    rows = db.exec(
        select(Notification)
        .where(
            Notification.user_id == profile.user_id, Notification.kind == NotificationKind.check_in
        )
        .order_by(col(Notification.due_at))
    ).all()
    assert [to_london(row.due_at).strftime("%d %b %H:%M") for row in rows] == [
        "08 Dec 17:00",
        "15 Dec 17:00",
        "29 Dec 17:00",
    ]
    assert all(row.body.startswith("How is the new job going? No need to reply.") for row in rows)


def test_the_sixth_interview_plans_a_keep_in_touch_check_in_the_day_after(db: Session) -> None:
    adviser, _ = make_adviser(db, name="Sam Patel")
    profile, _ = make_client(db, adviser)
    with frozen_now(NOW):
        appointment = make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
        appointment.wfi_number = 6
        plan_for_appointment(db, appointment, "replan")
    row = db.exec(
        select(Notification).where(
            Notification.user_id == profile.user_id, Notification.kind == NotificationKind.check_in
        )
    ).one()
    # Discreet by default: no adviser's name on a lock screen.
    assert row.body == "Would you like to keep in touch with your adviser?"
    assert to_london(row.due_at).strftime("%d %b %H:%M") == "27 Nov 17:00"


def test_suggested_steps_are_told_only_to_clients_who_asked(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    assert profile.id is not None
    with frozen_now(NOW):
        plan_suggestion(db, profile, step_id=1)
        assert planned(db, profile) == []
        db.add(ReminderSettings(client_id=profile.id, suggestions_on=True))
        db.flush()
        plan_suggestion(db, profile, step_id=1)
    assert planned(db, profile) == [("suggestion", "Wed 10:00")]


def test_messages_wait_for_quiet_hours_to_end(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    late = london_datetime(date(2026, 11, 25), 22, 30)
    with frozen_now(late):
        make_appointment(db, profile, make_slot(db, adviser, FRIDAY_11AM))
    confirmation = planned(db, profile)[0]
    assert confirmation == ("confirmation", "Thu 08:00")


def test_welsh_clients_get_welsh_reminders(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser, language="cy")
    with frozen_now(NOW):
        make_appointment(db, profile, make_slot(db, adviser, THURSDAY_2PM))
    rows = db.exec(select(Notification).where(Notification.user_id == profile.user_id)).all()
    assert rows and all(row.language == "cy" for row in rows)
    assert not any("appointment" in row.body for row in rows)
