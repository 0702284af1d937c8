"""What has changed about an appointment since the client was last told of it, that they
must act on: where they go, or whether it is a phone call. (Its time is in every message.)

A message about an appointment, written when it goes (reminders.at_send), adds a discreet
sentence for such a change: "The place has changed." names no place on a lock screen. The
change is measured from the last version of the appointment a message about it reached the
client with, so a change is said even when the message that would have said it never went
(replaced by a later move, or overtaken by a reminder), and is not said again after.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AppointmentChange, AppointmentMode, ChangeKind
from app.delivery.models import Notification, NotificationKind, NotificationStatus

TOLD = (NotificationStatus.sent, NotificationStatus.delivered)


class Change(StrEnum):
    place = "place"  # in person (or at home) somewhere else
    to_phone = "to-phone"  # now a phone call: nowhere to go
    to_in_person = "to-in-person"  # was a phone call: now somewhere to go


def told_version(session: Session, subject: str) -> int:
    """The latest version of the appointment a confirmation or reminder reached the client
    with; 0 (as booked) if none has yet."""
    found = session.exec(
        select(func.max(Notification.subject_version)).where(
            Notification.subject == subject,
            col(Notification.kind).in_([NotificationKind.confirmation, NotificationKind.reminder]),
            col(Notification.status).in_(TOLD),
        )
    ).one()
    return found or 0


def change_since(
    session: Session, appointment: Appointment, told: int, *, own_place: bool
) -> Change | None:
    """Where-to-go change between version `told` and now, or None. Every move is one version
    (booking.move_to_slot), so the move out of version `told` says where it was then.
    `own_place`: the client meets at a home or community place arranged for them, so a new
    diary venue does not change where they go."""
    moves = session.exec(
        select(AppointmentChange)
        .where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == ChangeKind.moved,
        )
        .order_by(col(AppointmentChange.id))
    ).all()
    if told >= len(moves) or moves[told].from_mode is None:
        return None  # nothing moved since, or moved before where it was was kept
    was = moves[told]
    was_phone = was.from_mode == AppointmentMode.phone
    is_phone = appointment.mode == AppointmentMode.phone
    if is_phone and not was_phone:
        return Change.to_phone
    if was_phone and not is_phone:
        return Change.to_in_person
    if is_phone:
        return None
    if was.from_mode != appointment.mode:
        return Change.place  # in person at an office, now at home (or the other way)
    if was.from_venue_id != appointment.venue_id and not own_place:
        return Change.place
    return None
