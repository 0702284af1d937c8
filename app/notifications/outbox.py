"""Queue a message in the same transaction as the change that causes it.

Until the reminders work brings GOV.UK Notify and web push, every message lands in the
development outbox, which only development mode can display.
"""

from __future__ import annotations

from sqlmodel import Session

from app.notifications.models import Channel, DevOutboxMessage


def queue_message(*, session: Session, channel: Channel, recipient: str, body: str) -> None:
    """Add a message to the outbox for the current transaction."""
    session.add(DevOutboxMessage(channel=channel, recipient=recipient, body=body))
