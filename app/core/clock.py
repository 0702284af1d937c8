"""Time: stored in UTC, shown in Europe/London. Tests move the clock through `frozen_now`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_frozen: ContextVar[datetime | None] = ContextVar("frozen_now", default=None)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (or the frozen time in tests)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(UTC)


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


def london_datetime(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in London as an aware UTC datetime (handles both clock changes)."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    return local.astimezone(UTC)
