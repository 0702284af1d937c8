"""The adviser moves or cancels a client's booked appointment from the client's record.

Both go through the booking services the client's own changes use (`move_to_slot`, `cancel`):
the new time is claimed atomically (never double-booked), the old one goes back to the pool,
the appointment's history says the adviser did it, its calendar SEQUENCE goes up, and
`after_appointment_change` plans the client's messages again (a move sends "Your appointment
has moved"). A cancellation also tells the client, kindly. It is never a missed appointment:
its status is "cancelled", which nothing counts against the client.
"""

from __future__ import annotations

from sqlmodel import Session

from app.appointments.booking import SlotTaken, cancel, may_hold, move_to_slot
from app.appointments.models import Appointment, AvailabilitySlot
from app.audit.service import record
from app.core.clock import utcnow
from app.offices.calendar import is_open
from app.people.models import ClientProfile, Role, User
from app.reminders import wording
from app.reminders.planner import tell_client
from app.rescheduling.service import EARLIEST_OFFER, local_day, office_of, suits

# Why the adviser cancelled, from a fixed list: never free text (it could hold health details).
CANCEL_REASONS = ("client-asked", "adviser-unavailable", "booked-by-mistake", "other")


class NotChangeable(Exception):  # noqa: N818 - reads better at the call site
    """The appointment is no longer booked, or has started: nothing was changed."""


def changeable(appointment: Appointment) -> bool:
    """Booked and still to come: the only appointments an adviser can move or cancel (the
    same rule as the client's, Appointment.still_to_come)."""
    return appointment.still_to_come


def may_book(*, session: Session, profile: ClientProfile, slot: AvailabilitySlot) -> bool:
    """Whether the adviser may put this client in this time: free, theirs to hold, at least
    the programme's notice away (`EARLIEST_OFFER`, 24 hours, as every list of times), on a
    day the office is open, and suiting the client's busy times and preferences (as every
    list of times the adviser picks from). Interviews keep their order: `move_to_slot`
    refuses a time out of order."""
    assert profile.id is not None
    office = office_of(session, slot.adviser_id)
    return (
        slot.appointment_id is None
        and may_hold(slot, client_id=profile.id, client_adviser_id=profile.adviser_id)
        and slot.starts_at >= utcnow() + EARLIEST_OFFER
        and (office is None or is_open(office, local_day(slot)))
        and suits(session=session, client_id=profile.id, start=slot.starts_at, end=slot.ends_at)
    )


def move(
    *,
    session: Session,
    profile: ClientProfile,
    appointment: Appointment,
    slot: AvailabilitySlot,
    adviser_user: User,
) -> Appointment:
    """Move the appointment to `slot` for the client, and write the audit line.

    Raises NotChangeable if the appointment is over or cancelled, SlotTaken if the time can
    no longer be booked for this client (taken, gone by, or clashing)."""
    if not changeable(appointment):
        raise NotChangeable
    if not may_book(session=session, profile=profile, slot=slot):
        raise SlotTaken
    previous = appointment.starts_at
    move_to_slot(
        session=session,
        appointment=appointment,
        slot=slot,
        actor_user_id=adviser_user.id,
        actor_role=Role.adviser,
    )
    record(
        session=session,
        action="appointment.moved",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
        detail={
            "appointment_id": appointment.id,
            "from": previous.isoformat(),
            "to": appointment.starts_at.isoformat(),
        },
    )
    return appointment


def cancel_for_client(
    *,
    session: Session,
    profile: ClientProfile,
    appointment: Appointment,
    reason: str | None,
    adviser_user: User,
) -> None:
    """Cancel the appointment (its time goes back to the pool), tell the client, and write
    the audit line with the reason chosen, if any. Raises NotChangeable if it is over."""
    if not changeable(appointment):
        raise NotChangeable
    cancel(
        session=session,
        appointment=appointment,
        actor_user_id=adviser_user.id,
        actor_role=Role.adviser,
    )
    tell_client(
        session,
        profile,
        wording.CANCELLED,
        wording.cancelled_message_values(appointment.starts_at, profile.language),
    )
    record(
        session=session,
        action="appointment.cancelled",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
        detail={
            "appointment_id": appointment.id,
            "reason": reason if reason in CANCEL_REASONS else None,
        },
    )
