"""The outbox of messages to clients and staff, the push subscriptions they go to, and each
client's reminder settings.

A message is written as a row in the same transaction as the change that causes it; workers
send it later (see worker.py). Nothing is ever sent from inside a web request.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, Index, String, Text
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Channel(StrEnum):
    sms = "sms"
    email = "email"
    push = "push"
    # Push to the client's devices if they have any and allow it, otherwise a text message.
    auto = "auto"


class NotificationStatus(StrEnum):
    pending = "pending"  # waiting for its time, or for its next try
    sending = "sending"  # claimed by a worker, under a lease that runs out if the worker dies
    sent = "sent"  # accepted by the push service or GOV.UK Notify (or the development outbox)
    delivered = "delivered"  # Notify says it reached the phone
    failed_permanent = "failed-permanent"  # will never work: number not in use, no channel left
    failed_technical = "failed-technical"  # kept failing after every retry
    cancelled = "cancelled"  # no longer wanted: the appointment moved, the client paused


FINAL_STATUSES = frozenset(
    {
        NotificationStatus.sent,
        NotificationStatus.delivered,
        NotificationStatus.failed_permanent,
        NotificationStatus.failed_technical,
        NotificationStatus.cancelled,
    }
)


class NotificationKind(StrEnum):
    sign_in_code = "sign-in-code"
    invitation = "invitation"
    reminder = "reminder"
    confirmation = "confirmation"
    answer = "answer"  # your adviser has answered your request
    suggestion = "suggestion"  # your adviser suggested a step (only if the client wants it)
    check_in = "check-in"
    paused = "paused"
    adviser_changed = "adviser-changed"
    support_added = "support-added"  # to a support person: someone has added you
    test = "test"


class Notification(SQLModel, table=True):
    """One message to one person, from the moment it is planned to its final status."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_next_attempt", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # (subject, kind, version): planning the same thing twice finds the row already there.
    idempotency_key: str = Field(max_length=200, unique=True)
    subject: str = Field(max_length=60, index=True)  # e.g. "appointment:12", "client:5"
    kind: NotificationKind = Field(sa_type=String(20))
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    channel: Channel = Field(sa_type=String(8))
    # The phone number or email address for text and email (and the fallback for push).
    recipient: str | None = Field(default=None, max_length=254, index=True)
    language: str = Field(default="en", max_length=2)
    title: str = Field(default="", max_length=100)
    body: str = Field(sa_type=Text)  # push body, email body
    sms_body: str = Field(default="", sa_type=Text)  # the text message, link included
    url: str = Field(default="/", max_length=300)  # where tapping the notification goes
    # Routine contact stops while a client's interviews are paused; a message about something
    # booked never does (dispatch.stopped_by_pause).
    routine: bool = Field(default=False)
    # Sign-in codes and tests go at once; everything else waits for the end of quiet hours.
    respects_quiet_hours: bool = Field(default=True)
    # Composed again when sent (see composing.py): which words ("booked", "moved", "reminder"),
    # about which version of the subject, and what the words sent meant ("tomorrow", ...).
    wording: str | None = Field(default=None, max_length=20)
    subject_version: int | None = Field(default=None)
    meaning: str | None = Field(default=None, max_length=20)
    due_at: datetime
    next_attempt_at: datetime
    status: NotificationStatus = Field(
        default=NotificationStatus.pending, sa_type=String(20), index=True
    )
    attempts: int = Field(default=0)
    # A text held back by GOV.UK Notify's rate limit (send_slots.py): still due, no attempt
    # counted; claimed again only when the window has room, so it is not read over and over.
    waiting_for_slot: bool = Field(default=False)
    lease_until: datetime | None = Field(default=None)
    leased_by: str | None = Field(default=None, max_length=80)
    sent_channel: str | None = Field(default=None, max_length=12)
    provider_reference: str | None = Field(default=None, max_length=64, index=True)
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None)
    finished_at: datetime | None = Field(default=None)


class PushSubscription(SQLModel, table=True):
    """A browser's push endpoint and keys (RFC 8291). Deleted when the push service says 404/410."""

    __tablename__ = "push_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    last_success_at: datetime | None = Field(default=None)


class NotifySendSlot(SQLModel, table=True):
    """One message's room in GOV.UK Notify's rolling rate-limit window (see
    send_slots.py for the rule and why this is enough)."""

    __tablename__ = "notify_send_slots"

    slot: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    # When the slot may carry another message: database time, seconds since 1970 (0: now).
    free_at: float = Field(default=0.0, sa_type=Float)
