"""Rehearse the outbox on a moved clock, outside production: send everything that falls due up
to a moment, each at its own minute, as a worker polling all along would have. For people
testing reminders ("what would reach the phone between now and Friday, and when?")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import frozen_now
from app.delivery.models import Notification, NotificationStatus
from app.delivery.worker import Worker


def next_due(engine: Engine) -> datetime | None:
    """When the earliest waiting message is due (UTC), or None if nothing waits."""
    with Session(engine) as session:
        due: datetime | None = session.exec(
            select(func.min(col(Notification.next_attempt_at))).where(
                Notification.status == NotificationStatus.pending
            )
        ).one()
    return due


def rehearse(worker: Worker, until: datetime) -> Iterator[Notification]:
    """Move the clock from one due time to the next, up to `until` (aware), and deal with what
    is due at each; yields every message that ended sent or cancelled, in order."""
    while (due := next_due(worker.engine)) is not None and due < until:
        with frozen_now(due):
            while worker.run_once():
                pass
        with Session(worker.engine) as session:
            yield from session.exec(
                select(Notification)
                .where(
                    col(Notification.finished_at) == due,
                    col(Notification.status).in_(
                        [NotificationStatus.sent, NotificationStatus.cancelled]
                    ),
                )
                .order_by(col(Notification.id))
            ).all()
