"""Live page updates as Server-Sent Events, by asking the database.

A stream reads one small value (a plan's `updated_at`, a thread's newest message id) once a
second and sends "changed" when it moves. Every change goes through the database, so this
works the same across app processes on PostgreSQL and on SQLite. Without JavaScript the page
shows the latest state when reloaded.

Who may watch is decided when the stream opens, and again before every poll: a stream runs
for minutes, and a permission taken back, a person removed or a session signed out in that
time must stop it at once, not at the next reconnect. So every stream takes a
`still_allowed()` (app/accounts/live_guard.py builds them) and ends the moment it says no.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # the browser reconnects by itself after this

T = TypeVar("T")


async def changes(
    read: Callable[[], T],
    describe: Callable[[T], str],
    *,
    still_allowed: Callable[[], bool],
    poll: float = POLL_SECONDS,
) -> AsyncIterator[str]:
    """SSE text: a retry hint, then 'changed' (data: `describe(value)`) whenever `read()`
    gives a new value, and a heartbeat comment every HEARTBEAT_SECONDS; ends after
    STREAM_SECONDS, or as soon as `still_allowed()` is false (asked before the first read and
    before every poll, so nothing is read or sent for someone no longer allowed). `read` and
    `still_allowed` run in the thread pool (they use the database)."""
    if not await run_in_threadpool(still_allowed):
        return
    last = await run_in_threadpool(read)
    yield "retry: 3000\n\n"
    waited = since_beat = 0.0
    while waited < STREAM_SECONDS:
        await asyncio.sleep(poll)
        waited += poll
        since_beat += poll
        if not await run_in_threadpool(still_allowed):
            return
        now = await run_in_threadpool(read)
        if now != last:
            last = now
            yield f"event: changed\ndata: {describe(now)}\n\n"
        elif since_beat >= HEARTBEAT_SECONDS:
            since_beat = 0.0
            yield ": still here\n\n"
