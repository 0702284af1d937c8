"""The seam between appointments and reminders.

Every booking, move, cancellation or decision calls `after_appointment_change` inside the same
transaction. Whoever builds the application registers the listeners explicitly (`create_app`,
the worker and the CLI call `app.main.wire_listeners`), so nothing depends on which modules
happen to have been imported; appointments never import the reminders above them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.appointments.models import Appointment

AppointmentListener = Callable[[Session, Appointment, str], None]
_listeners: list[AppointmentListener] = []


def on_appointment_change(listener: AppointmentListener) -> AppointmentListener:
    """Register a listener once (registering the same one again changes nothing)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def listeners() -> tuple[AppointmentListener, ...]:
    """The listeners registered so far (for the wiring test)."""
    return tuple(_listeners)


def after_appointment_change(*, session: Session, appointment: Appointment, change: str) -> None:
    """Tell every listener about a change, in the caller's transaction."""
    for listener in _listeners:
        listener(session, appointment, change)
