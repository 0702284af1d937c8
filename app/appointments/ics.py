"""Calendar files (RFC 5545), written with the `icalendar` package: one appointment, or a
client's private feed.

Times are written in Europe/London with a VTIMEZONE, so a phone shows 2:30pm whichever side
of a clock change the appointment falls; an event in the hour the clocks go back, whose
London times are ambiguous, is written in UTC. UID never changes; SEQUENCE goes up on every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote, urlencode

from icalendar import Calendar, Event, Timezone, vText

from app.appointments.models import AppointmentStatus
from app.core.clock import to_london, utcnow

PRODID = "-//My Pathways//Appointments//EN"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


class Scheduled(Protocol):
    """What a calendar event is made from: an appointment, or an activity."""

    @property
    def uid(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class CalendarEntry:
    appointment: Scheduled
    summary: str  # discreet: never "Jobcentre" or "benefit" (calendars show on lock screens)
    location: str
    description: str


def _event(entry: CalendarEntry, stamp: datetime) -> Event:
    appointment = entry.appointment
    cancelled = appointment.status == AppointmentStatus.cancelled
    event = Event()
    event.add("uid", f"{appointment.uid}@mypathways")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", stamp)
    start, end = appointment.starts_at, appointment.ends_at
    if _second_of_two(start) or _second_of_two(end):
        # A London time that happens twice (the hour the clocks go back) means the first of
        # the two in a calendar file (RFC 5545 §3.3.5): 01:30 to 01:30 was an event of no
        # length. Such an event is written in UTC, which every calendar shows in local time.
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", end.astimezone(UTC))
    else:
        # London wall-clock times with TZID=Europe/London (the VTIMEZONE below says its rules).
        london = {"TZID": "Europe/London"}
        event.add("dtstart", _london(start), parameters=london)
        event.add("dtend", _london(end), parameters=london)
    # Text values escaped per RFC 5545 §3.3.11 (commas, semicolons, backslashes and line
    # breaks), whatever a person or an administrator typed.
    event.add("summary", ExactText(entry.summary))
    event.add("location", ExactText(entry.location))
    event.add("description", ExactText(entry.description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


class ExactText(vText):
    """A TEXT value escaped exactly as RFC 5545 §3.3.11 says. icalendar 7.3 first turns a
    typed backslash and capital N into a line break ("Unit \\North" would come back as
    "Unit " and "orth"); everything else is the library's."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        return text.encode("utf-8")


def _london(moment: datetime) -> datetime:
    return to_london(moment).replace(tzinfo=None)


def _second_of_two(moment: datetime) -> bool:
    """Whether `moment` (UTC) is, in London, the second of a wall-clock time that happens
    twice: 01:30 GMT on the last Sunday of October, after 01:30 BST."""
    return to_london(moment).fold == 1


def calendar(entries: Iterable[CalendarEntry], *, method: str | None = None) -> str:
    """A whole VCALENDAR (CRLF lines folded at 75 octets, by the `icalendar` package).

    A single cancelled appointment is sent with METHOD:CANCEL.
    """
    stamp = utcnow()
    entries = list(entries)
    if method is None and len(entries) == 1:
        cancelled = entries[0].appointment.status == AppointmentStatus.cancelled
        method = "CANCEL" if cancelled else "PUBLISH"
    body = Calendar()
    body.add("version", "2.0")
    body.add("prodid", PRODID)
    body.add("calscale", "GREGORIAN")
    if method:
        body.add("method", method)
    body.add_component(Timezone.from_ical("\r\n".join(VTIMEZONE)))
    for entry in entries:
        body.add_component(_event(entry, stamp))
    ical: bytes = body.to_ical()
    return ical.decode()


GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/action/compose"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(entry: CalendarEntry) -> str:
    """A link that opens Google Calendar's "new event" page filled in with the same discreet
    title, place and description as the calendar file (times in UTC, `start/end`)."""
    appointment = entry.appointment
    query = {
        "action": "TEMPLATE",
        "text": entry.summary,
        "dates": f"{_utc_stamp(appointment.starts_at)}/{_utc_stamp(appointment.ends_at)}",
        "details": entry.description,
        "location": entry.location,
    }
    return f"{GOOGLE_TEMPLATE}?{urlencode(query, quote_via=quote)}"


def outlook_link(entry: CalendarEntry) -> str:
    """A link that opens Outlook.com's "new event" page filled in like the calendar file
    (ISO 8601 times in UTC)."""
    appointment = entry.appointment
    query = {
        "subject": entry.summary,
        "startdt": appointment.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": appointment.ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": entry.description,
        "location": entry.location,
    }
    return f"{OUTLOOK_COMPOSE}?{urlencode(query, quote_via=quote)}"


def subscription_link(https_link: str) -> str:
    """The same feed as a `webcal:` link, which a phone opens in its calendar app as a
    subscription (kept up to date) rather than a one-off import."""
    scheme, _, rest = https_link.partition("://")
    return f"webcal://{rest}" if scheme in ("http", "https") else https_link
