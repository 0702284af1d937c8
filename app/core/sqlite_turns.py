"""On SQLite, requests that change things take turns, waiting on the event loop.

SQLite has one writer at a time, and a POST's transaction takes the write lock when it begins
(see db.request_session). If POSTs waited for it in worker threads, fifty waiting requests
would fill the thread pool, the request holding the lock could not get a thread to finish,
and everyone would time out. Waiting here costs no thread. The turn ends when the response
starts: by then the request's transaction has committed (SessionDep commits before the
response), so a long response never holds anyone up.

GETs do not take turns: they read without the lock (db.ReaderSession), so a slow write never
holds up a page. The few that write (an audit line, a last-seen time) wait for the lock in
their worker thread, and only from their first write to their commit, which is short. Were
the whole thread pool ever waiting so, the lock's timeout (db.WRITE_TURN_TIMEOUT) ends it
with an error page, not a hang; a service that busy belongs on PostgreSQL.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.db import SAFE_METHODS

# Static files never touch the database.
NO_TURN_NEEDED = ("/assets/",)


class SQLiteTurns:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # A semaphore, not a lock: the turn may end in another task (streamed responses send
        # from a task of their own), and only a semaphore may be released from anywhere.
        self._lock: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope["path"].startswith(NO_TURN_NEEDED)
        ):
            await self.app(scope, receive, send)
            return
        if self._lock is None:
            self._lock = anyio.Semaphore(1)
        lock = self._lock
        await lock.acquire()
        released = False

        async def send_and_release(message: Message) -> None:
            nonlocal released
            if message["type"] == "http.response.start" and not released:
                released = True
                lock.release()
            await send(message)

        try:
            await self.app(scope, receive, send_and_release)
        finally:
            if not released:
                lock.release()
