"""Database engine and the per-request session. The request owns the transaction."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.dml import UpdateBase
from sqlmodel import Session, create_engine
from starlette.concurrency import run_in_threadpool

from app.core.config import get_settings


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
    # SAVEPOINTs and "BEGIN" behave as on PostgreSQL (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers carry on while one writer writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten, not left in the file's free pages: an erased account's
    # name and number must not be readable in the database file or a copy of it.
    cursor.execute("PRAGMA secure_delete=ON")
    # Another process (the CLI, a second worker, a test harness) waits this long for the write
    # lock rather than failing; in this process writers queue in sqlite_write_turn instead.
    cursor.execute(f"PRAGMA busy_timeout={int(WRITE_TURN_TIMEOUT * 1000)}")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # run_write asks for BEGIN IMMEDIATE: take the write lock first, so the snapshot it reads
    # can never go stale before it writes.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def build_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine() -> Engine:
    return build_engine(get_settings().database_url)


# Requests that only ask: on SQLite they read without the write lock (see ReaderSession).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: commit if the handler succeeded, roll back if it raised.
    See request_session_on_loop for why it is async."""
    engine = get_engine()
    async for session in request_session_on_loop(engine, reader=request.method in SAFE_METHODS):
        yield session


# SQLite has one writer at a time. Requests and the outbox worker of one process queue for it
# here, on a lock that wakes the next in line at once, rather than in SQLite's busy handler,
# which sleeps in growing steps and gives up after busy_timeout (under load that turned waits
# into errors). Other processes still meet at SQLite's own lock.
_writers: dict[str, threading.Lock] = {}
_writers_guard = threading.Lock()
WRITE_TURN_TIMEOUT = 30.0


class DatabaseBusyError(TimeoutError):
    """The write lock stayed taken for WRITE_TURN_TIMEOUT seconds: answered with 503 and
    Retry-After, never a 500 (nothing was written)."""


def is_database_busy(error: BaseException) -> bool:
    """Whether `error` only says SQLite's write lock was taken for too long (our own writers'
    DatabaseBusyError, or another process's "database is locked"): nothing was written, and
    trying again later is the whole answer."""
    if isinstance(error, DatabaseBusyError):
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error)


