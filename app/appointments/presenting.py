"""Turning appointments into what a client reads: discreet titles, places, calendar entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.appointments.ics import CalendarEntry
from app.appointments.models import Appointment, AppointmentMode
from app.core.i18n import gettext as _
from app.offices.models import Venue
from app.people.models import Adviser, User


@dataclass(frozen=True)
class AppointmentView:
    appointment: Appointment
    venue: Venue | None
    adviser_name: str | None

    @property
    def where(self) -> str:
        if self.appointment.mode == AppointmentMode.phone:
            return _("By phone. Your adviser will call you.")
        if self.appointment.mode == AppointmentMode.home_visit:
            return _("At your home")
        if self.venue is None:
            return ""
        return ", ".join(p for p in (self.venue.name, self.venue.address, self.venue.postcode) if p)

    @property
    def discreet_where(self) -> str:
        """Where, without the venue's name (it may say "Jobcentre"): for a calendar, which shows
        on a lock screen, unless the client chose detailed messages."""
        if self.appointment.mode != AppointmentMode.in_person or self.venue is None:
            return self.where
        return ", ".join(p for p in (self.venue.address, self.venue.postcode) if p)

    @property
    def map_link(self) -> str | None:
        if (
            self.appointment.mode != AppointmentMode.in_person
            or not self.venue
            or not self.venue.postcode
        ):
            return None
        return "https://www.openstreetmap.org/search?query=" + self.venue.postcode.replace(" ", "+")


def present(session: Session, appointment: Appointment) -> AppointmentView:
    venue = session.get(Venue, appointment.venue_id) if appointment.venue_id else None
    adviser = session.get(Adviser, appointment.adviser_id)
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    return AppointmentView(appointment, venue, adviser_user.display_name if adviser_user else None)


def calendar_entry(view: AppointmentView, *, detailed: bool = False) -> CalendarEntry:
    """The calendar event for an appointment. Calendars show on lock screens: the title says
    who, never "Jobcentre" or "benefit", and the place leaves out the venue's name unless the
    client chose detailed messages (`detailed`)."""
    who = view.adviser_name or _("your adviser")
    return CalendarEntry(
        appointment=view.appointment,
        # The adviser's name only if the client chose detail: the lock-screen rule of texts.
        summary=_("Appointment with %(name)s") % {"name": who} if detailed else _("Appointment"),
        location=view.where if detailed else view.discreet_where,
        description=_("You can see or change this appointment in My Pathways."),
    )
