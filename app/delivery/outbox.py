"""Write messages into the outbox, in the same transaction as the change that causes them.

Every row has an idempotency key built from (subject, kind, version): planning the same thing
twice finds the row already there, and a change of time or settings makes new keys while the
old time's pending rows are cancelled. Workers send the rows later (worker.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.delivery.message import Message
from app.delivery.models import Channel, Notification, NotificationKind, NotificationStatus
from app.delivery.quiet_hours import allowed_time
from app.people.models import ClientProfile, ReminderSettings, User


def settings_for(session: Session, client_id: int) -> ReminderSettings:
    """The client's reminder settings, or the defaults if they never changed them."""
    found = session.get(ReminderSettings, client_id)
    return found if found is not None else ReminderSettings(client_id=client_id)


def queue_message(
    *,
    session: Session,
    channel: Channel,
    recipient: str,
    body: str,
    kind: NotificationKind = NotificationKind.sign_in_code,
    user_id: int | None = None,
    wait_for_daytime: bool = False,
) -> Notification:
    """A message to one address: at once (sign-in codes, invitations), or with
    `wait_for_daytime` at the next moment outside the usual quiet hours (21:00 to 08:00,
    London), for someone with no settings of their own who did not ask for it just now."""
    now = utcnow()
    if wait_for_daytime:
        now = allowed_time(now, ReminderSettings(client_id=0))
    row = Notification(
        idempotency_key=f"{kind}:{uuid.uuid4()}",
        subject=f"{channel}:{kind}",
        kind=kind,
        user_id=user_id,
        channel=channel,
        recipient=recipient,
        body=body,
        sms_body=body,
        respects_quiet_hours=False,
        due_at=now,
        next_attempt_at=now,
    )
    session.add(row)
    return row


def client_address(user: User, profile: ClientProfile) -> str | None:
    """Where a text (or, for clients who asked for email, an email) goes if push cannot."""
    if profile.preferred_contact == "email" and user.email:
        return user.email
    return user.phone or user.email


def queue_for_client(
    *,
    session: Session,
    profile: ClientProfile,
    kind: NotificationKind,
    key: str,
    subject: str,
    message: Message,
    due_at: datetime,
    routine: bool = False,
    respects_quiet_hours: bool = True,
    wording: str | None = None,
    subject_version: int | None = None,
) -> Notification | None:
    """Plan a message to a client (push, or text if push is not possible). Idempotent by key.

    A message with a `wording` is written again when it is sent, by the composer registered
    for its subject (delivery.composing), so words like "tomorrow" are true when it arrives;
    `subject_version` is the version of the subject (an appointment's sequence) it is about."""
    existing = session.exec(select(Notification).where(Notification.idempotency_key == key)).first()
    if existing is not None:
        return existing
    user = session.get(User, profile.user_id)
    if user is None:
        return None
    assert profile.id is not None
    if respects_quiet_hours:
        due_at = allowed_time(due_at, settings_for(session, profile.id))
    row = Notification(
        idempotency_key=key,
        subject=subject,
        kind=kind,
        user_id=user.id,
        channel=Channel.auto,
        recipient=client_address(user, profile),
        language=profile.language,
        title=message.title,
        body=message.body,
        sms_body=message.sms_body,
        url=message.url,
        routine=routine,
        respects_quiet_hours=respects_quiet_hours,
        wording=wording,
        subject_version=subject_version,
        due_at=due_at,
        next_attempt_at=due_at,
    )
    session.add(row)
    session.flush()
    return row


def cancel_pending(
    *,
    session: Session,
    subject: str,
    keep: Iterable[str] = (),
    kinds: Iterable[NotificationKind] | None = None,
    key_prefix: str | None = None,
) -> None:
    """Cancel what is still waiting for a subject (only `kinds`, only keys starting with
    `key_prefix`, if given), except the rows whose keys are kept. A row a worker is sending
    right now is left to finish: it cannot be called back."""
    statement = (
        update(Notification)
        .where(
            col(Notification.subject) == subject,
            col(Notification.status) == NotificationStatus.pending,
            col(Notification.idempotency_key).not_in(list(keep)),
        )
        .values(status=NotificationStatus.cancelled, finished_at=utcnow())
    )
    if kinds is not None:
        statement = statement.where(col(Notification.kind).in_(list(kinds)))
    if key_prefix is not None:
        statement = statement.where(col(Notification.idempotency_key).startswith(key_prefix))
    session.exec(statement)


# Messages that go as soon as the client's quiet hours allow, rather than at a chosen time.
AS_SOON_AS_ALLOWED = (
    NotificationKind.confirmation,
    NotificationKind.answer,
    NotificationKind.suggestion,
    NotificationKind.paused,
    NotificationKind.adviser_changed,
)


def retime_waiting(*, session: Session, user_id: int, settings: ReminderSettings) -> None:
    """After a client's quiet hours change: messages that were only waiting for the old quiet
    hours to end go at the first moment the new ones allow (sooner or later than before), so
    a confirmation held for hours no longer arrives after the reminders. Rows already tried
    keep their retry time."""
    now = utcnow()
    waiting = session.exec(
        select(Notification).where(
            Notification.user_id == user_id,
            Notification.status == NotificationStatus.pending,
            col(Notification.respects_quiet_hours).is_(True),
            col(Notification.kind).in_(AS_SOON_AS_ALLOWED),
            Notification.attempts == 0,
        )
    ).all()
    for row in waiting:
        moment = allowed_time(max(row.created_at, now), settings)
        row.due_at = row.next_attempt_at = moment
        session.add(row)
