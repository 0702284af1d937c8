"""UTC in storage, Europe/London on screen, right on both sides of each clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core import i18n
from app.core.clock import frozen_now, london_datetime, london_today, utcnow
from app.core.formatting import human_date, human_datetime, human_time


@pytest.mark.parametrize(
    ("day", "expected_utc_hour"),
    [
        (date(2026, 3, 27), 14),  # Friday before the clocks go forward: GMT
        (date(2026, 3, 30), 13),  # Monday after: BST, one hour ahead of UTC
        (date(2026, 10, 23), 13),  # Friday before the clocks go back: BST
        (date(2026, 10, 26), 14),  # Monday after: GMT again
    ],
)
def test_a_2pm_appointment_is_stored_in_utc(day: date, expected_utc_hour: int) -> None:
    moment = london_datetime(day, 14, 0)
    assert moment.tzinfo is UTC
    assert moment.hour == expected_utc_hour
    assert human_time(moment) == "2pm"


def test_human_formats_in_english_and_welsh() -> None:
    moment = london_datetime(date(2026, 3, 3), 14, 30)
    i18n.set_language("en")
    with frozen_now(london_datetime(date(2026, 2, 20), 9)):
        assert human_datetime(moment) == "Tuesday 3 March, 2:30pm"
        i18n.set_language("cy")
        try:
            assert human_date(moment) == "Dydd Mawrth 3 Mawrth"
        finally:
            i18n.set_language("en")


def test_a_date_months_away_says_its_year() -> None:
    """Never "Wednesday 1 January" for a date years ago that reads as next month."""
    moment = london_datetime(date(2026, 3, 3), 14, 30)
    with frozen_now(london_datetime(date(2026, 12, 1), 9)):
        assert human_datetime(moment) == "Tuesday 3 March 2026, 2:30pm"
    with frozen_now(london_datetime(date(2025, 9, 1), 9)):
        assert human_datetime(moment) == "Tuesday 3 March 2026, 2:30pm"


def test_frozen_clock_and_london_today_near_midnight() -> None:
    # 23:30 UTC on 1 July is already 2 July in London (BST).
    with frozen_now(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)):
        assert utcnow() == datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
        assert london_today() == date(2026, 7, 2)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"), frozen_now(datetime(2026, 1, 1)):
        pass


def test_a_clock_offset_moves_now_ahead_but_not_a_frozen_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.core import clock
    from app.core.config import Settings

    monkeypatch.setattr(clock, "get_settings", lambda: Settings(clock_offset_seconds=86_400))
    ahead = clock.utcnow() - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < ahead <= timedelta(hours=24)
    moment = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    with clock.frozen_now(moment):
        assert clock.utcnow() == moment
