"""The outbox backlog as Prometheus gauges, read from the database when /metrics is scraped."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.delivery.models import Notification, NotificationStatus


def outbox_backlog(session: Session, now: datetime) -> tuple[int, float, int, int]:
    """(messages due and not yet sent, age in seconds of the oldest of them since it fell due,
    how many of those are waiting for a retry, messages being sent right now).

    Due means its time has come (`due_at`), whether or not a worker may try it yet: a message
    a provider keeps refusing waits for its next try, and must still count, or an outage of
    GOV.UK Notify would look like an empty outbox."""
    due, oldest, retrying = session.exec(
        select(
            func.count(),
            func.min(col(Notification.due_at)),
            func.count().filter(col(Notification.attempts) > 0),
        ).where(
            col(Notification.status) == NotificationStatus.pending,
            col(Notification.due_at) <= now,
        )
    ).one()
    sending = session.exec(
        select(func.count()).where(col(Notification.status) == NotificationStatus.sending)
    ).one()
    if isinstance(oldest, str):  # SQLite hands an aggregate's datetime back as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return int(due), age, int(retrying or 0), int(sending)


class OutboxCollector(Collector):
    """The outbox gauges, read once for the scrape that asks for them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def collect(self) -> list[GaugeMetricFamily]:
        due, age, retrying, sending = outbox_backlog(self.session, utcnow())
        return [
            GaugeMetricFamily(
                "mypathways_outbox_due",
                "Messages whose time has come that no worker has sent yet.",
                value=due,
            ),
            GaugeMetricFamily(
                "mypathways_outbox_oldest_due_age_seconds",
                "How long since the oldest unsent message fell due (0 if none).",
                value=age,
            ),
            GaugeMetricFamily(
                "mypathways_outbox_retrying",
                "Due messages waiting for another try after a provider refused or failed them.",
                value=retrying,
            ),
            GaugeMetricFamily(
                "mypathways_outbox_sending",
                "Messages claimed by a worker and not yet recorded as sent or failed.",
                value=sending,
            ),
        ]
