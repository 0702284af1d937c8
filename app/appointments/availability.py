"""Advisers publish the times they have free: one-off or repeating weekly, per venue or mode."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, time, timedelta

from sqlmodel import Session

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
) -> list[AvailabilitySlot]:
    """Add a slot, or the same wall-clock time on each of the next `repeat_weeks` weeks,
    leaving out the weeks whose day the office is closed (`open_on` says; a bank holiday)."""
    series = str(uuid.uuid4()) if repeat_weeks > 1 else None
    slots = []
    for week in range(max(1, min(repeat_weeks, MAX_WEEKS))):
        on = day + timedelta(weeks=week)
        if not open_on(on) or wall_clock_problem(on, time(hour, minute)) == WallClock.missing:
            continue  # closed, or a week whose clocks skip that time
        slot = AvailabilitySlot(
            adviser_id=adviser_id,
            venue_id=venue_id,
            mode=mode,
            # London wall-clock time each week, so 10:00 stays 10:00 across a clock change.
            starts_at=london_datetime(on, hour, minute, fold=fold),
            duration_minutes=duration_minutes,
            offered_to_client_id=offered_to_client_id,
            series=series,
        )
        session.add(slot)
        slots.append(slot)
    session.flush()
    return slots
