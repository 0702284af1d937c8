"""Deferring a client's interviews (e.g. during NHS treatment): a pause with a review date.

Since ESA, interviews can be deferred but not waived (PSI 2009, fn 1 and 5), so a deferral
always has a date when the adviser looks again. Booked appointments after today are cancelled
(and their calendar entries with them); nothing is deleted.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, col, select

from app.appointments.booking import cancel
from app.appointments.models import Appointment, AppointmentStatus
from app.audit.models import AuditEvent
from app.audit.service import record
from app.core.clock import utcnow
from app.people.models import ClientProfile, ClientStatus, Role, User
from app.reminders.activities import replan_activities
from app.reminders.pauses import end_pause, plan_pause
from app.rescheduling.models import RequestKind, RequestStatus
from app.rescheduling.repository import open_requests_for_client

REASONS = ("nhs-treatment", "health", "caring", "other")


def defer(
    *, session: Session, profile: ClientProfile, review_on: date, reason: str, adviser_user: User
) -> int:
    """Pause the client until the review date; returns how many appointments were cancelled.

    The first pause cancels what is booked from now on and closes every open request (see
    _answer_open_requests). Pausing a client who is already paused only sets the new review
    date (and reason): an appointment booked since the pause began was booked knowingly and
    stands, and only "not well enough" asked since is answered by the new date."""
    already_paused = profile.status == ClientStatus.paused
    profile.status = ClientStatus.paused
    profile.paused_until = review_on
    session.add(profile)
    cancelled = [] if already_paused else _cancel_upcoming(session, profile, adviser_user)
    _answer_open_requests(session, profile, adviser_user, only_not_well=already_paused)
    plan_pause(session, profile, review_on, new_pause=not already_paused)
    record(
        session=session,
        action="client.deferred",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
        detail={"review_on": review_on.isoformat(), "reason": reason},
    )
    return len(cancelled)


def _cancel_upcoming(
    session: Session, profile: ClientProfile, adviser_user: User
) -> list[Appointment]:
    upcoming = session.exec(
        select(Appointment).where(
            Appointment.client_id == profile.id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
    ).all()
    for appointment in upcoming:
        cancel(
            session=session,
            appointment=appointment,
            actor_user_id=adviser_user.id,
            actor_role=Role.adviser,
        )
    return list(upcoming)


def _answer_open_requests(
    session: Session, profile: ClientProfile, adviser_user: User, *, only_not_well: bool
) -> None:
    """A pause answers what the client had asked: "not well enough right now", and a new time
    for an appointment the pause cancels (`only_not_well`: a new review date cancels nothing,
    so a new time asked for stays open). Each is closed, so the client's page no longer says
    the adviser will find a time, and it leaves the adviser's list."""
    assert profile.id is not None
    for request in open_requests_for_client(session=session, client_id=profile.id):
        if only_not_well and request.kind != RequestKind.not_well:
            continue
        request.status = RequestStatus.paused
        request.decided_at = utcnow()
        request.decided_by_user_id = adviser_user.id
        session.add(request)


def resume(*, session: Session, profile: ClientProfile, adviser_user: User) -> None:
    """End a pause early: the client is active again and can be booked. A client who is not
    paused (a form from a page drawn before someone else resumed them) is left as they are:
    no second "pause ended" in their history, nothing re-planned."""
    if profile.status != ClientStatus.paused:
        return
    profile.status = ClientStatus.active
    profile.paused_until = None
    session.add(profile)
    end_pause(session, profile)
    replan_activities(session, profile)
    record(
        session=session,
        action="client.resumed",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
    )


def current_reason(*, session: Session, client_id: int) -> str | None:
    """The reason given for the client's latest pause (one of REASONS), or None: kept in its
    audit line, so changing the review date can start from it rather than from nothing."""
    detail = session.exec(
        select(AuditEvent.detail)
        .where(AuditEvent.client_id == client_id, AuditEvent.action == "client.deferred")
        .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    reason = json.loads(detail).get("reason") if detail else None
    return reason if reason in REASONS else None
