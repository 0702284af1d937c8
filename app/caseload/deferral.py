"""Deferring a client's interviews (e.g. during NHS treatment): a pause with a review date.

Since ESA, interviews can be deferred but not waived (PSI 2009, fn 1 and 5), so a deferral
always has a date when the adviser looks again. Booked appointments after today are cancelled
(and their calendar entries with them); nothing is deleted.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.appointments.booking import cancel
from app.appointments.models import Appointment, AppointmentStatus
from app.audit.service import record
from app.core.clock import utcnow
from app.people.models import ClientProfile, ClientStatus, Role, User
from app.reminders.planner import end_pause, plan_pause

REASONS = ("nhs-treatment", "health", "caring", "other")


def defer(
    *, session: Session, profile: ClientProfile, review_on: date, reason: str, adviser_user: User
) -> int:
    """Pause the client until the review date; returns how many appointments were cancelled."""
    profile.status = ClientStatus.paused
    profile.paused_until = review_on
    session.add(profile)
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
    plan_pause(session, profile, review_on)
    record(
        session=session,
        action="client.deferred",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
        detail={"review_on": review_on.isoformat(), "reason": reason},
    )
    return len(upcoming)


def resume(*, session: Session, profile: ClientProfile, adviser_user: User) -> None:
    """End a pause early: the client is active again and can be booked."""
    profile.status = ClientStatus.active
    profile.paused_until = None
    session.add(profile)
    end_pause(session, profile)
    record(
        session=session,
        action="client.resumed",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
    )
