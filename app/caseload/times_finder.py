"""Finding a week of the adviser's free times at one place for one client: shared by the
"Find a time" page (to offer or book) and "Change time" (to move a booked appointment).

The week and place come from the query string (`?day=2026-12-21&where=3`), so "next week" is
a plain link and no JavaScript is needed. Each time says its place and length (`present_slots`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from app.accounts.caseload import CaseloadClient
from app.appointments.models import Appointment, AppointmentMode, AppointmentStatus
from app.appointments.presenting import present_slots
from app.appointments.wfi import next_number
from app.caseload.forms import FIND_TIMES_DAYS, FindTimesForm
from app.core.clock import london_today, utcnow
from app.core.forms import FormErrors, Posted, parse_form
from app.core.i18n import gettext as _
from app.offices.calendar import bank_holiday, is_open
from app.offices.models import Office, Venue, VenueKind
from app.people.models import ClaimantType, ClientProfile
from app.rescheduling.service import PHONE, week_of_slots


@dataclass
class FoundWeek:
    """What a page of times shows: `ok` False when the week or place would not do (the
    page is drawn again with `context`'s errors and what was typed, 400)."""

    ok: bool
    context: dict[str, Any] = field(default_factory=dict)


def place_of(appointment: Appointment | None) -> str:
    """The finder's `where` for an appointment's place: "phone", a venue's id, or "any"."""
    if appointment is None:
        return "any"
    if appointment.mode == AppointmentMode.phone:
        return PHONE
    return str(appointment.venue_id) if appointment.venue_id else "any"


def usual_place(session: Session, client_id: int) -> str:
    """Where the client usually meets their adviser: the place of their next booked
    appointment, else of the last one they came to; "any" if neither (a new client)."""
    upcoming = session.exec(
        select(Appointment)
        .where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at))
    ).first()
    if upcoming is None:
        upcoming = session.exec(
            select(Appointment)
            .where(
                Appointment.client_id == client_id,
                Appointment.status == AppointmentStatus.attended,
            )
            .order_by(col(Appointment.starts_at).desc())
        ).first()
    return place_of(upcoming)


def find_week(
    session: Session,
    client: CaseloadClient,
    query: FormData,
    *,
    default_where: str,
    default_day: date | None = None,
    appointment: Appointment | None = None,
) -> FoundWeek:
    """The week of free times the query asks for (from `default_day`, or today, at
    `default_where`, when it asks for none), with the links to the weeks either side and the
    days the office is shut; to move `appointment`, only times that keep interviews in order."""
    adviser = client.adviser
    assert adviser.adviser.id is not None
    office = session.get(Office, adviser.adviser.office_id)
    venues = [
        v
        for v in session.exec(select(Venue).where(Venue.office_id == adviser.adviser.office_id))
        if v.kind != VenueKind.phone
    ]
    known = {"any", PHONE} | {str(v.id) for v in venues}
    where_default = default_where if default_where in known else "any"
    today = london_today()
    start = max(today, default_day) if default_day else today
    sent = (
        parse_form(FindTimesForm, query)
        if "day" in query or "where" in query
        else Posted(
            values={"day": start.isoformat(), "where": where_default},
            errors=FormErrors(),
            form=FindTimesForm(day=start, where=where_default),
        )
    )
    if sent.form and sent.form.where not in known:
        sent.errors.add("where", _("Choose where"))
    context: dict[str, Any] = {
        "venues": venues,
        "errors": sent.errors,
        "form": sent.values,
        "choices": None,
    }
    if not sent.ok:
        return FoundWeek(ok=False, context=context)
    form = sent.valid()
    where: int | str | None = (
        None if form.where == "any" else (PHONE if form.where == PHONE else int(form.where))
    )
    choices = week_of_slots(
        session=session,
        profile=client.profile,
        adviser_id=adviser.adviser.id,
        week=form.day,
        where=where,
        appointment=appointment,
    )
    following = form.day + timedelta(days=7)
    context.update(
        {
            "choices": choices,
            "times": present_slots(session, choices.slots, for_adviser=True),
            "closed_days": _closed_days(office, form.day),
            "previous_week": max(today, form.day - timedelta(days=7)) if form.day > today else None,
            "next_week": following if (following - today).days <= FIND_TIMES_DAYS else None,
        }
    )
    return FoundWeek(ok=True, context=context)


def _closed_days(office: Office | None, week: date) -> list[tuple[date, str | None]]:
    """The days in the week from `week` the office is closed, each with its bank holiday's
    name if it is one: said on the page, so an empty day is not a mystery."""
    if office is None:
        return []
    days = [week + timedelta(days=n) for n in range(7)]
    return [(day, bank_holiday(office, day)) for day in days if not is_open(office, day)]


def next_wfi_number(session: Session, profile: ClientProfile) -> int | None:
    """The interview a booking for this client is most likely for: the lowest number not
    booked or held (a cancelled or missed one counts as not held: no blame); None for a
    voluntary client, who has no interviews, or when all six are booked."""
    if profile.claimant_type != ClaimantType.mandatory or profile.id is None:
        return None
    held = session.exec(
        select(Appointment.wfi_number).where(
            Appointment.client_id == profile.id,
            col(Appointment.status).in_([AppointmentStatus.booked, AppointmentStatus.attended]),
            col(Appointment.wfi_number).is_not(None),
        )
    ).all()
    return next_number(n for n in held if n is not None)
