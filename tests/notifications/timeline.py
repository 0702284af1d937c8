"""Run the outbox worker along a controlled clock: from one due time to the next, as a worker
polling every second would, and collect what reached one phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.clock import frozen_now, to_london
from app.delivery.models import Notification, NotificationStatus
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox


@dataclass(frozen=True)
class Arrival:
    at: datetime  # UTC
    body: str  # the text without its link

    def __str__(self) -> str:
        return f"{to_london(self.at):%a %d %b %H:%M} {self.body}"


def next_due(outbox: Outbox) -> datetime | None:
    with Session(outbox.engine) as session:
        found = session.exec(
            select(func.min(col(Notification.next_attempt_at))).where(
                Notification.status == NotificationStatus.pending
            )
        ).one()
    return found


def run_until(outbox: Outbox, notify: FakeNotify, phone: str, end: datetime) -> list[Arrival]:
    """Send everything that falls due before `end`, each at its minute; returns the texts that
    reached `phone`, in order."""
    arrivals: list[Arrival] = []
    worker = outbox.worker()
    while (due := next_due(outbox)) is not None and due < end:
        before = len(notify.sent)
        with frozen_now(due):
            outbox.drain(worker)
        arrivals += [
            Arrival(due, sent.body.split(" See ")[0])
            for sent in notify.sent[before:]
            if sent.to == phone
        ]
    return arrivals
