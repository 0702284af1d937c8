"""One LISTEN connection per process, for live page updates on PostgreSQL.

Writers announce a change with `NOTIFY mypathways_live, '<kind>:<id>'` inside their own
transaction (app/core/live_notify.py), so PostgreSQL delivers it only once they commit. Here
one daemon thread per process and database holds a dedicated psycopg connection doing
`LISTEN mypathways_live` and hands each payload to the open streams waiting on that key
(`subscribe`), on their own event loops. However many pages are open, the process keeps one
connection, and reads no plan or thread for them while nothing changes (each stream's
permission check stays on its own timer: app/core/live.py).

A notification sent while nobody was listening is lost, so every time LISTEN begins (the
first connection, and each reconnection after the connection dropped) every waiting stream
is woken to read its value once more: a change made in the gap still reaches the page.

LISTEN needs a session-level connection: behind a pooler in transaction mode (PgBouncer's
default) notifications would not arrive, so the database URL must reach PostgreSQL directly
or through session pooling.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import psycopg
from sqlalchemy.engine import Engine

CHANNEL = "mypathways_live"
APPLICATION_NAME = "mypathways-live"  # how the connection shows in pg_stat_activity
WAKE_EVERY_SECONDS = 1.0  # how soon the thread notices it was asked to stop
PING_SECONDS = 30.0  # a question now and then, so a connection that died silently is noticed
RECONNECT_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)  # waits between attempts; the last repeats
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}

log = logging.getLogger("mypathways.live")

Connect = Callable[[], psycopg.Connection]


class Notices:
    """What one open stream waits on: woken when its key is notified, or when the listener
    (re)starts listening and nobody can say what was missed."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()

    def wake(self) -> None:
        """Thread-safe: called from the listener's thread."""
        # A loop that has closed raises RuntimeError: its stream is gone, nobody is waiting.
        with suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._event.set)

    async def wait(self, timeout: float) -> bool:
        """True if woken within `timeout` seconds (the wake is used up), False if not."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        # Cleared before the caller reads, so a notice that arrives during the read wakes
        # the next wait at once rather than being lost.
        self._event.clear()
        return True


class Listener:
    """The process's LISTEN connection for one database, started by the first subscriber."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._lock = threading.Lock()
        self._waiting: dict[str, set[Notices]] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()  # the running thread's own: a new thread gets a new one
        self.listening = threading.Event()  # set while LISTEN is in effect
        self.sessions = 0  # how many times LISTEN has begun (1 + reconnections)

    @contextmanager
    def subscribe(self, key: str) -> Iterator[Notices]:
        """Notices for `key` (e.g. 'plan:42') while the block runs; call from the stream's
        event loop. Subscribe before reading the value the page shows, so a change committed
        between the read and the wait still wakes it."""
        notices = Notices(asyncio.get_running_loop())
        with self._lock:
            self._waiting.setdefault(key, set()).add(notices)
            if self._thread is None:
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, args=(self._stop,), name="live-listener"
                )
                self._thread.daemon = True  # never holds the process open
                self._thread.start()
        try:
            yield notices
        finally:
            with self._lock:
                waiting = self._waiting.get(key, set())
                waiting.discard(notices)
                if not waiting:
                    self._waiting.pop(key, None)

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connection and end the thread (at shutdown); a later subscriber starts
        a new one."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stop.set()
        if thread is not None:
            thread.join(timeout)

    def _wake(self, key: str | None) -> None:
        """Wake the streams waiting on `key`, or every stream if None."""
        with self._lock:
            if key is None:
                targets = [n for waiting in self._waiting.values() for n in waiting]
            else:
                targets = list(self._waiting.get(key, ()))
        for notices in targets:
            notices.wake()

    def _run(self, stop: threading.Event) -> None:
        attempt = 0
        while not stop.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    attempt = 0
                    self.sessions += 1
                    self.listening.set()
                    self._wake(None)  # whatever changed while nobody listened: read again
                    self._receive(connection, stop)
            except (psycopg.Error, OSError) as error:
                log.warning("live updates: listener connection lost (%s)", type(error).__name__)
            except Exception:
                # Never let the thread die: streams would wait for notices that never come.
                log.exception("live updates: listener failed")
            finally:
                self.listening.clear()
            stop.wait(RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)])
            attempt += 1

    def _receive(self, connection: psycopg.Connection, stop: threading.Event) -> None:
        pinged = time.monotonic()
        while not stop.is_set():
            for notice in connection.notifies(timeout=WAKE_EVERY_SECONDS):
                self._wake(notice.payload)
            if time.monotonic() - pinged >= PING_SECONDS:
                connection.execute("SELECT 1")
                pinged = time.monotonic()


def connect_like(engine: Engine) -> Connect:
    """A function opening a new autocommit psycopg connection with the engine's own
    connection arguments (outside its pool: this one is held for the process's life)."""
    cargs, cparams = engine.dialect.create_connect_args(engine.url)

    def connect() -> psycopg.Connection:
        # TCP keepalives: a peer that vanished without closing the connection (a network
        # partition, a failover) is noticed in about a minute rather than the system's hours.
        options = {**KEEPALIVES, **cparams, "autocommit": True}
        options["application_name"] = APPLICATION_NAME
        return psycopg.connect(*cargs, **options)

    return connect


_listeners: dict[str, Listener] = {}
_listeners_guard = threading.Lock()


def listener_for(engine: Engine) -> Listener | None:
    """The process's listener for this engine's database; None on SQLite (streams poll)."""
    if engine.dialect.name != "postgresql":
        return None
    key = engine.url.render_as_string(hide_password=False)
    with _listeners_guard:
        if key not in _listeners:
            _listeners[key] = Listener(connect_like(engine))
        return _listeners[key]


def stop_listeners() -> None:
    """Stop every listener this process started (the app's shutdown)."""
    with _listeners_guard:
        listeners = list(_listeners.values())
    for listener in listeners:
        listener.stop()
