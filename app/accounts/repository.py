"""Queries about people, links between them, and who has looked at a record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.people.models import SupportLink, User


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


def live_link(*, session: Session, supporter_user_id: int, client_id: int) -> SupportLink | None:
    """The support person's live link to this client, if any."""
    return session.exec(
        select(SupportLink).where(
            SupportLink.supporter_user_id == supporter_user_id,
            SupportLink.client_id == client_id,
            col(SupportLink.revoked_at).is_(None),
        )
    ).first()


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


def message_readers(*, session: Session, client_id: int) -> list[str]:
    """Who else the client lets read their messages, as "Sam Support (support worker)": said
    to the client by the thread and to the adviser by the reply box, so nobody writes
    believing only the two of them read it."""
    return [
        f"{user.full_name} ({link.relationship})"
        for link, user in active_links_for_client(session=session, client_id=client_id)
        if link.can_see_messages
    ]


# Looks at a record by the same person closer together than this are one visit.
VISIT_GAP = timedelta(minutes=30)


@dataclass(frozen=True)
class RecordVisit:
    """One visit by one member of staff to a client's record (several pages, one row)."""

    started_at: datetime
    actor_name: str
    actor_role: str  # "adviser" or "admin"


def visits_to_record(*, session: Session, client_id: int, limit: int = 200) -> list[RecordVisit]:
    """Staff visits to a client's record, newest first, each person's looks within
    VISIT_GAP of each other counted as one visit."""
    rows = session.exec(
        select(AuditEvent, User)
        .outerjoin(User, col(User.id) == col(AuditEvent.actor_user_id))
        .where(
            AuditEvent.client_id == client_id,
            col(AuditEvent.actor_role).in_(["adviser", "admin"]),
            AuditEvent.action == "client_record.viewed",
        )
        .order_by(col(AuditEvent.occurred_at).desc())
        .limit(limit * 10)
    ).all()
    visits: list[RecordVisit] = []
    current_actor: int | None = None
    for event, user in rows:
        same_visit = (
            visits
            and event.actor_user_id == current_actor
            and visits[-1].started_at - event.occurred_at <= VISIT_GAP
        )
        if same_visit:
            visits[-1] = replace(visits[-1], started_at=event.occurred_at)
            continue
        if len(visits) == limit:
            break
        current_actor = event.actor_user_id
        visits.append(
            RecordVisit(
                started_at=event.occurred_at,
                actor_name=user.full_name if user is not None else "",
                actor_role=event.actor_role,
            )
        )
    return visits


def user_by_phone(*, session: Session, phone: str) -> User | None:
    return session.exec(select(User).where(User.phone == phone)).first()
