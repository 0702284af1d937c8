"""The pure rules for changing an appointment: busy times, preferences, and when to ask."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from app.core.clock import london_datetime
from app.rescheduling.policy import (
    FREE_CHANGES,
    HORIZON,
    MIN_NOTICE,
    Busy,
    Decision,
    Preferences,
    decide,
    spread_over_days,
    suits_client,
)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)
# Tuesday 2 June 2026 (BST) and the days around it.
TUE = date(2026, 6, 2)
WED = date(2026, 6, 3)
FRI = date(2026, 6, 5)
THERAPY = Busy(starts=time(10, 0), ends=time(11, 0), weekday=TUESDAY)
NO_PREFS = Preferences()


def slot(day: date, hour: int, minute: int = 0, minutes: int = 60) -> tuple[datetime, datetime]:
    start = london_datetime(day, hour, minute)
    return start, start + timedelta(minutes=minutes)


# Weekly busy time: therapy every Tuesday 10:00-11:00


@pytest.mark.parametrize(
    ("hour", "minute", "minutes"),
    [
        (10, 0, 60),  # exactly the therapy hour
        (9, 30, 60),  # runs into it
        (10, 30, 60),  # starts during it
        (10, 15, 15),  # wholly inside it
        (9, 0, 180),  # wraps round it
    ],
)
def test_weekly_busy_time_clashes_with_an_overlapping_tuesday_slot(
    hour: int, minute: int, minutes: int
) -> None:
    start, end = slot(TUE, hour, minute, minutes)
    assert THERAPY.clashes(start, end)
    assert not suits_client(start, end, [THERAPY], NO_PREFS)


@pytest.mark.parametrize(
    ("hour", "minute"),
    [
        (9, 0),  # ends at 10:00, as therapy starts
        (11, 0),  # starts at 11:00, as therapy ends
        (14, 30),
    ],
)
def test_weekly_busy_time_leaves_the_rest_of_tuesday_free(hour: int, minute: int) -> None:
    start, end = slot(TUE, hour, minute)
    assert not THERAPY.clashes(start, end)
    assert suits_client(start, end, [THERAPY], NO_PREFS)


@pytest.mark.parametrize("day", [date(2026, 6, 1), WED, date(2026, 6, 4), FRI])
def test_weekly_busy_time_does_not_clash_on_other_days(day: date) -> None:
    start, end = slot(day, 10, 0)
    assert not THERAPY.clashes(start, end)


def test_weekly_busy_time_repeats_every_week() -> None:
    for weeks in range(0, 10):
        start, end = slot(TUE + timedelta(weeks=weeks), 10, 0)
        assert THERAPY.clashes(start, end), weeks


def test_one_off_busy_time_clashes_only_on_its_date() -> None:
    hospital = Busy(starts=time(14, 0), ends=time(15, 0), on_date=WED)
    assert hospital.clashes(*slot(WED, 14, 30))
    assert not hospital.clashes(*slot(WED, 15, 0))
    # The same time a week later, or on the day before, is free.
    assert not hospital.clashes(*slot(WED + timedelta(weeks=1), 14, 30))
    assert not hospital.clashes(*slot(TUE, 14, 30))


def test_a_slot_is_unsuitable_if_any_one_of_several_busy_times_clashes() -> None:
    hospital = Busy(starts=time(14, 0), ends=time(15, 0), on_date=WED)
    assert not suits_client(*slot(WED, 14, 0), [THERAPY, hospital], NO_PREFS)
    assert not suits_client(*slot(TUE, 10, 0), [THERAPY, hospital], NO_PREFS)
    assert suits_client(*slot(WED, 10, 0), [THERAPY, hospital], NO_PREFS)


# Time preferences


def test_nothing_before_1pm_hides_1230_but_allows_1pm() -> None:
    afternoons = Preferences(not_before=time(13, 0))
    assert not suits_client(*slot(WED, 12, 30), [], afternoons)
    assert not suits_client(*slot(WED, 9, 0), [], afternoons)
    assert suits_client(*slot(WED, 13, 0), [], afternoons)
    assert suits_client(*slot(WED, 15, 30), [], afternoons)


def test_not_after_is_about_when_the_appointment_ends() -> None:
    done_by_4 = Preferences(not_after=time(16, 0))
    assert suits_client(*slot(WED, 15, 0), [], done_by_4)  # ends 16:00
    assert not suits_client(*slot(WED, 15, 30), [], done_by_4)  # ends 16:30
    assert not suits_client(*slot(WED, 16, 0), [], done_by_4)


def test_avoiding_fridays_hides_every_friday_slot_and_nothing_else() -> None:
    no_fridays = Preferences(avoid_weekdays=frozenset({FRIDAY}))
    for hour in (9, 13, 16):
        assert not suits_client(*slot(FRI, hour), [], no_fridays)
    assert not suits_client(*slot(FRI + timedelta(weeks=1), 13), [], no_fridays)
    for day in (date(2026, 6, 1), TUE, WED, date(2026, 6, 4)):
        assert suits_client(*slot(day, 13), [], no_fridays)


def test_preferences_and_busy_times_combine() -> None:
    prefs = Preferences(not_before=time(13, 0), avoid_weekdays=frozenset({FRIDAY}))
    afternoon_therapy = Busy(starts=time(14, 0), ends=time(15, 0), weekday=TUESDAY)
    assert suits_client(*slot(TUE, 13, 0), [afternoon_therapy], prefs)
    assert not suits_client(*slot(TUE, 14, 0), [afternoon_therapy], prefs)
    assert not suits_client(*slot(TUE, 11, 0), [afternoon_therapy], prefs)
    assert not suits_client(*slot(FRI, 14, 0), [afternoon_therapy], prefs)


# Clock changes: every rule is about London wall-clock time, whatever the UTC offset.


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 27),  # Friday before the clocks go forward: GMT
        date(2026, 3, 30),  # Monday after: BST (10:00 London is 09:00 UTC)
        date(2026, 10, 23),  # Friday before the clocks go back: BST
        date(2026, 10, 26),  # Monday after: GMT again
    ],
)
def test_a_10am_london_slot_is_judged_in_london_time_across_clock_changes(day: date) -> None:
    start, end = slot(day, 10, 0)
    weekday = day.weekday()
    assert suits_client(start, end, [], Preferences(not_before=time(10, 0)))
    assert not suits_client(start, end, [], Preferences(not_before=time(10, 1)))
    assert suits_client(start, end, [], Preferences(not_after=time(11, 0)))
    assert not suits_client(start, end, [], Preferences(not_after=time(10, 59)))
    assert not Busy(starts=time(9, 0), ends=time(10, 0), weekday=weekday).clashes(start, end)
    assert Busy(starts=time(10, 30), ends=time(10, 45), weekday=weekday).clashes(start, end)
    assert not Busy(starts=time(11, 0), ends=time(12, 0), weekday=weekday).clashes(start, end)
    assert Busy(starts=time(10, 0), ends=time(11, 0), on_date=day).clashes(start, end)


def test_a_slot_just_after_midnight_in_summer_belongs_to_the_london_day() -> None:
    # 00:30 on Wednesday in London (BST) is still 23:30 on Tuesday in UTC.
    start, end = slot(WED, 0, 30, 30)
    assert start.date() == TUE  # the UTC date really is the day before
    assert Busy(starts=time(0, 0), ends=time(1, 0), weekday=WEDNESDAY).clashes(start, end)
    assert not Busy(starts=time(0, 0), ends=time(1, 0), weekday=TUESDAY).clashes(start, end)
    assert not suits_client(start, end, [], Preferences(avoid_weekdays=frozenset({WEDNESDAY})))
    assert suits_client(start, end, [], Preferences(avoid_weekdays=frozenset({TUESDAY})))


def test_busy_time_accepts_any_aware_datetime_not_only_utc() -> None:
    # 10:00 on Tuesday written with a +01:00 offset is the same instant as 09:00 UTC.
    start = datetime(2026, 6, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert THERAPY.clashes(start, start + timedelta(hours=1))
    assert not THERAPY.clashes(start + timedelta(hours=1), start + timedelta(hours=2))


# decide(): when a client's choice is confirmed at once, and when the adviser is asked.

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_a_time_inside_the_rules_is_confirmed() -> None:
    assert decide(now=NOW, new_start=NOW + timedelta(days=3), changes_so_far=0) == Decision.confirm
    assert decide(now=NOW, new_start=NOW + timedelta(days=3), changes_so_far=1) == Decision.confirm


def test_less_than_24_hours_notice_asks_the_adviser() -> None:
    soon = NOW + MIN_NOTICE - timedelta(minutes=1)
    assert timedelta(hours=24) == MIN_NOTICE
    assert decide(now=NOW, new_start=soon, changes_so_far=0) == Decision.ask_adviser
    assert (
        decide(now=NOW, new_start=NOW + timedelta(hours=3), changes_so_far=0)
        == Decision.ask_adviser
    )
    assert decide(now=NOW, new_start=NOW + MIN_NOTICE, changes_so_far=0) == Decision.confirm


def test_more_than_8_weeks_ahead_asks_the_adviser() -> None:
    assert timedelta(weeks=8) == HORIZON
    far = NOW + HORIZON + timedelta(minutes=1)
    assert decide(now=NOW, new_start=far, changes_so_far=0) == Decision.ask_adviser
    assert decide(now=NOW, new_start=NOW + HORIZON, changes_so_far=0) == Decision.confirm


def test_a_time_in_the_past_is_never_confirmed() -> None:
    past = NOW - timedelta(days=1)
    assert decide(now=NOW, new_start=past, changes_so_far=0) == Decision.ask_adviser


def test_after_two_client_changes_the_adviser_is_asked() -> None:
    assert FREE_CHANGES == 2
    fine = NOW + timedelta(days=5)
    assert decide(now=NOW, new_start=fine, changes_so_far=1) == Decision.confirm
    assert decide(now=NOW, new_start=fine, changes_so_far=2) == Decision.ask_adviser
    assert decide(now=NOW, new_start=fine, changes_so_far=5) == Decision.ask_adviser


# spread_over_days: enough choices, on enough different days


def test_six_times_over_three_days_is_enough() -> None:
    starts = [london_datetime(date(2026, 6, d), h) for d in (1, 2, 3) for h in (10, 14)]
    assert spread_over_days(starts)


def test_six_times_over_two_days_is_not_enough() -> None:
    starts = [london_datetime(date(2026, 6, d), h) for d in (1, 2) for h in (10, 13, 15)]
    assert not spread_over_days(starts)


def test_five_times_over_five_days_is_not_enough() -> None:
    starts = [london_datetime(date(2026, 6, d), 10) for d in range(1, 6)]
    assert not spread_over_days(starts)
    assert spread_over_days(starts, at_least=5, days=5)


def test_days_are_counted_in_london() -> None:
    # 23:30 UTC on 2 June is 00:30 on 3 June in London: three London days, two UTC days.
    late = datetime(2026, 6, 2, 23, 30, tzinfo=UTC)
    starts = [
        london_datetime(date(2026, 6, 1), 10),
        london_datetime(date(2026, 6, 1), 14),
        london_datetime(date(2026, 6, 2), 10),
        london_datetime(date(2026, 6, 2), 14),
        late,
        late - timedelta(minutes=15),
    ]
    assert len({s.date() for s in starts}) == 2
    assert spread_over_days(starts)


# Times that run past midnight (#16 item 5): intervals are [start, end) in London wall-clock
# time across days, on both sides of each clock change.


@pytest.mark.parametrize("day", [TUE, date(2027, 3, 27), date(2027, 10, 30)])
def test_a_slot_from_2330_for_an_hour_meets_busy_times_on_both_days(day: date) -> None:
    start, end = slot(day, 23, 30, minutes=60)
    late = Busy(starts=time(23, 0), ends=time(23, 59), on_date=day)
    early = Busy(starts=time(0, 0), ends=time(1, 0), on_date=day + timedelta(days=1))
    elsewhere = Busy(starts=time(1, 0), ends=time(2, 0), on_date=day + timedelta(days=1))
    assert late.clashes(start, end)
    assert early.clashes(start, end)
    assert not elsewhere.clashes(start, end)
    weekly = Busy(starts=time(0, 0), ends=time(0, 15), weekday=(day.weekday() + 1) % 7)
    assert weekly.clashes(start, end)


def test_a_slot_past_midnight_ends_after_any_latest_time_and_touches_two_days() -> None:
    start, end = slot(TUE, 23, 30, minutes=60)
    assert not Preferences(not_after=time(17, 0)).allow(start, end)
    assert not Preferences(not_after=time(23, 59)).allow(start, end)
    assert not Preferences(avoid_weekdays=frozenset({WEDNESDAY})).allow(start, end)
    assert Preferences(not_before=time(9, 0)).allow(start, end)
    # Ending exactly at midnight touches one day, and ends after 23:59 but not after midnight.
    start, end = slot(TUE, 23, 0, minutes=60)
    assert Preferences(avoid_weekdays=frozenset({WEDNESDAY})).allow(start, end)
    assert not Busy(starts=time(0, 0), ends=time(1, 0), on_date=WED).clashes(start, end)
