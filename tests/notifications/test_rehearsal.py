"""`python -m app worker --until`: testers move the outbox's clock outside production and see
what would reach each phone, at its minute, in words written for that minute."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from app.core.clock import frozen_now, london_datetime, london_today
from app.core.db import build_engine, write_session
from app.people.models import ReminderSettings
from tests.factories import make_adviser, make_appointment, make_client, make_slot

ROOT = Path(__file__).resolve().parents[2]


def _worker(url: str, *args: str, env: str = "development") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MYPATHWAYS_DATABASE_URL": url, "MYPATHWAYS_ENV": env}
    environment.pop("MYPATHWAYS_NOTIFY_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "app", "worker", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _next_monday() -> date:
    day = london_today() + timedelta(days=7)
    return day - timedelta(days=day.weekday())


def test_the_rehearsal_prints_each_message_at_its_minute_in_its_words(migrated_database) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database("sqlite")
    monday = _next_monday()
    engine = build_engine(url)
    with (
        frozen_now(london_datetime(monday - timedelta(days=1), 22, 30)),
        write_session(engine) as session,
    ):
        adviser, _ = make_adviser(session)
        profile, _ = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False))
        session.flush()
        make_appointment(session, profile, make_slot(session, adviser, london_datetime(monday, 14)))
    engine.dispose()

    done = _worker(url, "--until", f"{monday.isoformat()}T18:00")

    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert [line.split("  ")[0] for line in lines] == [
        f"{monday:%a %d %b} 08:00",
        f"{monday:%a %d %b} 12:00",
    ]
    assert "It is today at 2pm." in lines[0]
    assert "today at 2pm, in about 2 hours" in lines[1]


def test_a_muddled_or_impossible_time_is_refused_with_an_example(migrated_database) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database("sqlite")
    for muddled in ("next friday", "", "2026-12-08", "2026-12-08T14:30+05:00"):
        done = _worker(url, "--until", muddled)
        assert done.returncode == 2 and "like 2026-12-08T14:30" in done.stderr, muddled
    skipped = _worker(url, "--until", "2027-03-28T01:30")
    assert skipped.returncode == 2 and "the clocks skip it" in skipped.stderr
