"""Helpers for the live-update tests on PostgreSQL: a client with a plan, a change to it
made through an engine of its own (as another process would), and what a raw LISTEN hears."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.action_plans import service
from tests.factories import make_adviser, make_client


def client_with_plan(engine: Engine) -> int:
    """A new client with an (empty) plan, committed; gives the client's id."""
    with Session(engine) as session:
        adviser, _ = make_adviser(session)
        profile, _ = make_client(session, adviser)
        assert profile.id is not None
        service.plan_for(session=session, client_id=profile.id)
        session.commit()
        return profile.id


def add_step(engine: Engine, client_id: int, title: str = "Visit the library") -> None:
    """One step added to the client's plan and committed, in a session of its own."""
    with Session(engine) as session:
        plan = service.plan_for(session=session, client_id=client_id)
        service.add_step(
            session=session, plan=plan, title=title, actor_user_id=None, actor_role="adviser"
        )
        session.commit()


def heard(connection: psycopg.Connection, seconds: float = 1.0) -> list[str]:
    """The payloads a LISTENing connection receives within `seconds`."""
    return [notice.payload for notice in connection.notifies(timeout=seconds)]


async def until(condition: Callable[[], object], seconds: float = 10.0) -> float:
    """Wait (without blocking the loop) until `condition()` is true; gives how long it took.
    Raises AssertionError after `seconds`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"still not true after {seconds} seconds")
        await asyncio.sleep(0.02)
    return time.monotonic() - started
