"""Live plan updates as Server-Sent Events.

Each open plan page holds one stream. The stream asks the database once a second whether the
plan's `updated_at` moved; every change goes through the database, so this works the same when
the two people are served by different app processes on one PostgreSQL, and on SQLite. Without
JavaScript the page simply shows the latest plan when reloaded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from app.action_plans.models import ActionPlan
from app.core.db import get_engine

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # the browser reconnects by itself after this


def _updated_at(client_id: int) -> datetime | None:
    with Session(get_engine()) as session:
        return session.exec(
            select(ActionPlan.updated_at).where(ActionPlan.client_id == client_id)
        ).first()


async def plan_events(client_id: int, *, poll: float = POLL_SECONDS) -> AsyncIterator[str]:
    """'changed' events whenever the client's plan changes, plus heartbeats."""
    last = await run_in_threadpool(_updated_at, client_id)
    yield "retry: 3000\n\n"
    waited = since_beat = 0.0
    while waited < STREAM_SECONDS:
        await asyncio.sleep(poll)
        waited += poll
        since_beat += poll
        now = await run_in_threadpool(_updated_at, client_id)
        if now != last:
            last = now
            yield f"event: changed\ndata: {now.isoformat() if now else ''}\n\n"
        elif since_beat >= HEARTBEAT_SECONDS:
            since_beat = 0.0
            yield ": still here\n\n"
