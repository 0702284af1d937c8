"""The seam between appointments and reminders.

Every booking, move, cancellation or decision calls `after_appointment_change` inside the same
transaction. The reminders work plugs in here to schedule or cancel messages through the
notifications outbox, so that no caller needs to know how reminders work.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.appointments.models import Appointment

AppointmentListener = Callable[[Session, Appointment, str], None]
_listeners: list[AppointmentListener] = []


def on_appointment_change(listener: AppointmentListener) -> AppointmentListener:
    """Register a listener (used by the reminders package at import time)."""
    _listeners.append(listener)
    return listener


def after_appointment_change(*, session: Session, appointment: Appointment, change: str) -> None:
    """Tell every listener about a change, in the caller's transaction."""
    for listener in _listeners:
        listener(session, appointment, change)
