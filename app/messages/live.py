"""Live thread updates as Server-Sent Events, the way the plan does it (app/action_plans/live.py):
the stream asks the database once a second for the thread's newest message, so it works across
app processes. Without JavaScript, reloading the page shows the same thing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sqlmodel import Session, col, func, select
from starlette.concurrency import run_in_threadpool

from app.core.db import get_engine
from app.messages.models import Message, MessageThread

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # the browser reconnects by itself after this


def _newest(client_id: int) -> int | None:
    with Session(get_engine()) as session:
        return session.exec(
            select(func.max(Message.id))
            .join(MessageThread, col(MessageThread.id) == col(Message.thread_id))
            .where(MessageThread.client_id == client_id)
        ).first()


async def thread_events(client_id: int, *, poll: float = POLL_SECONDS) -> AsyncIterator[str]:
    """'changed' events whenever a message is added to the client's thread, plus heartbeats."""
    last = await run_in_threadpool(_newest, client_id)
    yield "retry: 3000\n\n"
    waited = since_beat = 0.0
    while waited < STREAM_SECONDS:
        await asyncio.sleep(poll)
        waited += poll
        since_beat += poll
        now = await run_in_threadpool(_newest, client_id)
        if now != last:
            last = now
            yield f"event: changed\ndata: {now or ''}\n\n"
        elif since_beat >= HEARTBEAT_SECONDS:
            since_beat = 0.0
            yield ": still here\n\n"
