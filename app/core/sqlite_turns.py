"""On SQLite, requests of one process take turns, waiting on the event loop.

SQLite has one writer at a time, and every request here starts a write transaction (see
db.request_session). If requests waited for it in worker threads, fifty waiting requests would
fill the thread pool, the request holding the lock could not get a thread to finish, and
everyone would time out. Waiting here costs no thread. The turn ends when the response starts:
by then the request's transaction has committed (SessionDep commits before the response), so
a long response such as the plan's event stream never holds anyone up.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Static files never touch the database.
NO_TURN_NEEDED = ("/assets/",)


class SQLiteTurns:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # A semaphore, not a lock: the turn may end in another task (streamed responses send
        # from a task of their own), and only a semaphore may be released from anywhere.
        self._lock: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NO_TURN_NEEDED):
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
