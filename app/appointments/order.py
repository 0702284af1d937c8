"""Work Focused Interviews keep their order: interview 2 never comes before interview 1.

The six interviews are numbered in the order they happen (PSI 2009, ch. 4: the first about 8
weeks after the claim, then five more about every 4 weeks). So a time for interview n must
start after the nearest earlier-numbered interview that is booked or held ends, and end
before the nearest later-numbered interview that is booked starts. A missed or cancelled
interview does not count: it is booked again under its own number. A later interview already
held (attended) does not hold an earlier one back either: it cannot be undone, and the
earlier one is still to be had. Nothing else is invented: no minimum gap between interviews
(the study gives "about four weeks", a target, not a rule).

Every booking and move goes through `booking.book_slot` and `booking.move_to_slot`, which
refuse a time out of order (`OutOfOrder`); every list of times for an interview leaves such
times out (`rescheduling.service.suitable_slots`), so none is offered, chosen or booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AppointmentStatus


@dataclass(frozen=True)
class Window:
    """Where interview `number` may go: after `after` (the earlier interview's end) and ending
    by `before` (the later interview's start); None on either side: no limit there."""

    number: int | None = None
    after: datetime | None = None
    before: datetime | None = None
    earlier: Appointment | None = None  # the interview it must follow, if any
    later: Appointment | None = None  # the booked interview it must come before, if any

    def allows(self, start: datetime, minutes: int) -> bool:
        """Whether a time starting at `start` and lasting `minutes` keeps the order."""
        start = aware(start)
        end = start + timedelta(minutes=minutes)
        if self.after is not None and start < self.after:
            return False
        return self.before is None or end <= self.before


ANYWHERE = Window()  # not an interview, or no neighbours: any time keeps the order


def aware(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite gives stored times back naive, in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def window(
    *, session: Session, client_id: int, number: int | None, leaving_out: int | None = None
) -> Window:
    """The window for the client's interview `number` (None: not an interview, `ANYWHERE`),
    judged against their other interviews (`leaving_out`: the appointment being moved)."""
    if number is None:
        return ANYWHERE
    others = session.exec(
        select(Appointment).where(
            Appointment.client_id == client_id,
            col(Appointment.wfi_number).is_not(None),
            col(Appointment.status).in_([AppointmentStatus.booked, AppointmentStatus.attended]),
        )
    ).all()
    others = [a for a in others if a.id != leaving_out and a.wfi_number is not None]
    earlier = [a for a in others if a.wfi_number is not None and a.wfi_number < number]
    later = [
        a
        for a in others
        if a.wfi_number is not None
        and a.wfi_number > number
        and a.status == AppointmentStatus.booked
    ]
    before = min(later, key=lambda a: aware(a.starts_at), default=None)
    after = max(earlier, key=lambda a: aware(a.ends_at), default=None)
    return Window(
        number=number,
        after=aware(after.ends_at) if after else None,
        before=aware(before.starts_at) if before else None,
        earlier=after,
        later=before,
    )


def window_of(session: Session, appointment: Appointment) -> Window:
    """The window a booked appointment may move within (`ANYWHERE` unless an interview)."""
    return window(
        session=session,
        client_id=appointment.client_id,
        number=appointment.wfi_number,
        leaving_out=appointment.id,
    )
