"""Support people: a client links someone they trust, and can unlink them at any time."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import Role, SupportLink, User, WebSession
from app.audit.service import record
from app.core.clock import utcnow


def link_support_person(
    *,
    session: Session,
    client_id: int,
    name: str,
    phone: str,
    relationship: str,
    existing: User | None,
) -> SupportLink:
    """Record the client's consent; the support person signs in with a code to that phone."""
    supporter = existing or User(role=Role.supporter, full_name=name, phone=phone)
    session.add(supporter)
    session.flush()
    assert supporter.id is not None
    link = SupportLink(
        client_id=client_id, supporter_user_id=supporter.id, relationship=relationship
    )
    session.add(link)
    session.flush()
    record(
        session=session,
        action="support_person.linked",
        actor_role=Role.client,
        client_id=client_id,
        detail={"relationship": relationship},
    )
    return link


def unlink_support_person(*, session: Session, link: SupportLink) -> None:
    """Withdraw consent: the link ends and any session acting for the client ends with it."""
    now = utcnow()
    link.revoked_at = now
    session.add(link)
    acting = session.exec(
        select(WebSession).where(
            WebSession.user_id == link.supporter_user_id,
            WebSession.acting_for_client_id == link.client_id,
        )
    ).all()
    for web_session in acting:
        web_session.revoked_at = now
        session.add(web_session)
    record(
        session=session,
        action="support_person.unlinked",
        actor_role=Role.client,
        client_id=link.client_id,
        detail={},
    )
