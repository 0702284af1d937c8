"""What an adviser should see before booking: needs and preferences, never private labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AvailabilitySlot, HelpRequest
from app.core.clock import utcnow
from app.people.models import ClientProfile
from app.rescheduling import policy
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


def bookable_slots(
    *, session: Session, profile: ClientProfile, adviser_id: int
) -> list[AvailabilitySlot]:
    """The adviser's free slots that suit this client, soonest first."""
    from app.rescheduling.service import client_rules

    assert profile.id is not None
    busy, prefs = client_rules(session=session, client_id=profile.id)
    slots = session.exec(
        select(AvailabilitySlot)
        .where(
            AvailabilitySlot.adviser_id == adviser_id,
            col(AvailabilitySlot.appointment_id).is_(None),
            col(AvailabilitySlot.starts_at) >= utcnow(),
        )
        .order_by(col(AvailabilitySlot.starts_at))
        .limit(200)
    ).all()
    return [s for s in slots if policy.suits_client(s.starts_at, s.ends_at, busy, prefs)][:20]
