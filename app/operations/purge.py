"""Keep only what is needed: the daily purge (`python -m app purge`, and the outbox worker once
a day).

What goes, and when (periods are settings, in days):
- expired or ended sign-in sessions, and expired sign-in challenges: as soon as they expire;
- the words of finished messages (sent, delivered, failed or cancelled) and the address they went
  to, after MYPATHWAYS_MESSAGE_RETENTION_DAYS (30): the row stays, so counts and delivery
  receipts still add up, but title, body, text and recipient are blanked;
- audit lines, after MYPATHWAYS_AUDIT_RETENTION_DAYS (730, two years).
Closed accounts are erased when the adviser confirms the closure (app/data_rights/erasure.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, text, update
from sqlmodel import Session, col, select

from app.accounts.models import SignInChallenge, WebSession
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.core.clock import utcnow
from app.core.config import get_settings
from app.delivery.models import FINAL_STATUSES, Notification

PURGED = "system.purged"  # the audit line that records each day's purge
# Any fixed number: PostgreSQL's advisory lock for "one purge at a time" across workers.
_ADVISORY_LOCK = 2_1_0_2_1


@dataclass
class Purged:
    sessions: int = 0
    challenges: int = 0
    message_bodies: int = 0
    audit_lines: int = 0

    def summary(self) -> str:
        return (
            f"Purged {self.sessions} sessions, {self.challenges} sign-in challenges, "
            f"{self.message_bodies} message bodies, {self.audit_lines} audit lines."
        )


def purge(*, session: Session, now: datetime | None = None) -> Purged:
    """Delete or blank everything past its retention period, and record that it ran."""
    now = now or utcnow()
    settings = get_settings()
    done = Purged()
    done.sessions = _count(
        session.exec(
            delete(WebSession).where(
                or_(col(WebSession.expires_at) <= now, col(WebSession.revoked_at).is_not(None))
            )
        )
    )
    done.challenges = _count(
        session.exec(delete(SignInChallenge).where(col(SignInChallenge.expires_at) <= now))
    )
    done.message_bodies = _blank_old_messages(
        session, now - timedelta(days=settings.message_retention_days)
    )
    done.audit_lines = _count(
        session.exec(
            delete(AuditEvent).where(
                col(AuditEvent.occurred_at) < now - timedelta(days=settings.audit_retention_days)
            )
        )
    )
    line = audit.record(session=session, action=PURGED, actor_role="system", detail=vars(done))
    line.occurred_at = now
    session.add(line)
    return done


def _blank_old_messages(session: Session, before: datetime) -> int:
    finished = func.coalesce(col(Notification.finished_at), col(Notification.created_at))
    result = session.exec(
        update(Notification)
        .where(
            col(Notification.status).in_(FINAL_STATUSES),
            finished < before,
            or_(
                col(Notification.body) != "",
                col(Notification.sms_body) != "",
                col(Notification.title) != "",
                col(Notification.recipient).is_not(None),
            ),
        )
        .values(title="", body="", sms_body="", recipient=None, url="/")
        .execution_options(synchronize_session=False)
    )
    return _count(result)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge_if_due(*, session: Session, now: datetime | None = None) -> Purged | None:
    """The daily purge, unless it already ran today (UTC). Several workers may ask at once:
    on PostgreSQL an advisory lock held to the end of the transaction lets one through at a
    time; on SQLite the write transaction (BEGIN IMMEDIATE) already does. Each then sees the
    other's "purged" line and does nothing."""
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))  # type: ignore[call-overload]
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    already = session.exec(
        select(AuditEvent.id).where(
            AuditEvent.action == PURGED, col(AuditEvent.occurred_at) >= start_of_day
        )
    ).first()
    if already is not None:
        return None
    return purge(session=session, now=now)


def daily_purge(session: Session) -> str | None:
    """The outbox worker's daily job: the purge if due, and what it did (None: not due)."""
    done = purge_if_due(session=session)
    return done.summary() if done else None