@contextmanager
def sqlite_write_turn(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "sqlite":
        yield
        return
    with _writers_guard:
        lock = _writers.setdefault(str(engine.url), threading.Lock())
    if not lock.acquire(timeout=WRITE_TURN_TIMEOUT):
        raise DatabaseBusyError("the database stayed busy for too long")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session for a write outside a request (the CLI, seeding, a harness beside a live
    server): committed if the block succeeds, rolled back if it raises.

    On SQLite its transaction takes the write lock before its first read (BEGIN IMMEDIATE).
    A deferred transaction that reads, then writes after another process has written, fails
    at once with "database is locked" whatever the busy timeout, because its snapshot is
    stale; an immediate one waits its turn instead."""
    yield from request_session(engine or get_engine())


@lru_cache(maxsize=8)
def _immediate(engine: Engine) -> Engine:
    """`engine`, beginning its transactions with BEGIN IMMEDIATE (see request_session)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


class ReaderSession(Session):
    """A GET's session on SQLite: it reads in an ordinary (deferred) transaction, without the
    write lock, so it never waits for a slow write (WAL gives it a snapshot of its own).

    Some GETs write a little (the audit line of an adviser's view, a session's last-seen
    time, messages marked read). Before the first write reaches the database the session
    becomes a writer (`become_writer`): it waits its turn, ends its read snapshot and begins
    again with BEGIN IMMEDIATE. Upgrading the read transaction in place would fail outright
    ("database is locked") whenever another request had written since it began; what such a
    GET writes never depends on what it read being unchanged, so a fresh transaction is safe.
    """

    # An INSERT, UPDATE or DELETE run as a statement (not through flush) writes too. Checked
    # here rather than in a do_orm_execute listener: a listener made every query of the
    # caseload page a fifth slower.
    def exec(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(statement, UpdateBase):
            become_writer(self)
        return super().exec(statement, *args, **kwargs)

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(statement, UpdateBase):
            become_writer(self)
        return super().execute(statement, *args, **kwargs)

    def begin_nested(self) -> Any:
        # A savepoint inside the read snapshot could not be upgraded later: write first.
        become_writer(self)
        return super().begin_nested()


_TAKE_WRITE_TURN = "mypathways_take_write_turn"


def become_writer(session: Session) -> None:
    """Give a reading request's session the write lock before it writes (ReaderSession).
    A no-op for every other session, and the second time. Raises DatabaseBusyError if the
    database stays busy for WRITE_TURN_TIMEOUT seconds."""
    take_turn = session.info.pop(_TAKE_WRITE_TURN, None)
    if take_turn is None:
        return
    take_turn()
    connection = session.connection()
    connection.exec_driver_sql("COMMIT")  # the read snapshot: nothing was written in it
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(ReaderSession, "before_flush")
def _write_after_reading(session: Session, _context: Any, _instances: Any) -> None:
    become_writer(session)


Row = TypeVar("Row")


def find_or_add(session: Session, find: Callable[[], Row | None], make: Callable[[], Row]) -> Row:
    """The row `find` returns, or `make()`'s, added and flushed, for a row that must exist once
    (a unique key). Two requests may both find nothing and both add: the second's INSERT
    fails on the unique key (on SQLite its snapshot predates the first's commit; on
    PostgreSQL it waits for it), so it is undone inside a savepoint and the first's row is
    read instead. Raises IntegrityError only if the row still cannot be found."""
    row = find()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = make()
            session.add(row)
    except IntegrityError:
        row = find()
        if row is None:
            raise
    return row


def request_session(engine: Engine, *, reader: bool = False) -> Generator[Session, None, None]:
    """The session of one request (or one CLI write): committed if the block succeeds, rolled
    back if it raises. `reader` (a GET): on SQLite it reads without the write lock and takes
    it only if it comes to write (ReaderSession)."""
    if reader and engine.dialect.name == "sqlite":
        yield from _reader_session(engine)
    else:
        yield from _writer_session(engine)


def _reader_session(engine: Engine) -> Iterator[Session]:
    # Closed before the turn is given back: the commit is the last thing done in the turn.
    with ExitStack() as turn, ReaderSession(engine, expire_on_commit=False) as session:
        session.info[_TAKE_WRITE_TURN] = lambda: turn.enter_context(sqlite_write_turn(engine))
        yield from _committed(session)


def _committed(session: Session) -> Iterator[Session]:
    """Yield `session`; commit if the block succeeded, roll back if it raised."""
    try:
        yield session
        if has_work(session):  # commit() on an unused session still begins one: 30 µs
            session.commit()
    except Exception:
        session.rollback()
        raise


def has_work(session: Session) -> bool:
    """Whether `session` has a transaction or changes waiting for one: something to commit
    or roll back. A request that never asked the database has neither."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


def _writer_session(engine: Engine) -> Iterator[Session]:
    # On SQLite a request that reads and then writes (an audit line, a last-seen time) fails
    # outright if another request wrote in between. Taking the write lock when its transaction
    # begins (in turn, see above) means it never can. The transaction begins at the first
    # query, so a request that never asks the database (a health check, a page for someone
    # not signed in) opens no connection at all. SQLite is the single-machine default;
    # PostgreSQL serves anything busier.
    bind = _immediate(engine) if engine.dialect.name == "sqlite" else engine
    with sqlite_write_turn(engine), Session(bind, expire_on_commit=False) as session:
        try:
            yield from _committed(session)
        finally:
            # Only the request's own transaction takes the write lock. Anything that reads
            # through this session once the response has begun (a live stream's checks) reads
            # without it: a stream open for minutes must not hold every writer up.
            session.bind = engine


async def request_session_on_loop(engine: Engine, *, reader: bool) -> AsyncIterator[Session]:
    """request_session, driven from the event loop, going to the thread pool only for what
    may block: taking SQLite's write turn (a writer), and the commit or rollback of a session
    that used the database. Every request asks for a session (who is signed in, the guards),
    and most GETs of a page nobody is signed in to, a health check or a refused form never
    touch it: as a sync dependency each of them cost two trips to the thread pool, a fifth
    of a health check's time. Making a Session opens no connection, so it is done here."""
    steps = request_session(engine, reader=reader)
    may_block = not reader and engine.dialect.name == "sqlite"
    session = await run_in_threadpool(next, steps) if may_block else next(steps)
    try:
        yield session
    except BaseException as error:
        await _finish(steps, session, error)
        raise
    await _finish(steps, session, None)


async def _finish(
    steps: Generator[Session, None, None], session: Session, error: BaseException | None
) -> None:
    """Run request_session's ending (commit, or rollback for `error`), in the thread pool if
    the session has a transaction; otherwise there is nothing to send to the database."""

    def end() -> None:
        try:
            if error is None:
                next(steps)
            else:
                steps.throw(error)
        except StopIteration:
            return
        except BaseException as raised:
            if raised is error:
                return  # the error goes on from get_session
            raise
        raise AssertionError("request_session yields once")

    if has_work(session):
        await run_in_threadpool(end)
    else:
        end()


# scope="function": commit before the response is sent, so a redirect never outruns its data.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


T = TypeVar("T")


def run_write(
    work: Callable[[Session], T], *, attempts: int = 8, engine: Engine | None = None
) -> T:
    """Run a short write in a transaction of its own, retried from the start if the database
    says it is busy. On SQLite a writer whose snapshot went stale cannot carry on, so the
    only safe retry is a whole new transaction; on PostgreSQL this also absorbs rare
    serialisation failures. Used where concurrent edits must never be lost (the plan)."""
    for attempt in range(attempts):
        bind = engine or get_engine()
        with sqlite_write_turn(bind), Session(bind, expire_on_commit=False) as session:
            try:
                if bind.dialect.name == "sqlite":
                    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                result = work(session)
                session.commit()
                return result
            except OperationalError:
                session.rollback()
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (2**attempt))
    raise AssertionError("unreachable")


WriteRunner = Callable[[Callable[[Session], T]], T]


async def get_write_runner(session: SessionDep) -> Callable[..., Any]:
    """The request's way to run a retried write (tests swap in their own transaction).
    Async: it does no I/O, and a sync dependency would cost a trip to the thread pool.

    On SQLite the request already holds the write lock (BEGIN IMMEDIATE, see get_session), so
    nothing can interleave with it, and a second connection asking for the lock would wait on
    its own request until it timed out. There the work runs in the request's transaction, in a
    savepoint so a failure leaves nothing half-done. On PostgreSQL it gets a transaction of its
    own, retried from the start."""
    if session.get_bind().dialect.name == "sqlite":

        def in_request(work: Callable[[Session], Any]) -> Any:
            become_writer(session)  # a GET's session reads without the lock until now
            with session.begin_nested():
                return work(session)

        return in_request
    return run_write


WriteDep = Annotated[Callable[..., Any], Depends(get_write_runner)]
