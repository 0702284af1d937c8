"""The rules for changing an appointment, as pure functions: no database, no clock of their own.

The client is never blocked from asking: a choice outside these rules becomes a request the
adviser answers, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

from app.core.clock import to_london

MIN_NOTICE = timedelta(hours=24)  # less notice than this, and the adviser is asked first
HORIZON = timedelta(weeks=8)  # how far ahead a client may pick a time themselves
FREE_CHANGES = 2  # client changes to one appointment before the adviser is asked


@dataclass(frozen=True)
class Busy:
    """A busy time, weekly (weekday set) or one-off (on_date set), in London wall-clock time."""

    starts: time
    ends: time
    weekday: int | None = None
    on_date: date | None = None

    def clashes(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) overlaps this busy time on any day it touches, in London
        wall-clock time: a slot from 23:30 to 00:30 meets a busy time at 23:00 on its first
        day and one at 00:00 on the next."""
        local_start, local_end = _wall_clock(start), _wall_clock(end)
        day = local_start.date()
        while day <= local_end.date():
            if self.applies_on(day):
                busy_start = datetime.combine(day, self.starts)
                busy_end = datetime.combine(day, self.ends)
                if local_start < busy_end and busy_start < local_end:
                    return True
            day += timedelta(days=1)
        return False

    def applies_on(self, day: date) -> bool:
        """Whether this busy time happens on `day` (its weekday, or its one date)."""
        if self.weekday is not None:
            return day.weekday() == self.weekday
        return self.on_date == day


@dataclass(frozen=True)
class Preferences:
    not_before: time | None = None
    not_after: time | None = None
    avoid_weekdays: frozenset[int] = frozenset()

    def allow(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) keeps to these preferences in London wall-clock time. A time
        that runs past midnight ends after any "nothing ending after", and touches two days."""
        local_start, local_end = _wall_clock(start), _wall_clock(end)
        last_day = (local_end - timedelta(microseconds=1)).date()
        if {local_start.weekday(), last_day.weekday()} & self.avoid_weekdays:
            return False
        if self.not_before is not None and local_start.time() < self.not_before:
            return False
        if self.not_after is None:
            return True
        latest = datetime.combine(local_start.date(), self.not_after)
        return local_end <= latest


def _wall_clock(moment: datetime) -> datetime:
    """The London wall-clock time of an aware datetime, as a naive datetime."""
    return to_london(moment).replace(tzinfo=None)


def suits_client(start: datetime, end: datetime, busy: Iterable[Busy], prefs: Preferences) -> bool:
    """A time the client can do: inside their preferences and clear of every busy time."""
    return prefs.allow(start, end) and not any(b.clashes(start, end) for b in busy)


class Decision(StrEnum):
    confirm = "confirm"  # book it now
    ask_adviser = "ask-adviser"  # becomes a request; the client still gets a kind answer


def decide(*, now: datetime, new_start: datetime, changes_so_far: int) -> Decision:
    """Whether a client's chosen time can be confirmed at once."""
    if new_start - now < MIN_NOTICE:
        return Decision.ask_adviser
    if new_start - now > HORIZON:
        return Decision.ask_adviser
    if changes_so_far >= FREE_CHANGES:
        return Decision.ask_adviser
    return Decision.confirm


class HasLength(Protocol):
    duration_minutes: int


def holds(slot_minutes: int, appointment: HasLength) -> bool:
    """Whether a free time is long enough for an appointment. A client's appointment keeps
    its own length when they choose a new time (a 45-minute appointment in a 60-minute time
    lasts 45 minutes): a length is the adviser's to change, never the client's to agree, so
    a time too short for it is not offered to them (outside-in #4)."""
    return slot_minutes >= appointment.duration_minutes


def spread_over_days(starts: Sequence[datetime], *, at_least: int = 6, days: int = 3) -> bool:
    """True when the choices cover at least `at_least` times over `days` different days."""
    return len(starts) >= at_least and len({to_london(s).date() for s in starts}) >= days


@dataclass(frozen=True)
class Arrangement:
    """Where an appointment happens and how long it lasts: what a new time may change, and
    what a client sees before it does."""

    mode: str  # an AppointmentMode: "in-person", "phone", "home-visit"
    venue_id: int | None
    duration_minutes: int
    # Met in person at a home or community place arranged for the client: the diary's venue
    # is then not where they go, so it does not make a time "somewhere else".
    own_place: bool = False

    @property
    def place(self) -> str:
        """The place as it matters to the client: a venue only when they go to one (a phone
        call or a home visit is the same whichever diary venue it is filed under)."""
        if self.mode != "in-person":
            return self.mode
        return "own-place" if self.own_place else f"in-person-{self.venue_id or 0}"


class Difference(StrEnum):
    place = "place"  # another venue, or phone / home / in person instead
    length = "length"


def differences(current: Arrangement, chosen: Arrangement) -> frozenset[Difference]:
    """What choosing `chosen` would change besides the time (empty: nothing to ask about)."""
    found = set()
    if current.place != chosen.place:
        found.add(Difference.place)
    if current.duration_minutes != chosen.duration_minutes:
        found.add(Difference.length)
    return frozenset(found)


def confirmation(current: Arrangement, chosen: Arrangement) -> str:
    """What a client agrees to on the "this is at a different place" page, as a form value:
    from this place and length to that one. A confirmation sent for another pair (the
    appointment moved meanwhile, or the page was an old copy) does not count, so the client
    is asked again rather than moved somewhere they did not see."""
    return f"{current.place}.{current.duration_minutes}>{chosen.place}.{chosen.duration_minutes}"
