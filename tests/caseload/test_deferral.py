"""Deferral pauses interviews with a review date; the client sees it kindly."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.availability import publish
from app.appointments.booking import book_slot
from app.appointments.models import AppointmentKind, AppointmentMode, AppointmentStatus
from app.core.clock import london_today, to_london
from app.people.models import ClientProfile, ClientStatus, User
from tests.factories import (
    done_in,
    make_adviser,
    make_client,
    open_day_ahead,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


def _pause_for_three_weeks(db: Session, profile: ClientProfile, adviser_user: User) -> None:
    from app.caseload.deferral import defer

    defer(
        session=db,
        profile=profile,
        review_on=london_today() + timedelta(weeks=3),
        reason="health",
        adviser_user=adviser_user,
    )


def test_deferring_pauses_cancels_future_interviews_and_the_client_sees_the_date(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert adviser.id is not None and profile.id is not None
    slot = publish(
        session=db,
        adviser_id=adviser.id,
        day=london_today() + timedelta(days=5),
        hour=14,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
    )[0]
    appointment = book_slot(
        session=db,
        slot=slot,
        client_id=profile.id,
        kind=AppointmentKind.wfi,
        wfi_number=2,
        actor_user_id=None,
        actor_role="adviser",
    )
    sign_in_staff(client, adviser_user)
    review = london_today() + timedelta(weeks=6)
    while review.weekday() >= 5 or (review.month, review.day) in ((12, 25), (12, 26), (1, 1)):
        review += timedelta(days=1)  # a review date is a day the office is open
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/defer",
        {"review_on": review.isoformat(), "reason": "nhs-treatment"},
    )
    assert done_in(response.headers["location"])["deferred"] == "yes"
    db.refresh(profile)
    db.refresh(appointment)
    db.refresh(slot)
    assert profile.status == ClientStatus.paused and profile.paused_until == review
    assert appointment.status == AppointmentStatus.cancelled and slot.appointment_id is None

    client.cookies.clear()
    sign_in_client(client, db, user)
    home = client.get("/home").text
    assert "Your appointments are paused until" in home
    assert "The door is open" in home


def test_a_review_date_on_a_day_the_office_is_closed_is_refused(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    saturday = london_today() + timedelta(days=1)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/defer",
        {"review_on": saturday.isoformat(), "reason": "health"},
    )
    assert response.status_code == 400
    assert "The office is closed that day. Choose another day" in response.text
    assert f'value="{saturday.isoformat()}"' in response.text
    db.refresh(profile)
    assert profile.status == ClientStatus.active


def test_a_review_date_in_the_past_is_refused(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/defer",
        {"review_on": london_today().isoformat(), "reason": "health"},
    )
    assert response.status_code == 400
    assert "Enter a review date after today and within a year" in response.text
    db.refresh(profile)
    assert profile.status == ClientStatus.active


def test_a_pause_answers_not_well_enough_for_both_sides(client: TestClient, db: Session) -> None:
    from app.rescheduling.service import not_well_enough

    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Macsen Client")
    not_well_enough(session=db, profile=profile, appointment=None, actor_user_id=user.id)
    sign_in_staff(client, adviser_user)
    assert "not well enough right now" in client.get("/adviser").text
    _pause_for_three_weeks(db, profile, adviser_user)
    db.flush()
    # The adviser's list no longer asks for what has been done...
    attention = client.get("/adviser").text
    assert "Macsen Client</a>: not well enough right now" not in attention
    # ...and the client's page no longer promises a better time while paused.
    client.cookies.clear()
    sign_in_client(client, db, user)
    home = client.get("/home").text
    assert "paused until" in home
    assert "will get in touch to find a better time" not in home


def test_a_pause_can_be_made_longer_at_its_review_and_the_client_is_told_the_new_date(
    client: TestClient, db: Session
) -> None:
    from app.caseload.attention import attention_list
    from app.caseload.deferral import defer
    from app.caseload.repository import caseload

    def kinds() -> list[str]:
        assert adviser.id is not None
        everyone = caseload(session=db, adviser_id=adviser.id)
        return [
            i.kind
            for i in attention_list(session=db, adviser_id=adviser.id, caseload=everyone).items
        ]

    from app.core.clock import frozen_now, london_datetime

    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Heledd Paused")
    today = london_today()
    with frozen_now(london_datetime(today - timedelta(days=14), 10)):
        defer(
            session=db, profile=profile, review_on=today, reason="health", adviser_user=adviser_user
        )
    assert kinds() == ["review-due"]
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    page = client.get(record).text
    assert "Change the review date" in page and "Keep paused until this date" in page
    # The form starts from the pause as it stands: changing the date keeps the reason.
    form = parse(page).select_one(f'form[action="{record}/defer"]')
    assert form is not None
    assert form.select_one("#review_on")["value"] == today.isoformat()  # type: ignore[index]
    assert form.select_one("#reason option[selected]")["value"] == "health"  # type: ignore[index]
    later = today + timedelta(weeks=4)
    while later.weekday() >= 5 or (later.month, later.day) in ((12, 25), (12, 26), (1, 1)):
        later += timedelta(days=1)
    response = post_form(
        client,
        record,
        f"{record}/defer",
        {"review_on": later.isoformat(), "reason": "nhs-treatment"},
    )
    assert response.status_code == 303
    db.refresh(profile)
    assert profile.status == ClientStatus.paused and profile.paused_until == later
    assert kinds() == []
    client.cookies.clear()
    sign_in_client(client, db, user)
    assert "Your appointments are paused until" in client.get("/home").text


def test_a_review_date_used_before_still_gets_its_check_in_and_work_check_ins_stay(
    db: Session,
) -> None:
    """Pause until A, change to B, then back to A: a check-in waits for A (the cancelled first
    one must not count as already planned), one only; and the check-ins planned after the
    client started work are not called off by pausing."""
    from sqlmodel import col, select

    from app.caseload.deferral import defer, resume
    from app.delivery.models import Notification, NotificationKind, NotificationStatus
    from app.reminders.planner import plan_work_check_ins

    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Iolo Twice")
    plan_work_check_ins(db, profile, london_today() - timedelta(days=3), (2, 6))
    first = london_today() + timedelta(weeks=3)
    second = first + timedelta(weeks=2)

    def pending_check_ins() -> list[Notification]:
        return list(
            db.exec(
                select(Notification).where(
                    Notification.subject == f"client:{profile.id}",
                    Notification.kind == NotificationKind.check_in,
                    Notification.status == NotificationStatus.pending,
                    col(Notification.idempotency_key).contains("check-in-review"),
                )
            ).all()
        )

    def work_check_ins() -> int:
        return len(
            db.exec(
                select(Notification).where(
                    Notification.subject == f"client:{profile.id}",
                    Notification.status == NotificationStatus.pending,
                    col(Notification.idempotency_key).contains("check-in-work"),
                )
            ).all()
        )

    assert work_check_ins() == 2
    for review_on in (first, second, first):
        defer(
            session=db,
            profile=profile,
            review_on=review_on,
            reason="health",
            adviser_user=adviser_user,
        )
        db.flush()
    waiting = pending_check_ins()
    assert len(waiting) == 1
    assert to_london(waiting[0].due_at).date() == first
    assert work_check_ins() == 2
    resume(session=db, profile=profile, adviser_user=adviser_user)
    db.flush()
    assert pending_check_ins() == [] and work_check_ins() == 2


def test_ending_a_pause_that_has_already_ended_changes_nothing(db: Session) -> None:
    from sqlmodel import func, select

    from app.audit.models import AuditEvent
    from app.caseload.deferral import resume

    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Rhys Resumed")

    def resumed() -> int:
        return db.exec(
            select(func.count()).where(
                AuditEvent.client_id == profile.id, AuditEvent.action == "client.resumed"
            )
        ).one()

    resume(session=db, profile=profile, adviser_user=adviser_user)  # never paused
    assert resumed() == 0
    _pause_for_three_weeks(db, profile, adviser_user)
    resume(session=db, profile=profile, adviser_user=adviser_user)
    resume(session=db, profile=profile, adviser_user=adviser_user)  # a second, stale form
    db.flush()
    assert resumed() == 1 and profile.status == ClientStatus.active


def test_a_paused_client_s_record_says_why_in_what_s_next(client: TestClient, db: Session) -> None:
    """Once paused, the record said only "Paused until" (outside-in pass): the reason given
    is there too."""
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Paused Why")
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    review = open_day_ahead(28)
    post_form(
        client,
        record,
        f"{record}/defer",
        {"review_on": review.isoformat(), "reason": "nhs-treatment"},
    )
    listed = parse(client.get(record).text).select_one("#whats-next-list")
    assert listed is not None
    assert "(reason: NHS treatment)" in " ".join(listed.get_text(" ").split())
