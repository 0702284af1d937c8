"""Advisers publish the times they have free: one-off or repeating weekly, per venue or mode."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from app.appointments.models import AppointmentMode, AvailabilitySlot
from app.core.clock import WallClock, london_datetime, wall_clock_problem

MAX_WEEKS = 12


def publish(
    *,
    session: Session,
    adviser_id: int,
    day: date,
    hour: int,
    minute: int,
    duration_minutes: int,
    mode: AppointmentMode,
    venue_id: int | None,
    repeat_weeks: int = 1,
    offered_to_client_id: int | None = None,
    open_on: Callable[[date], bool] = lambda _day: True,
    fold: int = 0,
    skip_overlaps: bool = False,
) -> list[AvailabilitySlot]:
    """Add a slot, or the same wall-clock time on each of the next `repeat_weeks` weeks,
    leaving out the weeks whose day the office is closed (`open_on` says; a bank holiday)
    and, with `skip_overlaps` (the adviser's own form), those where it would overlap a free
    time they already have (two clients could be booked into the same half hour)."""
    series = str(uuid.uuid4()) if repeat_weeks > 1 else None
    slots = []
    for week in range(max(1, min(repeat_weeks, MAX_WEEKS))):
        on = day + timedelta(weeks=week)
        if not open_on(on) or wall_clock_problem(on, time(hour, minute)) == WallClock.missing:
            continue  # closed, or a week whose clocks skip that time
        starts_at = london_datetime(on, hour, minute, fold=fold)
        if skip_overlaps and overlapping(session, adviser_id, starts_at, duration_minutes):
            continue
        slot = AvailabilitySlot(
            adviser_id=adviser_id,
            venue_id=venue_id,
            mode=mode,
            # London wall-clock time each week, so 10:00 stays 10:00 across a clock change.
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            offered_to_client_id=offered_to_client_id,
            series=series,
        )
        session.add(slot)
        slots.append(slot)
    session.flush()
    return slots


# No free time is longer than this (the form's limit is 120 minutes): how far back to look for
# one that may still be running at a new one's start.
LONGEST_SLOT = timedelta(hours=8)


def overlapping(
    session: Session, adviser_id: int, starts_at: datetime, duration_minutes: int
) -> AvailabilitySlot | None:
    """A free time of the adviser's (booked or not) that overlaps the `duration_minutes` from
    `starts_at` (aware UTC), or None. Touching end to start is not overlapping."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    near = session.exec(
        select(AvailabilitySlot).where(
            AvailabilitySlot.adviser_id == adviser_id,
            col(AvailabilitySlot.starts_at) > starts_at - LONGEST_SLOT,
            col(AvailabilitySlot.starts_at) < ends_at,
        )
    ).all()
    for slot in near:
        start = slot.starts_at if slot.starts_at.tzinfo else slot.starts_at.replace(tzinfo=UTC)
        if start < ends_at and starts_at < start + timedelta(minutes=slot.duration_minutes):
            return slot
    return None
