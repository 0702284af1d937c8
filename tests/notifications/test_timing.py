"""Lead times and quiet hours, in London wall-clock time, on both sides of a clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.core.clock import london_datetime, to_london
from app.delivery.quiet_hours import end_of_quiet_hours, in_quiet_hours
from app.people.models import LeadTime, ReminderSettings
from app.reminders.planner import reminder_times
from app.reminders.timing import reminder_time

DEFAULTS = ReminderSettings(client_id=1)  # 21:00–08:00, day-before at 5pm, 2 hours before


def local(moment: datetime | None) -> str:
    assert moment is not None
    return to_london(moment).strftime("%Y-%m-%d %H:%M %Z")


def test_overnight_quiet_hours() -> None:
    day = date(2026, 12, 1)
    assert in_quiet_hours(london_datetime(day, 21), DEFAULTS)
    assert in_quiet_hours(london_datetime(day, 7, 59), DEFAULTS)
    assert not in_quiet_hours(london_datetime(day, 8), DEFAULTS)
    assert not in_quiet_hours(london_datetime(day, 20, 59), DEFAULTS)
    assert local(end_of_quiet_hours(london_datetime(day, 23), DEFAULTS)) == "2026-12-02 08:00 GMT"
    assert local(end_of_quiet_hours(london_datetime(day, 3), DEFAULTS)) == "2026-12-01 08:00 GMT"


def test_defaults_give_the_day_before_at_five_and_two_hours_before() -> None:
    starts = london_datetime(date(2026, 12, 2), 14, 30)
    now = london_datetime(date(2026, 11, 25), 10)
    times = [(lead.value, local(moment)) for lead, moment in reminder_times(starts, DEFAULTS, now)]
    assert times == [("day-before", "2026-12-01 17:00 GMT"), ("2-hours", "2026-12-02 12:30 GMT")]


def test_a_reminder_in_quiet_hours_moves_to_their_end() -> None:
    starts = london_datetime(date(2026, 12, 2), 9, 30)  # 2 hours before is 7:30, in quiet hours
    now = london_datetime(date(2026, 11, 25), 10)
    assert local(reminder_time(starts, LeadTime.two_hours, DEFAULTS, now)) == "2026-12-02 08:00 GMT"


def test_when_the_end_of_quiet_hours_is_too_late_it_goes_before_they_start() -> None:
    starts = london_datetime(date(2026, 12, 2), 8, 10)  # 8:00 would be 10 minutes before
    now = london_datetime(date(2026, 11, 25), 10)
    assert local(reminder_time(starts, LeadTime.two_hours, DEFAULTS, now)) == "2026-12-01 20:59 GMT"


def test_afternoon_only_settings_never_send_before_one() -> None:
    # Scenario 2: sleepy mornings. Quiet from 9pm until 1pm.
    settings = ReminderSettings(
        client_id=1, quiet_start=21 * 60, quiet_end=13 * 60, reminder_hour=15
    )
    starts = london_datetime(date(2026, 12, 2), 14)
    now = london_datetime(date(2026, 11, 25), 10)
    times = [local(moment) for _lead, moment in reminder_times(starts, settings, now)]
    assert times == ["2026-12-01 15:00 GMT", "2026-12-02 13:00 GMT"]


def test_wall_clock_times_hold_across_the_autumn_clock_change() -> None:
    # Clocks go back at 02:00 BST on Sunday 31 October 2027.
    starts = london_datetime(date(2027, 11, 1), 10)  # Monday 10:00 GMT
    now = datetime(2027, 10, 20, tzinfo=UTC)
    day_before = reminder_time(starts, LeadTime.day_before, DEFAULTS, now)
    assert local(day_before) == "2027-10-31 17:00 GMT"
    assert day_before == datetime(2027, 10, 31, 17, tzinfo=UTC)
    # A 9am appointment on the day of the change: 7am is quiet, so 8am (GMT).
    early = london_datetime(date(2027, 10, 31), 9)
    assert local(reminder_time(early, LeadTime.two_hours, DEFAULTS, now)) == "2027-10-31 08:00 GMT"


def test_wall_clock_times_hold_across_the_spring_clock_change() -> None:
    # Clocks go forward at 01:00 GMT on Sunday 28 March 2027.
    starts = london_datetime(date(2027, 3, 29), 10)  # Monday 10:00 BST = 09:00 UTC
    now = datetime(2027, 3, 20, tzinfo=UTC)
    day_before = reminder_time(starts, LeadTime.day_before, DEFAULTS, now)
    assert day_before == datetime(2027, 3, 28, 16, tzinfo=UTC)  # 17:00 BST
    quiet_end = end_of_quiet_hours(datetime(2027, 3, 28, 0, 30, tzinfo=UTC), DEFAULTS)
    assert local(quiet_end) == "2027-03-28 08:00 BST"


def test_reminders_whose_time_has_passed_are_not_planned() -> None:
    starts = london_datetime(date(2026, 12, 2), 14)
    now = london_datetime(date(2026, 12, 2), 11)  # booked at short notice
    times = [lead for lead, _moment in reminder_times(starts, DEFAULTS, now)]
    assert times == [LeadTime.two_hours]
    later = now + timedelta(hours=1, minutes=30)
    assert reminder_times(starts, DEFAULTS, later) == []


def test_two_reminders_close_together_become_one() -> None:
    settings = ReminderSettings(client_id=1, lead_times="2-hours,1-hour,morning-of")
    starts = london_datetime(date(2026, 12, 2), 9, 30)  # morning-of 8:00, 2h → 8:00, 1h → 8:30
    now = london_datetime(date(2026, 11, 25), 10)
    times = [local(moment) for _lead, moment in reminder_times(starts, settings, now)]
    assert times == ["2026-12-02 08:00 GMT"]
