"""core.live without a database to notify (SQLite): the stream reads its value every poll,
as it always has, and sends 'changed' when it moves."""

from __future__ import annotations

from app.core.db import build_engine
from app.core.live import changes
from app.core.live_listener import listener_for
from tests.asyncio_run import run_coroutine


def test_sqlite_has_no_listener_so_streams_poll() -> None:
    assert listener_for(build_engine("sqlite://")) is None


def test_a_polled_stream_reads_every_poll_and_sends_what_moved() -> None:
    values = iter([1, 1, 1, 2, 2, 2, 2, 2, 2, 2])
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return next(values)

    async def first_chunks() -> list[str]:
        stream = changes(
            read, str, key="plan:1", listener=None, still_allowed=lambda: True, poll=0.01
        )
        return [await anext(stream), await anext(stream)]

    retry, changed = run_coroutine(first_chunks())
    assert retry.startswith("retry:")
    assert changed == "event: changed\ndata: 2\n\n"
    assert len(reads) == 4  # the first read, then one a poll until the value moved


def test_a_stream_for_someone_no_longer_allowed_sends_and_reads_nothing() -> None:
    reads: list[int] = []

    async def everything() -> list[str]:
        stream = changes(
            lambda: reads.append(1), str, key="plan:1", listener=None, still_allowed=lambda: False
        )
        return [chunk async for chunk in stream]

    assert run_coroutine(everything()) == []
    assert reads == []
