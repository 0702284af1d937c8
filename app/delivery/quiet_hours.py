"""Quiet hours: the times of day a client has asked not to be contacted (Europe/London)."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.clock import london_datetime, to_london
from app.people.models import ReminderSettings


def _minute_of_day(moment: datetime) -> int:
    local = to_london(moment)
    return local.hour * 60 + local.minute


def in_quiet_hours(moment: datetime, settings: ReminderSettings) -> bool:
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    minute = _minute_of_day(moment)
    if start < end:  # e.g. 00:00–13:00
        return start <= minute < end
    return minute >= start or minute < end  # overnight, e.g. 21:00–08:00


def end_of_quiet_hours(moment: datetime, settings: ReminderSettings) -> datetime:
    """The first allowed moment at or after `moment`."""
    if not in_quiet_hours(moment, settings):
        return moment
    local = to_london(moment)
    day = local.date()
    if settings.quiet_start > settings.quiet_end and _minute_of_day(moment) >= settings.quiet_start:
        day += timedelta(days=1)
    return london_datetime(day, settings.quiet_end // 60, settings.quiet_end % 60)


def start_of_quiet_hours(moment: datetime, settings: ReminderSettings) -> datetime:
    """The last allowed minute before the quiet period that `moment` falls in."""
    local = to_london(moment)
    day = local.date()
    overnight = settings.quiet_start > settings.quiet_end
    if overnight and _minute_of_day(moment) < settings.quiet_end:
        day -= timedelta(days=1)
    start = london_datetime(day, settings.quiet_start // 60, settings.quiet_start % 60)
    return start - timedelta(minutes=1)


def allowed_time(moment: datetime, settings: ReminderSettings) -> datetime:
    """For messages with no appointment to miss: the next moment outside quiet hours."""
    return end_of_quiet_hours(moment, settings)
