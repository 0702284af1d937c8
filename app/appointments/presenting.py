"""Turning appointments into what a client reads: discreet titles, places, calendar entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.appointments.activity_models import Activity
from app.appointments.ics import CalendarEntry
from app.appointments.models import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
    HelpKind,
    HelpRequest,
)
from app.appointments.order import aware
from app.core.clock import utcnow
from app.core.formatting import human_datetime
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
    # is where the client goes, so every page, calendar and message says it.
    arranged_place: str | None = None
    # The client asked to meet at home or in a community place and it is not arranged yet:
    # the office in the diary is not where they will go, so it is never shown as settled.
    place_to_arrange: bool = False

    @property
    def own_place(self) -> bool:
        """Met in person at a place arranged for the client, not the diary's venue."""
        return self.appointment.mode == AppointmentMode.in_person and bool(
            self.arranged_place or self.place_to_arrange
        )

    @property
    def where(self) -> str:
        """Where the client goes, in full: the arranged place before the diary's venue."""
        if self.appointment.mode == AppointmentMode.in_person:
            if self.arranged_place:
                return self.arranged_place
            if self.place_to_arrange:
                return PLACE_TO_ARRANGE()
        return self.office_where

    @property
    def office_where(self) -> str:
        """The venue in the adviser's diary, whatever was arranged instead."""
        if self.appointment.mode == AppointmentMode.phone and not self.still_to_come:
            # A call that is over, missed or cancelled: "will call you" would promise one.
            return _("By phone.")
        return where(self.appointment.mode, self.venue)

    @property
    def still_to_come(self) -> bool:
        """Booked and not yet over (happening now counts)."""
        return (
            self.appointment.status == AppointmentStatus.booked
            and aware(self.appointment.ends_at) > utcnow()
        )

    @property
    def at_place(self) -> str:
        if self.own_place:
            if self.arranged_place:
                return _("at %(place)s") % {"place": self.arranged_place}
            return _("at a home or community place")
        return at_place(self.appointment.mode, self.venue)

    @property
    def discreet_where(self) -> str:
        """Where, without the venue's name (it may say "Jobcentre"): for a calendar, which shows
        on a lock screen, unless the client chose detailed messages."""
        if self.own_place:
            return self.where
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


def PLACE_TO_ARRANGE() -> str:  # noqa: N802 - a phrase, composed in the language in use
    return _("A home or community place, still being arranged.")


def where(mode: str, venue: Venue | None) -> str:
    """Where, in full: the venue's name and address, or how it happens instead."""
    if mode == AppointmentMode.phone:
        return _("By phone. Your adviser will call you.")
    if mode == AppointmentMode.home_visit:
        return _("At your home")
    if venue is None:
        return ""
    return ", ".join(p for p in (venue_name(venue), venue_address(venue), venue.postcode) if p)


def place_name(mode: str, venue: Venue | None, *, for_adviser: bool = False) -> str:
    """Where, in a few words for a list of times: "Community Hall", "by phone", "at your home"
    ("home visit" when an adviser reads it: "your" home would be theirs)."""
    if mode == AppointmentMode.phone:
        return _("by phone")
    if mode == AppointmentMode.home_visit:
        return _("home visit") if for_adviser else _("at your home")
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
    # The client meets in person at a place arranged for them (see AppointmentView): a time
    # in person is then at that place, not at the diary's venue.
    own_place: bool = False
    for_adviser: bool = False
    # As a time for one of the client's appointments, which keeps its own length there
    # (rescheduling.policy.holds): that length, not the diary's.
    minutes: int | None = None

    @property
    def _at_own_place(self) -> bool:
        return self.own_place and self.slot.mode == AppointmentMode.in_person

    @property
    def place_name(self) -> str:
        if self._at_own_place:
            return _("at a home or community place")
        return place_name(self.slot.mode, self.venue, for_adviser=self.for_adviser)

    @property
    def label(self) -> str:
        """The time as every list of free times shows it, the client's and the adviser's:
        "Thursday 3 December, 2pm – Community Hall, 45 minutes"."""
        return _("%(when)s – %(place)s, %(minutes)s minutes") % {
            "when": human_datetime(self.slot.starts_at),
            "place": self.place_name,
            "minutes": self.minutes or self.slot.duration_minutes,
        }

    @property
    def at_place(self) -> str:
        if self._at_own_place:
            return _("at a home or community place")
        return at_place(self.slot.mode, self.venue)

    @property
    def where(self) -> str:
        if self._at_own_place:
            return PLACE_TO_ARRANGE()
        return where(self.slot.mode, self.venue)


def present_slots(
    session: Session,
    slots: Sequence[AvailabilitySlot],
    *,
    own_place: bool = False,
    for_adviser: bool = False,
    minutes: int | None = None,
) -> list[SlotView]:
    """Free times with their venues, in the order given. `own_place` and `minutes` as in
    SlotView; `for_adviser`: worded for the adviser, so a home visit is not "at your home"."""
    venues: dict[int, Venue | None] = {}
    for slot in slots:
        if slot.venue_id is not None and slot.venue_id not in venues:
            venues[slot.venue_id] = session.get(Venue, slot.venue_id)
    return [
        SlotView(s, venues.get(s.venue_id) if s.venue_id else None, own_place, for_adviser, minutes)
        for s in slots
    ]


def present(session: Session, appointment: Appointment) -> AppointmentView:
    venue = session.get(Venue, appointment.venue_id) if appointment.venue_id else None
    adviser = session.get(Adviser, appointment.adviser_id)
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    name = adviser_user.display_name if adviser_user else None
    place = place_asked(session, appointment)
    arranged = place.arranged_note if place and place.status == "arranged" else None
    return AppointmentView(
        appointment,
        venue,
        name,
        arranged_place=arranged or None,
        place_to_arrange=place is not None and not arranged,
    )


def place_asked(session: Session, appointment: Appointment) -> HelpRequest | None:
    """The client's "meet at home or in a community place" for this appointment, asked or
    arranged (None if not asked, or the adviser said they would talk about it instead)."""
    return session.exec(
        select(HelpRequest).where(
            HelpRequest.appointment_id == appointment.id,
            HelpRequest.kind == HelpKind.home_or_community,
            col(HelpRequest.status).in_(("asked", "arranged")),
        )
    ).first()


def activity_calendar_entry(activity: Activity, *, detailed: bool = False) -> CalendarEntry:
    """The calendar event for an activity: its name only if the client chose detailed messages
    (a calendar shows on a lock screen), like an appointment's; its place always, since that
    is what the client needs on the day (the adviser is asked to write an address there)."""
    return CalendarEntry(
        appointment=activity,
        summary=activity.title if detailed else _("Something booked for you"),
        location=activity.place or "",
        description=_("You can see the details in My Pathways."),
    )


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
