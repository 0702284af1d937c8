"""Turning appointments into what a client reads: discreet titles, places, calendar entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.appointments.ics import CalendarEntry
from app.appointments.models import (
    Appointment,
    AppointmentMode,
    AvailabilitySlot,
    HelpKind,
    HelpRequest,
)
from app.core.i18n import gettext as _
from app.offices.models import Venue
from app.offices.names import venue_address, venue_entrance_notes, venue_name
from app.people.models import Adviser, User


@dataclass(frozen=True)
class AppointmentView:
    appointment: Appointment
    venue: Venue | None
    adviser_name: str | None
    # A home or community place the adviser arranged instead (the client asked for it): it
    # is where the client goes, so calendars say it too.
    arranged_place: str | None = None

    @property
    def where(self) -> str:
        return where(self.appointment.mode, self.venue)

    @property
    def at_place(self) -> str:
        return at_place(self.appointment.mode, self.venue)

    @property
    def discreet_where(self) -> str:
        """Where, without the venue's name (it may say "Jobcentre"): for a calendar, which shows
        on a lock screen, unless the client chose detailed messages."""
        if self.appointment.mode != AppointmentMode.in_person or self.venue is None:
            return self.where
        return ", ".join(p for p in (venue_address(self.venue), self.venue.postcode) if p)

    @property
    def entrance_notes(self) -> str | None:
        """How to get in without steps, in the reader's language; None if not said."""
        return venue_entrance_notes(self.venue) if self.venue is not None else None

    @property
    def map_link(self) -> str | None:
        if (
            self.appointment.mode != AppointmentMode.in_person
            or not self.venue
            or not self.venue.postcode
        ):
            return None
        return "https://www.openstreetmap.org/search?query=" + self.venue.postcode.replace(" ", "+")


def where(mode: str, venue: Venue | None) -> str:
    """Where, in full: the venue's name and address, or how it happens instead."""
    if mode == AppointmentMode.phone:
        return _("By phone. Your adviser will call you.")
    if mode == AppointmentMode.home_visit:
        return _("At your home")
    if venue is None:
        return ""
    return ", ".join(p for p in (venue_name(venue), venue_address(venue), venue.postcode) if p)


def place_name(mode: str, venue: Venue | None) -> str:
    """Where, in a few words for a list of times: "Community Hall", "by phone", "at your home"."""
    if mode == AppointmentMode.phone:
        return _("by phone")
    if mode == AppointmentMode.home_visit:
        return _("at your home")
    return venue_name(venue) if venue is not None else _("in person")


def at_place(mode: str, venue: Venue | None) -> str:
    """Where, inside a sentence: "at Community Hall", "by phone", "at your home"."""
    if mode == AppointmentMode.in_person and venue is not None:
        return _("at %(place)s") % {"place": venue_name(venue)}
    return place_name(mode, venue)


@dataclass(frozen=True)
class SlotView:
    """A free time as a client reads it: when, where and how long."""

    slot: AvailabilitySlot
    venue: Venue | None

    @property
    def place_name(self) -> str:
        return place_name(self.slot.mode, self.venue)

    @property
    def at_place(self) -> str:
        return at_place(self.slot.mode, self.venue)

    @property
    def where(self) -> str:
        return where(self.slot.mode, self.venue)


def present_slots(session: Session, slots: list[AvailabilitySlot]) -> list[SlotView]:
    """Free times with their venues, in the order given."""
    venues: dict[int, Venue | None] = {}
    for slot in slots:
        if slot.venue_id is not None and slot.venue_id not in venues:
            venues[slot.venue_id] = session.get(Venue, slot.venue_id)
    return [SlotView(s, venues.get(s.venue_id) if s.venue_id else None) for s in slots]


def present(session: Session, appointment: Appointment) -> AppointmentView:
    venue = session.get(Venue, appointment.venue_id) if appointment.venue_id else None
    adviser = session.get(Adviser, appointment.adviser_id)
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    name = adviser_user.display_name if adviser_user else None
    return AppointmentView(appointment, venue, name, arranged_place(session, appointment))


def arranged_place(session: Session, appointment: Appointment) -> str | None:
    """The home or community place arranged for this appointment, as the adviser wrote it."""
    found = session.exec(
        select(HelpRequest.arranged_note).where(
            HelpRequest.appointment_id == appointment.id,
            HelpRequest.kind == HelpKind.home_or_community,
            HelpRequest.status == "arranged",
            col(HelpRequest.arranged_note).is_not(None),
        )
    ).first()
    return found or None


def calendar_entry(view: AppointmentView, *, detailed: bool = False) -> CalendarEntry:
    """The calendar event for an appointment. Calendars show on lock screens: the title says
    who, never "Jobcentre" or "benefit", and the place leaves out the venue's name unless the
    client chose detailed messages (`detailed`)."""
    who = view.adviser_name or _("your adviser")
    return CalendarEntry(
        appointment=view.appointment,
        # The adviser's name only if the client chose detail: the lock-screen rule of texts.
        summary=_("Appointment with %(name)s") % {"name": who} if detailed else _("Appointment"),
        location=view.arranged_place or (view.where if detailed else view.discreet_where),
        description=_("You can see or change this appointment in My Pathways."),
    )
