"""The rules for changing an appointment, as pure functions: no database, no clock of their own.

The client is never blocked from asking: a choice outside these rules becomes a request the
adviser answers, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

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
        local_start, local_end = to_london(start), to_london(end)
        day = local_start.date()
        if self.weekday is not None and day.weekday() != self.weekday:
            return False
        if self.on_date is not None and day != self.on_date:
            return False
        if self.weekday is None and self.on_date is None:
            return False
        return local_start.time() < self.ends and self.starts < local_end.time()


@dataclass(frozen=True)
class Preferences:
    not_before: time | None = None
    not_after: time | None = None
    avoid_weekdays: frozenset[int] = frozenset()

    def allow(self, start: datetime, end: datetime) -> bool:
        local_start, local_end = to_london(start), to_london(end)
        if local_start.weekday() in self.avoid_weekdays:
            return False
        if self.not_before is not None and local_start.time() < self.not_before:
            return False
        return not (self.not_after is not None and local_end.time() > self.not_after)


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


def spread_over_days(starts: Sequence[datetime], *, at_least: int = 6, days: int = 3) -> bool:
    """True when the choices cover at least `at_least` times over `days` different days."""
    return len(starts) >= at_least and len({to_london(s).date() for s in starts}) >= days
