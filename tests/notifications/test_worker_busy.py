"""SQLite's write lock busy is an expected condition for the outbox worker: one calm log line,
no traceback, and the loop goes on; nothing is lost (outside-in pass, reminders and texts,
item 5)."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy.exc import OperationalError

from app.core.db import DatabaseBusyError
from tests.notifications.conftest import Outbox


@pytest.mark.parametrize(
    "busy",
    [
        DatabaseBusyError("the database stayed busy for too long"),
        OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked")),
    ],
    ids=["write-turn", "sqlite-locked"],
)
def test_a_busy_database_is_one_calm_line_and_the_worker_carries_on(
    outbox: Outbox, caplog: pytest.LogCaptureFixture, busy: Exception
) -> None:
    worker = outbox.worker()
    stop = threading.Event()
    calls: list[int] = []

    def run_once() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise busy
        stop.set()
        return 0

    worker.run_once = run_once  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO, logger="mypathways.worker"):
        worker.run(stop, poll_seconds=0.01)
    assert len(calls) == 2  # it tried again
    records = [r for r in caplog.records if r.name == "mypathways.worker"]
    assert [r.exc_info for r in records] == [None]
    assert [r.levelno for r in records] == [logging.INFO]
    assert "busy" in records[0].getMessage() and "\n" not in records[0].getMessage()


def test_any_other_failure_is_still_logged_in_full(
    outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    worker = outbox.worker()
    stop = threading.Event()

    def run_once() -> int:
        stop.set()
        raise RuntimeError("a real fault")

    worker.run_once = run_once  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO, logger="mypathways.worker"):
        worker.run(stop, poll_seconds=0.01)
    assert any(r.exc_info for r in caplog.records if r.name == "mypathways.worker")
