"""When a message may go: lead times before an appointment and the client's quiet hours.

Pure functions on aware datetimes. Quiet hours are wall-clock times in London, so they stay
21:00–08:00 on both sides of a clock change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.clock import london_datetime, to_london
from app.delivery.quiet_hours import end_of_quiet_hours, start_of_quiet_hours
from app.people.models import LeadTime, ReminderSettings

# A reminder that would land this close to the start is no longer a reminder.
LATEST_USEFUL = timedelta(minutes=15)


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
