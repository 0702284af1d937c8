"""Live plan updates on PostgreSQL: a change is announced by NOTIFY when (and only when) its
transaction commits, reaches an open stream through the process's one LISTEN connection,
and an open page that nothing changes costs the database no reads at all. A change made
while the LISTEN connection was down still reaches the page once it is back."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.action_plans import live as plan_live
from app.action_plans import service
from app.action_plans.live import plan_events, plan_key
from app.action_plans.models import ActionPlan
from app.core.db import build_engine
from app.core.live import CHECK_SECONDS, changes
from app.core.live_listener import (
    APPLICATION_NAME,
    CHANNEL,
    Listener,
    connect_like,
    listener_for,
    stop_listeners,
)
from app.core.migrations import upgrade_to_head
from tests.asyncio_run import run_coroutine
from tests.live_postgres import add_step, client_with_plan, heard, until

IDLE_SECONDS = 2.5 * CHECK_SECONDS


@pytest.fixture(scope="module")
def engine(make_database: Callable[[str], str]) -> Iterator[Engine]:
    """An engine on a PostgreSQL database of this module's own, built by the migrations."""
    url = make_database("postgresql")
    upgrade_to_head(url)
    engine = build_engine(url)
    yield engine
    stop_listeners()
    engine.dispose()


@pytest.fixture
def elsewhere(engine: Engine) -> Iterator[Engine]:
    """Another engine on the same database: its own connections, as another process has."""
    other = build_engine(engine.url.render_as_string(hide_password=False))
    yield other
    other.dispose()


def test_a_plan_change_is_announced_on_commit_and_never_on_rollback(engine: Engine) -> None:
    client_id = client_with_plan(engine)
    with connect_like(engine)() as watcher:
        watcher.execute(f"LISTEN {CHANNEL}")
        with Session(engine) as session:
            plan = service.plan_for(session=session, client_id=client_id)
            service.add_step(
                session=session, plan=plan, title="Undone", actor_user_id=None, actor_role="client"
            )
            session.flush()
            session.rollback()
        assert heard(watcher) == []
        add_step(engine, client_id)
        # One notification for the whole transaction (the step, its history row, the plan).
        assert heard(watcher) == [plan_key(client_id)]
        with Session(engine) as session:
            plan = service.plan_for(session=session, client_id=client_id)
            service.note_progress(
                session=session, plan=plan, progress="Went to the library", actor_user_id=None
            )
            session.commit()
        assert heard(watcher) == [plan_key(client_id)]


class Statements:
    """Every statement an engine sends, from when it is made until `stop()`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[str] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.sent.append(statement)

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


def test_an_idle_plan_page_reads_nothing_and_a_change_elsewhere_reaches_it(
    engine: Engine, elsewhere: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = client_with_plan(engine)
    monkeypatch.setattr(plan_live, "get_engine", lambda: engine)
    checks: list[float] = []

    def still_allowed() -> bool:
        checks.append(time.monotonic())
        return True

    async def scenario() -> None:
        chunks: list[str] = []
        stream = plan_events(client_id, still_allowed=still_allowed)

        async def consume() -> None:
            async for chunk in stream:
                chunks.append(chunk)

        task = asyncio.create_task(consume())
        listener = listener_for(engine)
        assert listener is not None
        await until(lambda: chunks and listener.listening.is_set())
        await asyncio.sleep(0.5)  # the one read every stream makes when LISTEN begins
        statements = Statements(engine)
        checks.clear()
        await asyncio.sleep(IDLE_SECONDS)
        idle, statements.sent = list(statements.sent), []
        idle_checks = len(checks)

        await asyncio.to_thread(add_step, elsewhere, client_id)
        took = await until(lambda: any("event: changed" in chunk for chunk in chunks), 5)
        await asyncio.sleep(0.3)
        statements.stop()
        task.cancel()

        # Idle: not one statement, yet the permission was asked again on its timer.
        assert idle == []
        assert idle_checks >= 2
        # The change: announced, read once, sent.
        assert took < 2
        reads = [s for s in statements.sent if "action_plans" in s]
        assert len(reads) == 1, statements.sent

    run_coroutine(scenario())


def _updated_at(engine: Engine, client_id: int) -> object:
    with Session(engine) as session:
        return session.exec(
            select(ActionPlan.updated_at).where(ActionPlan.client_id == client_id)
        ).first()


def test_a_change_made_while_the_listener_was_away_reaches_the_page_when_it_is_back(
    engine: Engine, elsewhere: Engine
) -> None:
    client_id = client_with_plan(engine)
    reachable = threading.Event()
    reachable.set()
    real = connect_like(engine)

    def connect() -> psycopg.Connection:
        if not reachable.is_set():
            raise psycopg.OperationalError("the test keeps the database out of reach")
        return real()

    listener = Listener(connect)

    async def scenario() -> None:
        chunks: list[str] = []
        stream = changes(
            lambda: _updated_at(engine, client_id),
            str,
            key=plan_key(client_id),
            listener=listener,
            still_allowed=lambda: True,
        )

        async def consume() -> None:
            async for chunk in stream:
                chunks.append(chunk)

        task = asyncio.create_task(consume())
        await until(lambda: chunks and listener.listening.is_set())
        reachable.clear()
        with elsewhere.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %(name)s AND datname = current_database()",
                {"name": APPLICATION_NAME},
            )
        await until(lambda: not listener.listening.is_set())
        await asyncio.to_thread(add_step, elsewhere, client_id)  # its NOTIFY goes nowhere
        await asyncio.sleep(1.0)
        assert not any("event: changed" in chunk for chunk in chunks)

        reachable.set()
        await until(lambda: any("event: changed" in chunk for chunk in chunks), 10)
        assert listener.sessions == 2
        task.cancel()

    try:
        run_coroutine(scenario())
    finally:
        listener.stop()
