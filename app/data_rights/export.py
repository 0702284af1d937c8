"""Everything we hold about a client, as plain data they can download."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, select

from app.appointments import repository as appointments_repository
from app.appointments.models import Appointment
from app.audit.models import AuditEvent
from app.delivery.models import Notification, NotificationKind
from app.messages.repository import all_call_requests
from app.messages.service import thread_messages
from app.people.models import ClientProfile, SupportLink, User

# Secrets and internal hashes are never part of an export.
# Secrets and security bookkeeping: nothing a person can use, and no one else's business.
_PRIVATE_FIELDS = {
    "password_hash",
    "totp_secret",
    "totp_last_step",
    "token_hash",
    "code_hash",
    "challenge_hash",
}


def _plain(row: SQLModel) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump().items() if k not in _PRIVATE_FIELDS}


def export_client_data(*, session: Session, profile: ClientProfile, user: User) -> dict[str, Any]:
    """A JSON-ready copy of the client's account, profile, appointments, the help they keep for
    every appointment, group or one-to-one sessions, links, messages (to them, and their thread
    with the adviser), calls asked for and audit log."""
    assert profile.id is not None
    appointments = session.exec(
        select(Appointment)
        .where(Appointment.client_id == profile.id)
        .order_by(col(Appointment.starts_at))
    ).all()
    links = session.exec(select(SupportLink).where(SupportLink.client_id == profile.id)).all()
    audit = session.exec(
        select(AuditEvent)
        .where(AuditEvent.client_id == profile.id)
        .order_by(col(AuditEvent.occurred_at))
    ).all()
    contacts = [c for c in (user.phone, user.email) if c]
    # Messages to this person (by account or address), except sign-in codes, which are secrets.
    to_them = col(Notification.user_id) == user.id
    if contacts:
        to_them = or_(to_them, col(Notification.recipient).in_(contacts))
    messages = session.exec(
        select(Notification)
        .where(to_them, Notification.kind != NotificationKind.sign_in_code)
        .order_by(col(Notification.id))
    ).all()
    needs = appointments_repository.standing_needs(session=session, client_id=profile.id)
    sessions = appointments_repository.session_preference(session=session, client_id=profile.id)
    return {
        "account": _plain(user),
        "profile": _plain(profile),
        "appointments": [_plain(a) for a in appointments],
        "help_at_every_appointment": [_plain(n) for n in needs],
        "group_or_one_to_one": _plain(sessions) if sessions else None,
        "support_people": [_plain(link) for link in links],
        "messages_sent_to_you": [_plain(m) for m in messages],
        # The thread with the adviser: who wrote (client or adviser), what, when, when read.
        "messages_with_your_adviser": [
            _plain(m) for m in thread_messages(session=session, client_id=profile.id)
        ],
        "calls_you_asked_for": [
            _plain(c) for c in all_call_requests(session=session, client_id=profile.id)
        ],
        "who_did_what": [_plain(event) for event in audit],
    }
