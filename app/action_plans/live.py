"""Live plan updates: one stream per open plan page, told when the plan's `updated_at` moves
(core.live)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime

from sqlmodel import Session, select

from app.action_plans.models import ActionPlan
from app.core.db import get_engine
from app.core.live import POLL_SECONDS, changes


def _updated_at(client_id: int) -> datetime | None:
    with Session(get_engine()) as session:
        return session.exec(
            select(ActionPlan.updated_at).where(ActionPlan.client_id == client_id)
        ).first()


def plan_events(
    client_id: int, *, still_allowed: Callable[[], bool], poll: float = POLL_SECONDS
) -> AsyncIterator[str]:
    """'changed' events whenever the client's plan changes, plus heartbeats, while
    `still_allowed()` (the viewer's permission, read afresh each poll) holds."""
    return changes(
        lambda: _updated_at(client_id),
        lambda now: now.isoformat() if now else "",
        still_allowed=still_allowed,
        poll=poll,
    )
