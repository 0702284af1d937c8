"""Live thread updates: one stream per open thread page, told when a message is added
(core.live, as the plan does it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from sqlmodel import Session, col, func, select

from app.core.db import get_engine
from app.core.live import POLL_SECONDS, changes
from app.messages.models import Message, MessageThread


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
    while `still_allowed()` (the reader's permission, read afresh each poll) holds."""
    return changes(
        lambda: _newest(client_id),
        lambda now: str(now or ""),
        still_allowed=still_allowed,
        poll=poll,
    )
