"""What the client's record says after the adviser acted on it (a success banner), and the
pause form's sensible starting values when the client said they are not well enough."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AppointmentKind, AppointmentStatus
from app.appointments.presenting import AppointmentView, place_name, present
from app.appointments.wfi import too_close
from app.caseload.told import Told, told
from app.core.clock import london_today
from app.core.done_links import whole_number
from app.core.ids import MAX_ID
from app.delivery.models import NotificationKind
from app.offices.calendar import next_open_day
from app.offices.models import Office
from app.people.models import ClientProfile, ClientStatus
from app.reminders.planner import TIMES_OFFERED_NOTE, appointment_subject, client_subject
from app.rescheduling.models import RequestKind, RescheduleRequest

# A pause for "not well enough" is looked at again in four weeks (the interval between
# interviews) unless the adviser chooses otherwise.
PAUSE_REVIEW_AFTER = timedelta(weeks=4)


@dataclass(frozen=True)
class Done:
    """What was just done: "booked", "moved", "cancelled", "offered" (or "not-offered": none of
    the chosen times could be) or "deferred", with the
    appointment it was done to (None for a pause) and, for a pause, how many booked
    appointments it cancelled."""

    kind: str
    appointment: AppointmentView | None = None
    were_booked: int = 0
    offered: int = 0  # for "offered": how many times the client was offered
    # Where the message telling the client stands (read from the outbox, caseload.told).
    told: Told | None = None
    # For an interview booked or moved: the one next to it in number when less than 3 weeks
    # away (its number and start), in case the number or the date was a slip.
    close_to: tuple[int, datetime] | None = None


def done_banner(session: Session, values: Mapping[str, str], profile: ClientProfile) -> Done | None:
    """The success banner the redirect after an action asks for, from its signed values
    (app/core/done_links.py: `offered=2`, `moved=12`, `cancelled=12`, `appointment=12` with
    `booked=yes`, `deferred=yes` with `were_booked=1`); None if none, or the appointment
    named is not this client's."""
    assert profile.id is not None
    about_client = client_subject(profile.id)
    offered = whole_number(values.get("offered", ""))
    if offered is not None:
        if not offered:
            return Done("not-offered")
        prefix = f"{about_client}:{TIMES_OFFERED_NOTE}:"
        telling = told(
            session, subject=about_client, kinds=[NotificationKind.answer], key_prefix=prefix
        )
        return Done("offered", offered=offered, told=telling)
    if values.get("deferred") == "yes":
        telling = told(session, subject=about_client, kinds=[NotificationKind.paused])
        were_booked = whole_number(values.get("were_booked", "")) or 0
        return Done("deferred", were_booked=were_booked, told=telling)
    for kind, key in (("moved", "moved"), ("cancelled", "cancelled"), ("booked", "appointment")):
        if kind == "booked" and values.get("booked") != "yes":
            continue
        appointment_id = whole_number(values.get(key, ""))
        appointment = (
            session.get(Appointment, appointment_id)
            if appointment_id is not None and appointment_id <= MAX_ID
            else None
        )
        if appointment is not None and appointment.client_id == profile.id:
            assert appointment.id is not None
            if kind == "cancelled":  # told by a message of its own (appointment_changes)
                telling = told(
                    session,
                    subject=about_client,
                    kinds=[NotificationKind.answer],
                    key_prefix=f"{about_client}:{NotificationKind.answer}:",
                )
            else:
                telling = told(
                    session,
                    subject=appointment_subject(appointment.id),
                    kinds=[NotificationKind.confirmation],
                )
            close_to = _interview_close_by(session, appointment) if kind != "cancelled" else None
            return Done(kind, present(session, appointment), told=telling, close_to=close_to)
        if kind == "booked":
            return Done(kind)
    return None


def _interview_close_by(session: Session, appointment: Appointment) -> tuple[int, datetime] | None:
    """The client's interview next to this one in number, booked or held, if less than 3 weeks
    from it (wfi.too_close); None for anything but an interview."""
    if appointment.kind != AppointmentKind.wfi or appointment.wfi_number is None:
        return None
    others = session.exec(
        select(Appointment.wfi_number, Appointment.starts_at).where(
            Appointment.client_id == appointment.client_id,
            Appointment.kind == AppointmentKind.wfi,
            col(Appointment.id) != appointment.id,
            col(Appointment.status).in_([AppointmentStatus.booked, AppointmentStatus.attended]),
        )
    ).all()
    return too_close(
        (appointment.wfi_number, _aware(appointment.starts_at)),
        [(number, _aware(start)) for number, start in others if number is not None],
    )


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pause_defaults(
    office: Office | None,
    requests: list[RescheduleRequest],
    *,
    profile: ClientProfile,
    current_reason: str | None,
) -> dict[str, str]:
    """The pause form's starting values: for a client already paused, the review date and
    reason as they stand (changing the date must not quietly change the reason); when the
    client said they are not well enough, the reason "Health" and a review four weeks on (an
    open day); otherwise nothing chosen."""
    if profile.status == ClientStatus.paused and profile.paused_until is not None:
        return {"review_on": profile.paused_until.isoformat(), "reason": current_reason or ""}
    if not any(r.kind == RequestKind.not_well for r in requests):
        return {}
    review: date = london_today() + PAUSE_REVIEW_AFTER
    if office is not None:
        review = next_open_day(office, review)
    return {"review_on": review.isoformat(), "reason": "health"}


def appointment_places(session: Session, appointments: Sequence[Appointment]) -> dict[int, str]:
    """Appointment id -> where it is, in a few words for the adviser's list: the place
    arranged for the client if there is one, else the diary's ("Community Hall", "by phone",
    "home visit")."""
    places: dict[int, str] = {}
    for appointment in appointments:
        assert appointment.id is not None
        view = present(session, appointment)
        arranged = view.arranged_place if view.own_place else None
        places[appointment.id] = arranged or place_name(
            appointment.mode, view.venue, for_adviser=True
        )
    return places
