"""Reminder timing as properties (issue #16, item 3): for every lead time, every start time of
the day in 15-minute steps, several quiet-hour settings, on both clock-change days, a reminder
is never in quiet hours, never before it is planned, never later than LATEST_USEFUL before the
start, never within MIN_GAP of another and never says what another already said. Then the
same properties end to end (planner, worker, loopback Notify) on random settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import Session

from app.core.clock import frozen_now, london_datetime, to_london
from app.delivery.models import Notification
from app.delivery.quiet_hours import in_quiet_hours
from app.people.models import LeadTime, ReminderSettings
from app.reminders.planner import reminder_times
from app.reminders.timing import LATEST_USEFUL, MIN_GAP, lead_moment
from app.reminders.wording import when
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

CLOCK_CHANGES = (date(2026, 10, 25), date(2027, 3, 28))  # autumn back, spring forward
DAYS = tuple(day + timedelta(days=shift) for day in CLOCK_CHANGES for shift in (-1, 0, 1))
# (quiet_start, quiet_end) in hours: overnight, morning-long, evening-early, across the
# change hour itself, same-day, and none at all.
QUIET = ((21, 8), (18, 13), (20, 11), (0, 3), (1, 2), (9, 17), (0, 0))
ALL_LEADS = tuple(LeadTime)


def _settings(leads: tuple[LeadTime, ...], quiet: tuple[int, int], hour: int) -> ReminderSettings:
    return ReminderSettings(
        client_id=1,
        lead_times=",".join(leads),
        quiet_start=quiet[0] * 60,
        quiet_end=quiet[1] * 60,
        reminder_hour=hour,
    )


def _check(starts_at: datetime, chosen: ReminderSettings, booked_at: datetime) -> None:
    planned = reminder_times(starts_at, chosen, booked_at)
    moments = [moment for _, moment in planned]
    assert moments == sorted(moments)
    for lead, moment in planned:
        assert booked_at <= moment <= starts_at - LATEST_USEFUL, moment
        assert not in_quiet_hours(moment, chosen), moment
        # Quiet hours never move a reminder onto another day: "the day before" stays so.
        wanted = lead_moment(starts_at, lead, chosen)
        assert to_london(moment).date() <= to_london(wanted).date(), (lead, moment)
    for earlier, later in pairwise(moments):
        assert later - earlier >= MIN_GAP
    meanings = [when(starts_at, moment).meaning for moment in moments]
    assert len(meanings) == len(set(meanings)), meanings


def test_every_start_of_the_day_on_both_clock_change_days() -> None:
    for day in CLOCK_CHANGES:
        for step in range(96):
            hour, minute = divmod(step * 15, 60)
            starts_at = london_datetime(day, hour, minute)
            booked_at = starts_at - timedelta(days=9)
            for quiet in QUIET:
                for leads in ((lead,) for lead in ALL_LEADS):
                    _check(starts_at, _settings(leads, quiet, 17), booked_at)
                _check(starts_at, _settings(ALL_LEADS, quiet, 17), booked_at)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    day=st.sampled_from(DAYS),
    step=st.integers(0, 95),
    leads=st.lists(st.sampled_from(ALL_LEADS), unique=True, max_size=5).map(tuple),
    quiet=st.sampled_from(QUIET) | st.tuples(st.integers(0, 23), st.integers(0, 23)),
    hour=st.integers(6, 21),
    booked_minutes_before=st.integers(0, 10 * 24 * 60),
)
def test_any_settings_and_any_booking_moment(
    day: date,
    step: int,
    leads: tuple[LeadTime, ...],
    quiet: tuple[int, int],
    hour: int,
    booked_minutes_before: int,
) -> None:
    starts_at = london_datetime(day, *divmod(step * 15, 60))
    booked_at = starts_at - timedelta(minutes=booked_minutes_before)
    _check(starts_at, _settings(leads, quiet, hour), booked_at)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    day=st.sampled_from(CLOCK_CHANGES),
    step=st.integers(28, 76),  # 7am to 7pm
    leads=st.lists(st.sampled_from(ALL_LEADS), unique=True, min_size=1, max_size=5).map(tuple),
    quiet=st.sampled_from(QUIET),
    booked_minutes_before=st.integers(0, 3 * 24 * 60),
)
def test_what_arrives_is_true_timely_and_never_said_twice(
    outbox: Outbox,
    fake_notify: FakeNotify,
    committed: Callable[[], Session],
    day: date,
    step: int,
    leads: tuple[LeadTime, ...],
    quiet: tuple[int, int],
    booked_minutes_before: int,
) -> None:
    starts_at = london_datetime(day, *divmod(step * 15, 60))
    booked_at = starts_at - timedelta(minutes=booked_minutes_before)
    chosen = _settings(leads, quiet, 17)
    session = committed()
    session.exec(delete(Notification))  # each example's clock starts afresh
    with frozen_now(booked_at):
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        chosen.client_id = profile.id
        chosen.push_on = False
        session.add(chosen)
        session.flush()
        make_appointment(session, profile, make_slot(session, adviser, starts_at))
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), starts_at + timedelta(hours=2))
    for arrival in arrivals:
        assert not in_quiet_hours(arrival.at, chosen), arrival
        assert booked_at <= arrival.at < starts_at, arrival
        phrase = when(starts_at, arrival.at).phrase
        assert phrase in arrival.body, (arrival, phrase)  # the words are true when it arrives
        if arrival.body.startswith("Reminder"):
            assert arrival.at <= starts_at - LATEST_USEFUL, arrival
    for earlier, later in pairwise(arrivals):
        assert later.at - earlier.at >= MIN_GAP, (earlier, later)
    meanings = [when(starts_at, a.at).meaning for a in arrivals if a.body.startswith("Reminder")]
    assert len(meanings) == len(set(meanings)), arrivals
