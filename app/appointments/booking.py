"""Booking and moving appointments against slots, atomically and never twice.

A slot is claimed with a conditional UPDATE ("... WHERE appointment_id IS NULL") and a unique
constraint backs it up, so two people choosing the same slot at the same moment get exactly
one booking, on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from app.appointments.hooks import after_appointment_change
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    AvailabilitySlot,
    ChangeKind,
)
from app.appointments.needs import copy_needs_to, reopen_arranged
from app.appointments.order import window, window_of
from app.core.clock import utcnow
from app.people.models import ClientProfile


class SlotTaken(Exception):  # noqa: N818 - reads better at the call site than SlotTakenError
    """Someone else booked this slot first."""


class SlotNotForThisClient(SlotTaken):
    """The slot is another adviser's, or kept for another client. A subclass of SlotTaken
    so every caller already answers it as "that time has gone" and changes nothing."""


class OutOfOrder(SlotTaken):
    """The time would put an interview before an earlier one or after a later one booked
    (`order.window`). A subclass of SlotTaken: a caller that says no more answers it as
    "that time has gone"; one that can (the adviser's booking) says why."""


def may_hold(slot: AvailabilitySlot, *, client_id: int, client_adviser_id: int | None) -> bool:
    """Whose free time this is: a slot may hold an appointment only for a client on its own
    adviser's caseload and, if the adviser kept it for one client, only for that client.

    Every booking and move goes through `book_slot` or `move_to_slot`, which check this, so no
    path can put a client in another adviser's diary.
    """
    return (
        client_adviser_id is not None
        and slot.adviser_id == client_adviser_id
        and slot.offered_to_client_id in (None, client_id)
    )


def _check_owner(session: Session, slot: AvailabilitySlot, client_id: int) -> None:
    profile = session.get(ClientProfile, client_id)
    adviser_id = profile.adviser_id if profile is not None else None
    if not may_hold(slot, client_id=client_id, client_adviser_id=adviser_id):
        raise SlotNotForThisClient


def _claim(session: Session, slot_id: int, appointment_id: int) -> None:
    result = session.execute(
        update(AvailabilitySlot)
        .where(col(AvailabilitySlot.id) == slot_id, col(AvailabilitySlot.appointment_id).is_(None))
        .values(appointment_id=appointment_id)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise SlotTaken


def _release(session: Session, appointment_id: int) -> None:
    session.execute(
        update(AvailabilitySlot)
        .where(col(AvailabilitySlot.appointment_id) == appointment_id)
        .values(appointment_id=None)
    )


def book_slot(
    *,
    session: Session,
    slot: AvailabilitySlot,
    client_id: int,
    kind: AppointmentKind,
    wfi_number: int | None,
    actor_user_id: int | None,
    actor_role: str,
    asked_by: tuple[str | None, int | None] = (None, None),
) -> Appointment:
    """Create an appointment in a free slot (`asked_by`: the role and user id of whoever asked
    for this time, when that is not the actor; said in the history).

    Raises SlotTaken if it has gone, SlotNotForThisClient if it is not this client's to take,
    OutOfOrder if it would put an interview out of order.
    """
    _check_owner(session, slot, client_id)
    keeps_order = window(session=session, client_id=client_id, number=wfi_number)
    if not keeps_order.allows(slot.starts_at, slot.duration_minutes):
        raise OutOfOrder
    appointment = Appointment(
        client_id=client_id,
        adviser_id=slot.adviser_id,
        kind=kind,
        wfi_number=wfi_number,
        starts_at=slot.starts_at,
        duration_minutes=slot.duration_minutes,
        mode=slot.mode,
        venue_id=slot.venue_id,
    )
    with session.begin_nested():
        session.add(appointment)
        session.flush()
        assert appointment.id is not None and slot.id is not None
        _claim(session, slot.id, appointment.id)
        session.add(
            AppointmentChange(
                appointment_id=appointment.id,
                actor_user_id=actor_user_id,
                actor_role=actor_role,
                change=ChangeKind.booked,
                to_starts_at=appointment.starts_at,
                asked_by_role=asked_by[0],
                asked_by_user_id=asked_by[1],
            )
        )
    # The help the client keeps for every appointment goes on this one too, for the adviser.
    copy_needs_to(session=session, appointment=appointment)
    after_appointment_change(session=session, appointment=appointment, change=ChangeKind.booked)
    return appointment


def move_to_slot(
    *,
    session: Session,
    appointment: Appointment,
    slot: AvailabilitySlot,
    actor_user_id: int | None,
    actor_role: str,
    asked_by: tuple[str | None, int | None] = (None, None),
    keep_length: bool = False,
    reason: str | None = None,
) -> Appointment:
    """Move an appointment to a free slot in one transaction: old slot freed, new one taken
    (`asked_by`: the role and user id of whoever asked for the move, when not the actor).
    It takes the slot's length, or (`keep_length`, a time the client chose: they are shown
    their appointment's own length, never asked to agree another) keeps its own. `reason`:
    why the client moved it, if they said (kept on the history line, for the adviser).

    Raises SlotTaken if it has gone, SlotNotForThisClient if it is not this client's to take,
    OutOfOrder if it would put an interview out of order.
    """
    assert appointment.id is not None and slot.id is not None
    _check_owner(session, slot, appointment.client_id)
    length = appointment.duration_minutes if keep_length else slot.duration_minutes
    if not window_of(session, appointment).allows(slot.starts_at, length):
        raise OutOfOrder
    previous = appointment.starts_at
    was_at = (str(appointment.mode), appointment.venue_id)
    chose_an_offer = slot.offered_to_client_id == appointment.client_id
    with session.begin_nested():
        _release(session, appointment.id)
        _claim(session, slot.id, appointment.id)
        if chose_an_offer:
            # Times offered to this client were for choosing a new time: one is chosen now,
            # so the rest go back to everyone (and leave the client's home page). A move to
            # any other time (the adviser's, say) leaves the offers open for the client.
            session.execute(
                update(AvailabilitySlot)
                .where(
                    col(AvailabilitySlot.offered_to_client_id) == appointment.client_id,
                    col(AvailabilitySlot.appointment_id).is_(None),
                )
                .values(offered_to_client_id=None)
            )
        appointment.starts_at = slot.starts_at
        appointment.duration_minutes = length
        appointment.mode = slot.mode
        appointment.venue_id = slot.venue_id
        appointment.adviser_id = slot.adviser_id
        appointment.sequence += 1
        _log_change(
            session,
            appointment,
            ChangeKind.moved,
            actor_user_id,
            actor_role,
            previous,
            asked_by,
            was_at=was_at,
            reason=reason,
        )
    reopen_arranged(session=session, appointment=appointment)
    after_appointment_change(session=session, appointment=appointment, change=ChangeKind.moved)
    return appointment


def cancel(
    *, session: Session, appointment: Appointment, actor_user_id: int | None, actor_role: str
) -> None:
    """Cancel an appointment and free its slot."""
    assert appointment.id is not None
    _release(session, appointment.id)
    appointment.status = AppointmentStatus.cancelled
    appointment.sequence += 1
    _log_change(
        session, appointment, ChangeKind.cancelled, actor_user_id, actor_role, appointment.starts_at
    )
    after_appointment_change(session=session, appointment=appointment, change=ChangeKind.cancelled)


def record_outcome(
    *, session: Session, appointment: Appointment, attended: bool, actor_user_id: int | None
) -> None:
    """After the time has passed, the adviser records whether the client came. A missed
    appointment is never a mark against anyone: it puts "find a new time" on the adviser's list."""
    assert appointment.id is not None
    appointment.status = AppointmentStatus.attended if attended else AppointmentStatus.missed
    change = ChangeKind.attended if attended else ChangeKind.missed
    _log_change(session, appointment, change, actor_user_id, "adviser", appointment.starts_at)
    after_appointment_change(session=session, appointment=appointment, change=change)


def _log_change(
    session: Session,
    appointment: Appointment,
    change: str,
    actor_user_id: int | None,
    actor_role: str,
    from_starts_at: datetime | None,
    asked_by: tuple[str | None, int | None] = (None, None),
    *,
    was_at: tuple[str, int | None] | None = None,
    reason: str | None = None,
) -> None:
    """Save the appointment and add the line both sides see in its history (`was_at`: a
    moved appointment's mode and venue before the move)."""
    assert appointment.id is not None
    appointment.updated_at = utcnow()
    session.add(appointment)
    moved = change == ChangeKind.moved
    session.add(
        AppointmentChange(
            appointment_id=appointment.id,
            actor_user_id=actor_user_id,
            actor_role=actor_role,
            change=change,
            from_starts_at=from_starts_at,
            to_starts_at=appointment.starts_at if moved else None,
            asked_by_role=asked_by[0],
            asked_by_user_id=asked_by[1],
            from_mode=was_at[0] if was_at else None,
            from_venue_id=was_at[1] if was_at else None,
            reason=reason,
        )
    )
    session.flush()
