"""Live thread updates: one stream per open thread page, told when a message is added
(core.live, as the plan does it), and the announcement of it (core.live_notify)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from sqlalchemy.engine import Connection
from sqlmodel import Session, col, func, select

from app.core.db import get_engine
from app.core.live import POLL_SECONDS, changes
from app.core.live_listener import listener_for
from app.messages.models import Message, MessageThread


def thread_key(client_id: int) -> str:
    """The live key of a client's thread: 'thread:<client id>'."""
    return f"thread:{client_id}"


def _newest(client_id: int) -> int | None:
    with Session(get_engine()) as session:
        return session.exec(
            select(func.max(Message.id))
            .join(MessageThread, col(MessageThread.id) == col(Message.thread_id))
            .where(MessageThread.client_id == client_id)
        ).first()


def thread_events(
    client_id: int, *, still_allowed: Callable[[], bool], poll: float = POLL_SECONDS
) -> AsyncIterator[str]:
    """'changed' events whenever a message is added to the client's thread, plus heartbeats,
    while `still_allowed()` (the reader's permission, read afresh) holds."""
    return changes(
        lambda: _newest(client_id),
        lambda now: str(now or ""),
        key=thread_key(client_id),
        listener=listener_for(get_engine()),
        still_allowed=still_allowed,
        poll=poll,
    )


def changed_threads(connection: Connection, rows: list[object]) -> set[str]:
    """The thread keys of these added or removed messages (marking one read changes
    nothing the stream shows, so updates are not announced)."""
    thread_ids = {row.thread_id for row in rows if isinstance(row, Message)}
    found = connection.execute(
        select(MessageThread.client_id).where(col(MessageThread.id).in_(thread_ids))
    )
    return {thread_key(client_id) for client_id in found.scalars()}
