"""What an adviser should see before booking: needs and preferences, never private labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, HelpRequest
from app.core.clock import utcnow
from app.people.models import ClientProfile
from app.rescheduling.repository import busy_times, preferences


@dataclass(frozen=True)
class BusyForAdviser:
    """A client's busy time as an adviser sees it: when, never what."""

    weekday: int | None
    on_date: date | None
    starts: time
    ends: time


@dataclass(frozen=True)
class ClientNeeds:
    busy: list[BusyForAdviser]
    not_before: time | None
    not_after: time | None
    avoid_weekdays: list[int]
    help: list[HelpRequest]


def needs_for(*, session: Session, profile: ClientProfile) -> ClientNeeds:
    assert profile.id is not None
    prefs = preferences(session=session, client_id=profile.id)
    help_requests = session.exec(
        select(HelpRequest)
        .join(Appointment, col(Appointment.id) == col(HelpRequest.appointment_id))
        .where(Appointment.client_id == profile.id, col(Appointment.starts_at) >= utcnow())
        .order_by(col(HelpRequest.id))
    ).all()
    return ClientNeeds(
        busy=[
            BusyForAdviser(b.weekday, b.on_date, b.starts, b.ends)
            for b in busy_times(session=session, client_id=profile.id)
        ],
        not_before=prefs.not_before if prefs else None,
        not_after=prefs.not_after if prefs else None,
        avoid_weekdays=[int(d) for d in prefs.avoid_weekdays] if prefs else [],
        help=list(help_requests),
    )
