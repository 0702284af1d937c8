"""Invitations: a link sent by text (clients) or email (staff) to finish setting up an account."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.accounts.models import Invitation
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.core.tokens import keyed_hash, new_token
from app.delivery.message import first_that_fits
from app.delivery.models import Channel, NotificationKind
from app.delivery.outbox import queue_message
from app.people.models import Role, User

INVITATION_LIFETIME = timedelta(days=7)
STAFF = (Role.adviser, Role.admin)
INVITATION = lazy_gettext(
    "Hello %(name)s. %(adviser)s has set up My Pathways for you. "
    "You can see your appointments there: %(link)s"
)
INVITATION_SHORTER = lazy_gettext("%(adviser)s has set up My Pathways for you: %(link)s")
INVITATION_SHORTEST = lazy_gettext("Your My Pathways link: %(link)s")
# Staff are invited by email: their link sets a password and an authenticator.
STAFF_INVITATION = lazy_gettext(
    "Hello %(name)s. %(adviser)s has given you a staff account on My Pathways. "
    "Set your password and authenticator app here within 7 days: %(link)s"
)


def send_invitation(
    *, session: Session, user: User, created_by: User, language: str = "en"
) -> Invitation:
    """Create an invitation and queue its link by text (or by email for staff)."""
    assert user.id is not None and created_by.id is not None
    token = new_token()
    invitation = Invitation(
        token_hash=keyed_hash("invitation", token),
        user_id=user.id,
        created_by_user_id=created_by.id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    session.add(invitation)
    link = f"{get_settings().base_url}/invitation/{token}"
    values = {"name": user.display_name, "adviser": created_by.display_name, "link": link}
    with use_language(language):
        body = _(STAFF_INVITATION if user.role in STAFF else INVITATION) % values
        # A name with a Welsh circumflex (Siân) makes a text UCS-2 (70 characters a segment):
        # shorter wordings keep it within two segments.
        text = first_that_fits(
            body, _(INVITATION_SHORTER) % values, _(INVITATION_SHORTEST) % values
        )
    if user.phone:
        queue_message(
            session=session,
            channel=Channel.sms,
            recipient=user.phone,
            body=text,
            kind=NotificationKind.invitation,
            user_id=user.id,
        )
    elif user.email:
        queue_message(
            session=session,
            channel=Channel.email,
            recipient=user.email,
            body=body,
            kind=NotificationKind.invitation,
            user_id=user.id,
        )
    session.flush()
    return invitation


def find_open_invitation(*, session: Session, token: str) -> Invitation | None:
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == keyed_hash("invitation", token))
    ).first()
    if invitation is None or invitation.accepted_at or invitation.expires_at <= utcnow():
        return None
    return invitation
