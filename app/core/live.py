"""Live page updates as Server-Sent Events.

A stream watches one small value (a plan's `updated_at`, a thread's newest message id) and
sends "changed" when it moves. Without JavaScript the page shows the latest state when
reloaded. How it learns that the value moved depends on the database:

- PostgreSQL: the writer's transaction sends NOTIFY (app/core/live_notify.py) and the
  process's one LISTEN connection (app/core/live_listener.py) wakes the streams waiting on
  that key. A stream reads its value only when woken, so an idle page costs the database no
  data reads, and a change made through any process reaches every process's pages.
- SQLite: one machine, no NOTIFY. A stream reads its value once a second (POLL_SECONDS).

Who may watch is decided when the stream opens, and again while it runs: a stream lasts
minutes, and a permission taken back, a person removed or a session signed out in that time
must stop it promptly, not at the next reconnect. So every stream takes a `still_allowed()`
(app/accounts/live_guard.py builds them) and ends the moment it says no. It is asked before
anything is read or sent, and on PostgreSQL also every CHECK_SECONDS while nothing changes:
revocations write no notification of their own (a session can also simply expire), so this
cheap check on a timer is what bounds how long a revoked stream lives. It reads who the
person is, never the plan or thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from app.core.live_listener import Listener

POLL_SECONDS = 1.0  # SQLite: how often a stream reads its value
CHECK_SECONDS = 2.0  # PostgreSQL: how often an idle stream asks still_allowed()
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # the browser reconnects by itself after this
RETRY = "retry: 3000\n\n"
HEARTBEAT = ": still here\n\n"

T = TypeVar("T")


def changes(
    read: Callable[[], T],
    describe: Callable[[T], str],
    *,
    key: str,
    listener: Listener | None,
    still_allowed: Callable[[], bool],
    poll: float = POLL_SECONDS,
) -> AsyncIterator[str]:
    """SSE text: a retry hint, then 'changed' (data: `describe(value)`) whenever `read()`
    gives a new value, and a heartbeat comment every HEARTBEAT_SECONDS; ends after
    STREAM_SECONDS, or as soon as `still_allowed()` is false. With a `listener`
    (PostgreSQL) `read()` runs only when `key` (e.g. 'plan:42') is notified or the listener
    reconnects; without one (SQLite) it runs every `poll` seconds. `read` and
    `still_allowed` run in the thread pool (they use the database)."""
    if listener is None:
        return _polled(read, describe, still_allowed=still_allowed, poll=poll)
    return _notified(read, describe, key=key, listener=listener, still_allowed=still_allowed)


def _changed(description: str) -> str:
    return f"event: changed\ndata: {description}\n\n"


async def _polled(
    read: Callable[[], T],
    describe: Callable[[T], str],
    *,
    still_allowed: Callable[[], bool],
    poll: float,
) -> AsyncIterator[str]:
    """SQLite: `still_allowed()` then `read()` every `poll` seconds."""
    if not await run_in_threadpool(still_allowed):
        return
    last = await run_in_threadpool(read)
    yield RETRY
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
            yield _changed(describe(now))
        elif since_beat >= HEARTBEAT_SECONDS:
            since_beat = 0.0
            yield HEARTBEAT


async def _notified(
    read: Callable[[], T],
    describe: Callable[[T], str],
    *,
    key: str,
    listener: Listener,
    still_allowed: Callable[[], bool],
) -> AsyncIterator[str]:
    """PostgreSQL: `read()` when woken by the listener; `still_allowed()` when woken and
    every CHECK_SECONDS."""
    if not await run_in_threadpool(still_allowed):
        return
    clock = asyncio.get_running_loop().time
    with listener.subscribe(key) as notices:
        # Subscribed first: a change committed from here on wakes the wait below.
        last = await run_in_threadpool(read)
        yield RETRY
        ends = clock() + STREAM_SECONDS
        beat = clock() + HEARTBEAT_SECONDS
        while (left := ends - clock()) > 0:
            woken = await notices.wait(min(CHECK_SECONDS, left))
            if not await run_in_threadpool(still_allowed):
                return
            if woken:
                now = await run_in_threadpool(read)
                if now != last:
                    last = now
                    beat = clock() + HEARTBEAT_SECONDS
                    yield _changed(describe(now))
                    continue
            if clock() >= beat:
                beat = clock() + HEARTBEAT_SECONDS
                yield HEARTBEAT
