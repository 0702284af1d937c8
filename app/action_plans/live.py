"""Live plan updates: one stream per open plan page, told when the plan's `updated_at` moves
(core.live), and the announcement that it moved (core.live_notify, on PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime

from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.action_plans.models import ActionPlan, PlanChange
from app.core.db import get_engine
from app.core.live import POLL_SECONDS, changes
from app.core.live_listener import listener_for


def plan_key(client_id: int) -> str:
    """The live key of a client's plan: 'plan:<client id>'."""
    return f"plan:{client_id}"


def _updated_at(client_id: int) -> datetime | None:
    with Session(get_engine()) as session:
        return session.exec(
            select(ActionPlan.updated_at).where(ActionPlan.client_id == client_id)
        ).first()


def plan_events(
    client_id: int, *, still_allowed: Callable[[], bool], poll: float = POLL_SECONDS
) -> AsyncIterator[str]:
    """'changed' events whenever the client's plan changes, plus heartbeats, while
    `still_allowed()` (the viewer's permission, read afresh) holds."""
    return changes(
        lambda: _updated_at(client_id),
        lambda now: now.isoformat() if now else "",
        key=plan_key(client_id),
        listener=listener_for(get_engine()),
        still_allowed=still_allowed,
        poll=poll,
    )


def changed_plans(connection: Connection, rows: list[object]) -> set[str]:
    """The plan keys these flushed rows change. Every change to a plan writes a history row
    (PlanChange) or the plan itself; the step edits' bulk `updated_at` UPDATE is not seen by
    the flush, its history row is."""
    client_ids = {row.client_id for row in rows if isinstance(row, ActionPlan)}
    plan_ids = {row.plan_id for row in rows if isinstance(row, PlanChange)}
    if plan_ids:
        found = connection.execute(
            select(ActionPlan.client_id).where(col(ActionPlan.id).in_(plan_ids))
        )
        client_ids.update(found.scalars())
    return {plan_key(client_id) for client_id in client_ids}
