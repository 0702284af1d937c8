"""Attention items derived from the record's state, beyond the ones in attention.py: client
requests that still ask for something, check-in answers waiting for the adviser, and job
starts that overtake a booked interview. Each asks "is this still true now?", so it leaves the
list whichever route did the thing (the adviser, the client, a support person, the worker)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    ChangeKind,
)
from app.core.clock import to_london, utcnow
from app.messages.check_ins import CheckInReply, waiting_answers
from app.people.models import ClientProfile, ClientStatus
from app.rescheduling.models import RequestKind, RescheduleRequest

T = TypeVar("T")


def request_still_asks(*, session: Session, request: RescheduleRequest) -> bool:
    """Whether an open request still asks the adviser for something.

    "Not well enough" is answered by a pause (by whoever paused the client). "A new time" is
    answered once its appointment is no longer booked and ahead (cancelled, missed, passed) or
    has been moved since the client asked, by anyone."""
    if request.kind == RequestKind.not_well:
        profile = session.get(ClientProfile, request.client_id)
        return profile is None or profile.status != ClientStatus.paused
    if request.appointment_id is None:
        return True
    appointment = session.get(Appointment, request.appointment_id)
    if appointment is None or appointment.status != AppointmentStatus.booked:
        return False
    if _aware(appointment.starts_at) < utcnow():
        return False
    moved_since = session.exec(
        select(AppointmentChange.id).where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == ChangeKind.moved,
            col(AppointmentChange.changed_at) >= request.created_at,
        )
    ).first()
    return moved_since is None


def live_requests(*, session: Session, requests: Sequence[T], request_of: Any = None) -> list[T]:
    """Keep the requests (or rows holding one; `request_of` picks it out) that still ask."""
    pick = request_of or (lambda row: row)
    return [row for row in requests if request_still_asks(session=session, request=pick(row))]


def check_in_answers_waiting(*, session: Session, client_ids: Any) -> list[CheckInReply]:
    """Check-in answers asking for contact that the adviser has not acted on yet."""
    return waiting_answers(session=session, client_ids=client_ids)


def interviews_after_job_start(
    *, session: Session, profiles: Sequence[ClientProfile]
) -> list[tuple[ClientProfile, Appointment]]:
    """Booked interviews still ahead on or after the day the client starts work: the client
    may not be free, so the adviser moves or cancels them. Leaves when it is moved before the
    start or cancelled (or the job start is taken back)."""
    starting = {p.id: p for p in profiles if p.in_work_since is not None and p.id is not None}
    if not starting:
        return []
    found = []
    for appointment in session.exec(
        select(Appointment)
        .where(
            col(Appointment.client_id).in_(list(starting)),
            Appointment.kind == AppointmentKind.wfi,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at))
    ).all():
        profile = starting[appointment.client_id]
        started: date | None = profile.in_work_since
        if started is not None and to_london(_aware(appointment.starts_at)).date() >= started:
            found.append((profile, appointment))
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
