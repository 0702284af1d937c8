"""Attention items derived from the record's state, beyond the ones in attention.py: client
requests that still ask for something, check-in answers waiting for the adviser, and job
starts that overtake a booked interview. Each asks "is this still true now?", so it leaves the
list whichever route did the thing (the adviser, the client, a support person, the worker)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from sqlmodel import Session, col, func, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    ChangeKind,
)
from app.core.clock import to_london, utcnow
from app.messages.check_ins import CheckInReply, waiting_answers
from app.rescheduling.models import RequestKind, RescheduleRequest

T = TypeVar("T")


def request_still_asks(*, session: Session, request: RescheduleRequest) -> bool:
    """Whether an open request still asks the adviser for something.

    A pause closes every request open when it began (deferral.defer). What the client asks
    during the pause still asks: they were told their adviser will be in touch. "A new time" is answered once its appointment has been moved since the
    client asked, or, when it is no longer booked and ahead (missed, cancelled, passed), once
    a new time is booked, by anyone."""
    return bool(live_requests(session=session, requests=[request]))


def live_requests(*, session: Session, requests: Sequence[T], request_of: Any = None) -> list[T]:
    """Keep the requests (or rows holding one; `request_of` picks it out) that still ask
    (see request_still_asks). Three queries, however many requests."""
    pick: Any = request_of or (lambda row: row)
    asked = [pick(row) for row in requests]
    if not asked:
        return []
    client_ids = {r.client_id for r in asked}
    appointment_ids = {r.appointment_id for r in asked if r.appointment_id is not None}
    booked_ahead = set(
        session.exec(
            select(Appointment.id).where(
                col(Appointment.id).in_(appointment_ids),
                Appointment.status == AppointmentStatus.booked,
                col(Appointment.starts_at) >= utcnow(),
            )
        ).all()
    )
    last_moved: dict[int, datetime] = dict(
        session.exec(
            select(AppointmentChange.appointment_id, func.max(AppointmentChange.changed_at))
            .where(
                col(AppointmentChange.appointment_id).in_(booked_ahead),
                AppointmentChange.change == ChangeKind.moved,
            )
            .group_by(col(AppointmentChange.appointment_id))
        ).all()
    )

    # When each client last had a time booked that is still ahead: a new time, if it came
    # after the request.
    last_booked: dict[int, datetime] = dict(
        session.exec(
            select(Appointment.client_id, func.max(AppointmentChange.changed_at))
            .join(Appointment, col(Appointment.id) == col(AppointmentChange.appointment_id))
            .where(
                col(Appointment.client_id).in_(client_ids),
                Appointment.status == AppointmentStatus.booked,
                col(Appointment.starts_at) >= utcnow(),
                col(AppointmentChange.change).in_([ChangeKind.booked, ChangeKind.moved]),
            )
            .group_by(col(Appointment.client_id))
        ).all()
    )

    def since(moment: datetime | None, request: RescheduleRequest) -> bool:
        return moment is not None and _aware(moment) >= _aware(request.created_at)

    def still_asks(request: RescheduleRequest) -> bool:
        if request.kind == RequestKind.not_well or request.appointment_id is None:
            return True
        if request.appointment_id in booked_ahead:
            return not since(last_moved.get(request.appointment_id), request)
        # Missed, cancelled or passed: it asks for a new time until one is booked.
        return not since(last_booked.get(request.client_id), request)

    return [row for row, request in zip(requests, asked, strict=True) if still_asks(request)]


def check_in_answers_waiting(*, session: Session, client_ids: Any) -> list[CheckInReply]:
    """Check-in answers asking for contact that the adviser has not acted on yet."""
    return waiting_answers(session=session, client_ids=client_ids)


class _StartsWork(Protocol):
    # A client's profile, or the caseload's plain copy of it (caseload.repository).
    @property
    def id(self) -> int | None: ...
    @property
    def in_work_since(self) -> date | None: ...


StartsWork = TypeVar("StartsWork", bound=_StartsWork)


def interviews_after_job_start(
    *, session: Session, profiles: Sequence[StartsWork]
) -> list[tuple[StartsWork, Appointment]]:
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
