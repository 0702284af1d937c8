"""Support people: a client links someone they trust, and can unlink them at any time.

What a support person may do is decided by `app/accounts/permissions.py`: see, by default;
ask for changes, if the client allows it here.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts import repository
from app.accounts.models import WebSession
from app.audit.service import record
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.delivery.models import Channel, NotificationKind
from app.delivery.outbox import cancel_pending_to_user, queue_message
from app.people.models import Role, SupportLink, User

# Names no one and nothing about the programme; tests/core/test_every_sms_fits.py counts it.
SUPPORT_ADDED = lazy_gettext(
    "Someone you help has added you on My Pathways. To see what they have shared, "
    "sign in with this number: %(link)s"
)


def link_support_person(
    *,
    session: Session,
    client_id: int,
    name: str,
    phone: str,
    relationship: str,
    existing: User | None,
    can_ask_for_changes: bool = False,
    language: str = "en",
) -> SupportLink:
    """Record the client's consent; the support person signs in with a code to that phone,
    and is told by a discreet text (in the client's language) that they have been added."""
    supporter = existing or User(role=Role.supporter, full_name=name, phone=phone)
    session.add(supporter)
    session.flush()
    assert supporter.id is not None
    link = SupportLink(
        client_id=client_id,
        supporter_user_id=supporter.id,
        relationship=relationship,
        can_ask_for_changes=can_ask_for_changes,
    )
    session.add(link)
    session.flush()
    record(
        session=session,
        action="support_person.linked",
        actor_role=Role.client,
        client_id=client_id,
        detail={"relationship": relationship, "can_ask_for_changes": can_ask_for_changes},
    )
    _tell_support_person(session, supporter, language)
    return link


def _tell_support_person(session: Session, supporter: User, language: str) -> None:
    # Names no one and nothing about the programme: it may show on a lock screen.
    if not supporter.phone:
        return
    with use_language(language):
        body = _(SUPPORT_ADDED) % {"link": f"{get_settings().base_url}/sign-in"}
    queue_message(
        session=session,
        channel=Channel.sms,
        recipient=supporter.phone,
        body=body,
        kind=NotificationKind.support_added,
        user_id=supporter.id,
        # Not something they asked for: it waits for the daytime, like a client's reminders.
        wait_for_daytime=True,
    )


def set_support_permissions(
    *,
    session: Session,
    link: SupportLink,
    can_ask_for_changes: bool | None = None,
    can_see_messages: bool | None = None,
) -> None:
    """The client changes what a support person may do (None: leave that one as it is); it
    takes effect on their next click, and each change is an audit line."""
    changes = {
        name: value
        for name, value in (
            ("can_ask_for_changes", can_ask_for_changes),
            ("can_see_messages", can_see_messages),
        )
        if value is not None and getattr(link, name) != value
    }
    if not changes:
        return
    for name, value in changes.items():
        setattr(link, name, value)
    session.add(link)
    record(
        session=session,
        action="support_person.permissions_changed",
        actor_role=Role.client,
        client_id=link.client_id,
        detail=changes,
    )


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
    # A welcome still held for the daytime would tell them of a sharing that has ended (if
    # nobody else shares with them now: the welcome names no one, so it stays true for others).
    session.flush()
    if not repository.active_links_for_supporter(
        session=session, supporter_user_id=link.supporter_user_id
    ):
        cancel_pending_to_user(
            session=session,
            user_id=link.supporter_user_id,
            kinds=[NotificationKind.support_added],
        )
    record(
        session=session,
        action="support_person.unlinked",
        actor_role=Role.client,
        client_id=link.client_id,
        detail={},
    )
