"""What the adviser's page may say about telling the client: read from the outbox, never
assumed. A message held for the client's quiet hours has not told them anything yet, so the
page says when it will go ("Cara will get a message tomorrow at 8am"), not "has been told"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.delivery.reach import can_reach
from app.reminders.wording import when_phrase


class Telling(StrEnum):
    told = "told"  # the push service or GOV.UK Notify accepted it
    going = "going"  # due now: a worker sends it within moments
    held = "held"  # waiting for the client's quiet hours to end (or a retry)
    not_sent = "not-sent"  # none planned, or it could not go (no channel, failed)


@dataclass(frozen=True)
class Told:
    state: Telling
    when: str | None = None  # for `held`: "today at 8am", in the reader's language


def told(
    session: Session,
    *,
    subject: str,
    kinds: Sequence[NotificationKind],
    key_prefix: str | None = None,
) -> Told:
    """Where the latest message of these kinds about `subject` ("client:5", "appointment:12")
    stands, as the adviser's banner says it."""
    query = select(Notification).where(
        Notification.subject == subject, col(Notification.kind).in_(list(kinds))
    )
    if key_prefix is not None:
        query = query.where(col(Notification.idempotency_key).startswith(key_prefix))
    row = session.exec(query.order_by(col(Notification.id).desc()).limit(1)).first()
    if row is None:
        return Told(Telling.not_sent)
    if row.status in (NotificationStatus.sent, NotificationStatus.delivered):
        return Told(Telling.told)
    if row.status == NotificationStatus.pending and not can_reach(session, row):
        # The worker will call it off ("no channel chosen"): nothing is on its way.
        return Told(Telling.not_sent)
    now = utcnow()
    if row.status == NotificationStatus.sending or (
        row.status == NotificationStatus.pending and row.next_attempt_at <= now
    ):
        return Told(Telling.going)
    if row.status == NotificationStatus.pending:
        return Told(Telling.held, when_phrase(row.next_attempt_at, now))
    return Told(Telling.not_sent)
