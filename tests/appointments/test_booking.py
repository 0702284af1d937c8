"""Booking, moving and cancelling against slots: one appointment per slot, nothing half-done."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.appointments.booking import SlotTaken, book_slot, cancel, move_to_slot
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentKind,
    AppointmentStatus,
    AvailabilitySlot,
)
from app.core.clock import london_datetime
from tests.factories import make_adviser, make_appointment, make_client, make_slot

DAY = date(2026, 6, 3)


def _changes(db: Session, appointment: Appointment) -> list[str]:
    rows = db.exec(
        select(AppointmentChange)
        .where(AppointmentChange.appointment_id == appointment.id)
        .order_by(col(AppointmentChange.id))
    ).all()
    return [row.change for row in rows]


def _holder(db: Session, slot: AvailabilitySlot) -> int | None:
    db.refresh(slot)
    return slot.appointment_id


def test_booking_a_free_slot_makes_an_appointment_at_its_time(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    slot = make_slot(db, adviser, london_datetime(DAY, 14, 30), duration_minutes=45)

    appointment = make_appointment(db, profile, slot)

    assert appointment.id is not None
    assert appointment.starts_at == slot.starts_at
    assert appointment.duration_minutes == 45
    assert appointment.adviser_id == adviser.id
    assert appointment.status == AppointmentStatus.booked
    assert _holder(db, slot) == appointment.id
    assert _changes(db, appointment) == ["booked"]


def test_the_same_slot_cannot_be_booked_twice(db: Session) -> None:
    adviser, _ = make_adviser(db)
    first, _ = make_client(db, adviser, name="First Client")
    second, _ = make_client(db, adviser, name="Second Client")
    slot = make_slot(db, adviser, london_datetime(DAY, 10))
    booked = make_appointment(db, first, slot)

    assert second.id is not None
    with pytest.raises(SlotTaken):
        book_slot(
            session=db,
            slot=slot,
            client_id=second.id,
            kind=AppointmentKind.wfi,
            wfi_number=1,
            actor_user_id=None,
            actor_role="adviser",
        )

    assert _holder(db, slot) == booked.id
    # The failed attempt leaves nothing behind: no appointment, no history for the second client.
    assert db.exec(select(Appointment).where(Appointment.client_id == second.id)).all() == []
    assert db.exec(
        select(Appointment).where(col(Appointment.starts_at) == slot.starts_at)
    ).all() == [booked]


def test_moving_frees_the_old_slot_and_takes_the_new_one(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    old = make_slot(db, adviser, london_datetime(DAY, 10))
    new = make_slot(db, adviser, london_datetime(DAY, 15), duration_minutes=30)
    appointment = make_appointment(db, profile, old)
    uid, sequence = appointment.uid, appointment.sequence

    move_to_slot(
        session=db, appointment=appointment, slot=new, actor_user_id=None, actor_role="client"
    )

    db.refresh(appointment)
    assert _holder(db, old) is None
    assert _holder(db, new) == appointment.id
    assert appointment.starts_at == new.starts_at
    assert appointment.duration_minutes == 30
    assert appointment.uid == uid
    assert appointment.sequence == sequence + 1
    moved = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == appointment.id, AppointmentChange.change == "moved"
        )
    ).one()
    assert moved.from_starts_at == old.starts_at
    assert moved.to_starts_at == new.starts_at
    assert moved.actor_role == "client"


def test_moving_to_a_taken_slot_changes_nothing(db: Session) -> None:
    adviser, _ = make_adviser(db)
    mine, _ = make_client(db, adviser, name="Mine")
    theirs, _ = make_client(db, adviser, name="Theirs")
    my_slot = make_slot(db, adviser, london_datetime(DAY, 10))
    their_slot = make_slot(db, adviser, london_datetime(DAY, 11))
    appointment = make_appointment(db, mine, my_slot)
    other = make_appointment(db, theirs, their_slot)

    with pytest.raises(SlotTaken):
        move_to_slot(
            session=db,
            appointment=appointment,
            slot=their_slot,
            actor_user_id=None,
            actor_role="client",
        )

    db.refresh(appointment)
    # Atomic: the old slot was not freed even though the release ran before the claim failed.
    assert _holder(db, my_slot) == appointment.id
    assert _holder(db, their_slot) == other.id
    assert appointment.starts_at == my_slot.starts_at
    assert appointment.sequence == 0
    assert _changes(db, appointment) == ["booked"]


def test_cancelling_frees_the_slot_and_marks_the_appointment(db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, _ = make_client(db, adviser)
    slot = make_slot(db, adviser, london_datetime(DAY, 10))
    appointment = make_appointment(db, profile, slot)

    cancel(session=db, appointment=appointment, actor_user_id=None, actor_role="adviser")

    db.refresh(appointment)
    assert appointment.status == AppointmentStatus.cancelled
    assert appointment.sequence == 1
    assert _holder(db, slot) is None
    assert _changes(db, appointment) == ["booked", "cancelled"]


def test_a_freed_slot_can_be_booked_again(db: Session) -> None:
    adviser, _ = make_adviser(db)
    first, _ = make_client(db, adviser, name="First")
    second, _ = make_client(db, adviser, name="Second")
    slot = make_slot(db, adviser, london_datetime(DAY, 10))
    cancel(
        session=db,
        appointment=make_appointment(db, first, slot),
        actor_user_id=None,
        actor_role="client",
    )

    again = make_appointment(db, second, slot)

    assert _holder(db, slot) == again.id
    assert again.client_id == second.id
