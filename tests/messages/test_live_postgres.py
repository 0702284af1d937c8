"""Live thread updates on PostgreSQL: a new message is announced when it is committed (not
when messages are only marked read), and reaches an open thread stream that otherwise reads
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.db import build_engine
from app.core.live_listener import CHANNEL, connect_like, listener_for, stop_listeners
from app.core.migrations import upgrade_to_head
from app.messages import live as thread_live
from app.messages import service
from app.messages.live import thread_events, thread_key
from app.messages.models import Author
from app.people.models import ClientProfile, User
from tests.asyncio_run import run_coroutine
from tests.factories import make_adviser, make_client
from tests.live_postgres import heard, until


@pytest.fixture(scope="module")
def engine(make_database: Callable[[str], str]) -> Iterator[Engine]:
    url = make_database("postgresql")
    upgrade_to_head(url)
    engine = build_engine(url)
    yield engine
    stop_listeners()
    engine.dispose()


def _client(engine: Engine) -> int:
    with Session(engine) as session:
        adviser, _ = make_adviser(session)
        profile, _ = make_client(session, adviser)
        session.commit()
        assert profile.id is not None
        return profile.id


def _write(engine: Engine, client_id: int, body: str) -> None:
    with Session(engine) as session:
        profile = session.get(ClientProfile, client_id)
        assert profile is not None
        user = session.get(User, profile.user_id)
        assert user is not None
        service.write_as_client(session=session, profile=profile, user=user, body=body)
        session.commit()


def test_a_new_message_is_announced_and_reading_one_is_not(engine: Engine) -> None:
    client_id = _client(engine)
    with connect_like(engine)() as watcher:
        watcher.execute(f"LISTEN {CHANNEL}")
        _write(engine, client_id, "Can we talk about the course?")  # the thread's first
        assert heard(watcher) == [thread_key(client_id)]
        with Session(engine) as session:
            assert service.mark_read(session=session, client_id=client_id, reader=Author.adviser)
            session.commit()
        assert heard(watcher) == []


def test_a_message_written_elsewhere_reaches_an_open_thread_stream(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = _client(engine)
    monkeypatch.setattr(thread_live, "get_engine", lambda: engine)
    other = build_engine(engine.url.render_as_string(hide_password=False))

    async def scenario() -> None:
        chunks: list[str] = []

        async def consume() -> None:
            async for chunk in thread_events(client_id, still_allowed=lambda: True):
                chunks.append(chunk)

        task = asyncio.create_task(consume())
        listener = listener_for(engine)
        assert listener is not None
        await until(lambda: chunks and listener.listening.is_set())
        await asyncio.to_thread(_write, other, client_id, "Running late")
        took = await until(lambda: any("event: changed" in chunk for chunk in chunks), 5)
        task.cancel()
        assert took < 2

    try:
        run_coroutine(scenario())
    finally:
        other.dispose()
