"""Queries about people, links between them, and who has looked at a record."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.accounts.models import SupportLink, User
from app.audit.models import AuditEvent


def active_links_for_supporter(
    *, session: Session, supporter_user_id: int
) -> Sequence[SupportLink]:
    """The clients a support person may currently act for."""
    return session.exec(
        select(SupportLink).where(
            SupportLink.supporter_user_id == supporter_user_id,
            col(SupportLink.revoked_at).is_(None),
        )
    ).all()


def active_links_for_client(
    *, session: Session, client_id: int
) -> Sequence[tuple[SupportLink, User]]:
    """A client's support people, with their accounts."""
    return session.exec(
        select(SupportLink, User)
        .join(User, col(User.id) == col(SupportLink.supporter_user_id))
        .where(SupportLink.client_id == client_id, col(SupportLink.revoked_at).is_(None))
        .order_by(col(SupportLink.consented_at))
    ).all()


def views_of_record(*, session: Session, client_id: int) -> Sequence[AuditEvent]:
    """Staff looks at a client's record, newest first."""
    return session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.client_id == client_id,
            col(AuditEvent.actor_role).in_(["adviser", "admin"]),
            AuditEvent.action == "client_record.viewed",
        )
        .order_by(col(AuditEvent.occurred_at).desc())
        .limit(200)
    ).all()


def user_by_phone(*, session: Session, phone: str) -> User | None:
    return session.exec(select(User).where(User.phone == phone)).first()
