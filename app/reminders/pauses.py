"""The messages a pause (a deferral of the client's interviews) sends: "paused until", and a
check-in on the review date. Planned by caseload.deferral when an adviser pauses a client,
changes the review date, or resumes early.

Changing the review date sends only what the client needs to know. The "paused until" text
waits PAUSE_SETTLE before it goes, so a typo put right within minutes replaces it; once a
message of this pause has gone, saving the same date again sends nothing, and a new date
sends one text with it. Keys: "client:<id>:paused:<pause>:<review date>:<set at>", where
<pause> names the pause by the moment it began, so a later pause may tell its dates again.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.core.clock import london_datetime, utcnow
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.delivery.outbox import cancel_pending, settings_for
from app.people.models import ClientProfile
from app.reminders import wording as m
from app.reminders.planner import check_in_message, client_subject, replan_client, tell

PAUSED, CHECK_IN = "paused:", "check-in-review:"
PAUSE_KEYS = (PAUSED, CHECK_IN)
# Long enough to put a mistyped date right, short enough not to matter to the client.
PAUSE_SETTLE = timedelta(minutes=10)
GONE = (NotificationStatus.sending, NotificationStatus.sent, NotificationStatus.delivered)


def plan_pause(
    session: Session, profile: ClientProfile, review_on: date, *, new_pause: bool = True
) -> None:
    """Tell the client gently that things are paused, and check in on the review date (at
    their reminder hour, London time). A new review date replaces the messages still waiting;
    `new_pause` False (the review date of the current pause changed) sends again only what
    now says something different. Other check-ins (after starting work) are left alone."""
    assert profile.id is not None
    settings = settings_for(session, profile.id)
    _cancel_pause_messages(session, profile.id)
    set_at = utcnow()
    pause = (
        None if new_pause else _current_pause(session, profile.id)
    ) or f"{set_at:%Y%m%dT%H%M%S%f}"
    name = f"{pause}:{review_on}:{set_at:%Y%m%dT%H%M%S%f}"
    if _last_told(session, profile.id, PAUSED, pause) != str(review_on):
        with_date = {"date": m.human_date_in(review_on, profile.language)}
        paused = m.simple_message(m.PAUSED, "/home", language=profile.language, values=with_date)
        due = set_at + PAUSE_SETTLE
        tell(session, profile, NotificationKind.paused, f"{PAUSED}{name}", paused, due)
    if _last_told(session, profile.id, CHECK_IN, pause) != str(review_on):
        tell(
            session,
            profile,
            NotificationKind.check_in,
            f"{CHECK_IN}{name}",
            check_in_message(profile, m.CHECK_IN_REVIEW),
            london_datetime(review_on, settings.reminder_hour),
        )


def end_pause(session: Session, profile: ClientProfile) -> None:
    """The pause ended early: no review check-in (nor a "paused until" not yet sent), and
    reminders for anything booked come back."""
    assert profile.id is not None
    _cancel_pause_messages(session, profile.id)
    replan_client(session, profile)


def _cancel_pause_messages(session: Session, client_id: int) -> None:
    subject = client_subject(client_id)
    for prefix in PAUSE_KEYS:
        cancel_pending(session=session, subject=subject, key_prefix=f"{subject}:{prefix}")


def _parts(key: str) -> list[str]:
    """ "client:5:paused:<pause>:<date>:<set at>" -> [<pause>, <date>, <set at>]."""
    return key.split(":")[3:]


def _current_pause(session: Session, client_id: int) -> str | None:
    """The name of the pause the client is in: that of its latest "paused until" message."""
    subject = client_subject(client_id)
    key = session.exec(
        select(Notification.idempotency_key)
        .where(col(Notification.idempotency_key).startswith(f"{subject}:{PAUSED}"))
        .order_by(col(Notification.id).desc())
        .limit(1)
    ).first()
    parts = _parts(key) if key else []
    return parts[0] if len(parts) == 3 else None  # older keys had no pause: a new one


def _last_told(session: Session, client_id: int, prefix: str, pause: str) -> str | None:
    """The review date the latest message of this kind in this pause told the client (one
    that has gone), or None."""
    subject = client_subject(client_id)
    key = session.exec(
        select(Notification.idempotency_key)
        .where(
            col(Notification.idempotency_key).startswith(f"{subject}:{prefix}{pause}:"),
            col(Notification.status).in_(GONE),
        )
        .order_by(col(Notification.id).desc())
        .limit(1)
    ).first()
    return _parts(key)[1] if key else None
