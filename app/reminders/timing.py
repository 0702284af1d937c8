"""When a message may go: lead times before an appointment and the client's quiet hours.

Pure functions on aware datetimes. Quiet hours are wall-clock times in London, so they stay
21:00–08:00 on both sides of a clock change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.clock import london_datetime, to_london
from app.delivery.quiet_hours import end_of_quiet_hours, in_quiet_hours, start_of_quiet_hours
from app.people.models import LeadTime, ReminderSettings

# A reminder that would land closer to the start than this can no longer help: too late to set
# off, or to find the phone number. It is not sent.
LATEST_USEFUL = timedelta(minutes=30)


# Two messages about one appointment closer than this would feel like nagging: the later
# reminder is dropped (when planned, and again when sent).
MIN_GAP = timedelta(minutes=60)


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


def latest_useful(starts_at: datetime) -> datetime:
    """The last moment a reminder for an appointment starting then may go."""
    return starts_at - LATEST_USEFUL


def reminder_time(
    starts_at: datetime, lead: LeadTime, settings: ReminderSettings, now: datetime
) -> datetime | None:
    """When to send a reminder (UTC): never in quiet hours, never after `latest_useful`.

    Usually quiet hours move it later (to their end), but only on the same day, so "the day
    before" is never moved onto the day itself, and never too close to the appointment;
    otherwise it goes just before the quiet hours began. None when no such moment is still to
    come, or when the lead makes no sense for this start (the "morning of" a 7:30am
    appointment)."""
    wanted = lead_moment(starts_at, lead, settings)
    latest = latest_useful(starts_at)
    if wanted > latest:
        return None
    chosen = wanted
    if in_quiet_hours(wanted, settings):
        later = end_of_quiet_hours(wanted, settings)
        same_day = to_london(later).date() == to_london(wanted).date()
        fits = later <= latest and same_day
        chosen = later if fits else start_of_quiet_hours(wanted, settings)
    if chosen < now or chosen > latest:
        # Booked at short notice: the moment has passed, and the booking's confirmation,
        # sent now, already says when it is.
        return None
    return chosen
