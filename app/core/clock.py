"""Time: stored in UTC, shown in Europe/London. Tests move the clock through `frozen_now`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.core.config import get_settings

LONDON = ZoneInfo("Europe/London")
_frozen: ContextVar[datetime | None] = ContextVar("frozen_now", default=None)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (or the frozen time in tests)."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    offset = get_settings().clock_offset_seconds  # 0 except in tests (refused in production)
    return datetime.now(UTC) + timedelta(seconds=offset) if offset else datetime.now(UTC)


@contextmanager
def frozen_now(moment: datetime) -> Iterator[None]:
    if moment.utcoffset() is None:
        raise ValueError("frozen_now needs an aware datetime")
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _frozen.reset(token)


def to_london(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("naive datetimes are not allowed: store and pass UTC")
    return moment.astimezone(LONDON)


def london_today() -> date:
    return to_london(utcnow()).date()


def london_datetime(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    """A wall-clock time in London as an aware UTC datetime (handles both clock changes).

    `fold` picks between the two 01:xx on the day the clocks go back: 0 the first (BST), 1 the
    second (GMT). A time that does not exist (01:xx when the clocks go forward) comes out an
    hour later; `wall_clock_problem` finds both cases before a person's time is saved.
    """
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON, fold=fold)
    return local.astimezone(UTC)


class WallClock(StrEnum):
    missing = "missing"  # skipped when the clocks go forward (01:00-01:59, last Sunday in March)
    twice = "twice"  # happens twice when they go back (01:00-01:59, last Sunday in October)


def wall_clock_problem(day: date, at: time) -> WallClock | None:
    """Whether a London wall-clock time on `day` does not exist, or happens twice."""
    first = datetime.combine(day, at, tzinfo=LONDON)
    # A time in the gap does not survive the round trip through UTC (01:30 comes back 02:30);
    # one in the overlap does, but its two folds have different offsets.
    if first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != first.replace(tzinfo=None):
        return WallClock.missing
    if first.utcoffset() != first.replace(fold=1).utcoffset():
        return WallClock.twice
    return None
