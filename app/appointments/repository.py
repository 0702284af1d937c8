"""Every appointment query lives here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AppointmentStatus
from app.core.clock import utcnow
from app.offices.models import Venue


def upcoming_for_client(
    *, session: Session, client_id: int, limit: int = 10
) -> Sequence[tuple[Appointment, Venue | None]]:
    """Booked appointments from now on, soonest first, with where they happen."""
    return session.exec(
        select(Appointment, Venue)
        .join(Venue, col(Venue.id) == col(Appointment.venue_id), isouter=True)
        .where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at))
        .limit(limit)
    ).all()


def all_for_client(*, session: Session, client_id: int) -> Sequence[Appointment]:
    return session.exec(
        select(Appointment)
        .where(Appointment.client_id == client_id)
        .order_by(col(Appointment.starts_at))
    ).all()
