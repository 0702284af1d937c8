"""Calendar files (RFC 5545): one appointment, or a client's private feed.

Times are written in Europe/London with a VTIMEZONE, so a phone shows 2:30pm whichever side
of a clock change the appointment falls. UID never changes; SEQUENCE goes up on every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.appointments.models import Appointment, AppointmentStatus
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


@dataclass(frozen=True)
class CalendarEntry:
    appointment: Appointment
    summary: str  # discreet: never "Jobcentre" or "benefit" (calendars show on lock screens)
    location: str
    description: str


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 §3.1), never splitting a UTF-8 character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _local(moment: datetime) -> str:
    return to_london(moment).strftime("%Y%m%dT%H%M%S")


def _event(entry: CalendarEntry, stamp: datetime) -> list[str]:
    appointment = entry.appointment
    cancelled = appointment.status == AppointmentStatus.cancelled
    return [
        "BEGIN:VEVENT",
        f"UID:{appointment.uid}@mypathways",
        f"SEQUENCE:{appointment.sequence}",
        f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;TZID=Europe/London:{_local(appointment.starts_at)}",
        f"DTEND;TZID=Europe/London:{_local(appointment.ends_at)}",
        f"SUMMARY:{escape(entry.summary)}",
        f"LOCATION:{escape(entry.location)}",
        f"DESCRIPTION:{escape(entry.description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
    ]


def calendar(entries: Iterable[CalendarEntry], *, method: str | None = None) -> str:
    """A whole VCALENDAR. A single cancelled appointment is sent with METHOD:CANCEL."""
    stamp = utcnow()
    entries = list(entries)
    if method is None and len(entries) == 1:
        cancelled = entries[0].appointment.status == AppointmentStatus.cancelled
        method = "CANCEL" if cancelled else "PUBLISH"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines += VTIMEZONE
    for entry in entries:
        lines += _event(entry, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
