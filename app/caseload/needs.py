"""What an adviser should see before booking: needs and preferences, never private labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from app.appointments import repository as appointments
from app.appointments.models import Appointment, AppointmentStatus, HelpRequest, StandingNeed
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
    help: list[HelpRequest]  # on appointments still to come, soonest appointment first
    # Help the client keeps for every appointment, and group or one-to-one sessions: shown first.
    standing: list[StandingNeed] = field(default_factory=list)
    session_format: str | None = None
    # {help request id: when its appointment starts}, so each answer names its appointment.
    help_when: dict[int, datetime] = field(default_factory=dict)


def needs_for(*, session: Session, profile: ClientProfile) -> ClientNeeds:
    """A client's standing needs, session preference, time needs, busy times (when, never
    what) and the help asked for on booked appointments still to come."""
    assert profile.id is not None
    prefs = preferences(session=session, client_id=profile.id)
    help_requests = session.exec(
        select(HelpRequest, Appointment.starts_at)
        .join(Appointment, col(Appointment.id) == col(HelpRequest.appointment_id))
        .where(
            Appointment.client_id == profile.id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at), col(HelpRequest.id))
    ).all()
    session_preference = appointments.session_preference(session=session, client_id=profile.id)
    return ClientNeeds(
        busy=[
            BusyForAdviser(b.weekday, b.on_date, b.starts, b.ends)
            for b in busy_times(session=session, client_id=profile.id)
        ],
        not_before=prefs.not_before if prefs else None,
        not_after=prefs.not_after if prefs else None,
        avoid_weekdays=[int(d) for d in prefs.avoid_weekdays] if prefs else [],
        help=[h for h, _starts in help_requests],
        standing=list(appointments.standing_needs(session=session, client_id=profile.id)),
        session_format=session_preference.session_format if session_preference else None,
        help_when={h.id: starts for h, starts in help_requests if h.id is not None},
    )
