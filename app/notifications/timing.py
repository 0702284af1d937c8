"""When a message may go: lead times before an appointment and the client's quiet hours.

Pure functions on aware datetimes. Quiet hours are wall-clock times in London, so they stay
21:00–08:00 on both sides of a clock change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.clock import london_datetime, to_london
from app.notifications.models import LeadTime, ReminderSettings

# A reminder that would land this close to the start is no longer a reminder.
LATEST_USEFUL = timedelta(minutes=15)


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


def lead_moment(starts_at: datetime, lead: LeadTime, settings: ReminderSettings) -> datetime:
    """When a reminder of this lead time would go, before quiet hours are considered."""
    day = to_london(starts_at).date()
    if lead == LeadTime.week_before:
        return london_datetime(day - timedelta(days=7), settings.reminder_hour)
    if lead == LeadTime.day_before:
        return london_datetime(day - timedelta(days=1), settings.reminder_hour)
    if lead == LeadTime.morning_of:
        return london_datetime(day, 8)
    if lead == LeadTime.two_hours:
        return starts_at - timedelta(hours=2)
    return starts_at - timedelta(hours=1)


def reminder_time(
    starts_at: datetime, lead: LeadTime, settings: ReminderSettings, now: datetime
) -> datetime | None:
    """When to send a reminder: never in quiet hours. Usually that means later (the end of quiet
    hours); if later would be too close to the appointment, it goes before quiet hours began
    instead. None when that moment has already passed."""
    wanted = lead_moment(starts_at, lead, settings)
    later = end_of_quiet_hours(wanted, settings)
    fits = later <= starts_at - LATEST_USEFUL
    chosen = later if fits else start_of_quiet_hours(wanted, settings)
    if chosen < now:
        # Booked at short notice: the moment has passed, and the booking's confirmation,
        # sent now, already says when it is.
        return None
    return chosen


def allowed_time(moment: datetime, settings: ReminderSettings) -> datetime:
    """For messages with no appointment to miss: the next moment outside quiet hours."""
    return end_of_quiet_hours(moment, settings)
