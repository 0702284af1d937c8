"""The seam between appointments and reminders.

Booking, moving, cancelling and recording who came (`booking.py`), and the adviser's decisions
through them, call `after_appointment_change` inside the same transaction, so reminders stop
the moment an appointment ends in any way. ("Not well enough" writes a history line only: the
appointment stands until it is moved or cancelled.) Whoever builds the application registers
the listeners explicitly (`create_app`,
the worker and the CLI call `app.main.wire_listeners`), so nothing depends on which modules
happen to have been imported; appointments never import the reminders above them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.appointments.activity_models import Activity
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
    """Tell every listener about a change, in the caller's transaction.

    Raises RuntimeError if nothing is listening: a process that forgot to call
    `app.main.wire_listeners` would otherwise move appointments with no reminders, silently.
    """
    if not _listeners:
        raise RuntimeError("no appointment listeners: call app.main.wire_listeners() first")
    for listener in _listeners:
        listener(session, appointment, change)


# Activities (courses and groups booked with providers) tell their own listeners, so the
# reminders above plan for them as what they are.
ActivityListener = Callable[[Session, Activity, str], None]
_activity_listeners: list[ActivityListener] = []


def on_activity_change(listener: ActivityListener) -> ActivityListener:
    """Register a listener for activity changes once."""
    if listener not in _activity_listeners:
        _activity_listeners.append(listener)
    return listener


def after_activity_change(*, session: Session, activity: Activity, change: str) -> None:
    """Tell every activity listener, in the caller's transaction.

    Raises RuntimeError if nothing is listening (see after_appointment_change)."""
    if not _activity_listeners:
        raise RuntimeError("no activity listeners: call app.main.wire_listeners() first")
    for listener in _activity_listeners:
        listener(session, activity, change)
