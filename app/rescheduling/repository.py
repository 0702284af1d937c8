"""Queries for busy times, preferences, open slots and requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from app.appointments.models import AppointmentChange, AvailabilitySlot, ChangeKind
from app.core.clock import utcnow
from app.rescheduling.models import BusyTime, RequestStatus, RescheduleRequest, TimePreference


def busy_times(*, session: Session, client_id: int) -> Sequence[BusyTime]:
    return session.exec(
        select(BusyTime).where(BusyTime.client_id == client_id).order_by(col(BusyTime.id))
    ).all()


def preferences(*, session: Session, client_id: int) -> TimePreference | None:
    return session.exec(select(TimePreference).where(TimePreference.client_id == client_id)).first()


def open_slots(
    *, session: Session, adviser_id: int, client_id: int, start: datetime, end: datetime
) -> Sequence[AvailabilitySlot]:
    """Free slots of one adviser in a window: open to anyone, or offered to this client."""
    return session.exec(
        select(AvailabilitySlot)
        .where(
            AvailabilitySlot.adviser_id == adviser_id,
            col(AvailabilitySlot.appointment_id).is_(None),
            col(AvailabilitySlot.starts_at) >= start,
            col(AvailabilitySlot.starts_at) <= end,
            or_(
                col(AvailabilitySlot.offered_to_client_id).is_(None),
                AvailabilitySlot.offered_to_client_id == client_id,
            ),
        )
        .order_by(col(AvailabilitySlot.starts_at))
    ).all()


def offered_to(*, session: Session, client_id: int) -> Sequence[AvailabilitySlot]:
    """Free times an adviser kept for this client ("Offer these times"), still to come."""
    return session.exec(
        select(AvailabilitySlot)
        .where(
            AvailabilitySlot.offered_to_client_id == client_id,
            col(AvailabilitySlot.appointment_id).is_(None),
            col(AvailabilitySlot.starts_at) > utcnow(),
        )
        .order_by(col(AvailabilitySlot.starts_at))
    ).all()


def offered_instead_of(*, session: Session, client_id: int) -> int | None:
    """The appointment the adviser's latest offer of other times answered a request about
    (its id), or None if their latest answer was not an offer."""
    latest = session.exec(
        select(RescheduleRequest)
        .where(
            RescheduleRequest.client_id == client_id,
            col(RescheduleRequest.decided_at).is_not(None),
        )
        .order_by(col(RescheduleRequest.decided_at).desc(), col(RescheduleRequest.id).desc())
        .limit(1)
    ).first()
    if latest is None or latest.status != RequestStatus.other_times_offered:
        return None
    return latest.appointment_id


def client_changes(*, session: Session, appointment_id: int) -> int:
    """How many times the client has moved this appointment themselves."""
    count = session.exec(
        select(func.count())
        .select_from(AppointmentChange)
        .where(
            AppointmentChange.appointment_id == appointment_id,
            AppointmentChange.actor_role == "client",
            AppointmentChange.change == ChangeKind.moved,
        )
    ).one()
    return int(count)


def open_requests_for_client(*, session: Session, client_id: int) -> Sequence[RescheduleRequest]:
    return session.exec(
        select(RescheduleRequest).where(
            RescheduleRequest.client_id == client_id,
            RescheduleRequest.status == RequestStatus.open,
        )
    ).all()
