"""On SQLite, requests that change things take turns, waiting on the event loop.

SQLite has one writer at a time, and a POST's transaction takes the write lock when it begins
(see db.request_session). If POSTs waited for it in worker threads, fifty waiting requests
would fill the thread pool, the request holding the lock could not get a thread to finish,
and everyone would time out. Waiting here costs no thread. The turn ends when the response
starts: by then the request's transaction has committed (SessionDep commits before the
response), so a long response never holds anyone up.

GETs do not take turns: they read without the lock (db.ReaderSession), so a slow write never
holds up a page. The few that write (an audit line, a last-seen time) wait for the lock in
their worker thread, holding a database connection, from their first write to their commit.
So GETs are let in READER_SLOTS at a time, also waiting here: a burst of a hundred writing
GETs would otherwise take every pooled connection and thread while they queued for the lock,
and everyone, the request holding the lock included, would stall until the pool timed out.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.db import SAFE_METHODS

# Static files never touch the database.
NO_TURN_NEEDED = ("/assets/",)

# GETs inside the app at once. Below the SQLite pool's 15 connections (QueuePool's 5 + 10
# overflow) and AnyIO's 40 threads, leaving room for the POST holding the write lock, the
# outbox worker and live streams' short reads. More would only queue for the same two cores.
READER_SLOTS = 10


class SQLiteTurns:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Semaphores, not locks: a turn may end in another task (streamed responses send
        # from a task of their own), and only a semaphore may be released from anywhere.
        # Made on first use, inside the event loop that will wait on them.
        self._writer: anyio.Semaphore | None = None
        self._readers: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NO_TURN_NEEDED):
            await self.app(scope, receive, send)
            return
        if self._writer is None or self._readers is None:
            self._writer, self._readers = anyio.Semaphore(1), anyio.Semaphore(READER_SLOTS)
        turn = self._readers if scope["method"] in SAFE_METHODS else self._writer
        await turn.acquire()
        released = False

        async def send_and_release(message: Message) -> None:
            nonlocal released
            if message["type"] == "http.response.start" and not released:
                released = True
                turn.release()
            await send(message)

        try:
            await self.app(scope, receive, send_and_release)
        finally:
            if not released:
                turn.release()
