"""Messages written again at the moment they go.

A reminder planned on Monday evening and held by quiet hours until Tuesday morning must not
say "tomorrow" on Tuesday. So a row with a `wording` is handed, when a worker claims it, to
the composer registered for its subject ("appointment:12" → the "appointment" composer),
which either writes its words for now or says why it should not go at all (the appointment
has started, was cancelled, or the client was just told the same thing).

Delivery knows nothing of appointments: the domain that plans the messages registers its
composer (`app.main.wire_listeners`), as the appointment hooks do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.delivery.message import Message
from app.delivery.models import Notification, NotificationStatus


@dataclass(frozen=True)
class Compose:
    """Send these words; `meaning` is recorded so a later message can tell it was said."""

    message: Message
    meaning: str | None = None


@dataclass(frozen=True)
class Drop:
    """Do not send: `reason` is kept on the row (no personal data)."""

    reason: str


Composer = Callable[[Session, Notification, datetime], Compose | Drop]
_composers: dict[str, Composer] = {}


def register_composer(subject_kind: str, composer: Composer) -> None:
    """Register the composer for subjects "<subject_kind>:<id>" (again: replaces it)."""
    _composers[subject_kind] = composer


def composers() -> dict[str, Composer]:
    """The composers registered so far (for the wiring test)."""
    return dict(_composers)


def compose_claimed(
    session: Session, rows: list[Notification], now: datetime
) -> list[Notification]:
    """Write each claimed row's words for `now`, in the claim's transaction; returns the rows
    still to send. Rows that should not go are cancelled with their reason.

    Raises RuntimeError for a row with a wording whose subject has no composer: a process
    that forgot to wire its composers would otherwise send words written days ago."""
    keep: list[Notification] = []
    for row in rows:
        if row.wording is None:
            keep.append(row)
            continue
        subject_kind = row.subject.split(":", 1)[0]
        composer = _composers.get(subject_kind)
        if composer is None:
            raise RuntimeError(f"no composer for {subject_kind!r}: call app.main.wire_listeners()")
        outcome = composer(session, row, now)
        if isinstance(outcome, Drop):
            row.status = NotificationStatus.cancelled
            row.last_error = outcome.reason
            row.finished_at = now
            row.leased_by = row.lease_until = None
            session.add(row)
            continue
        row.title = outcome.message.title
        row.body = outcome.message.body
        row.sms_body = outcome.message.sms_body
        row.url = outcome.message.url
        row.meaning = outcome.meaning
        session.add(row)
        keep.append(row)
    session.flush()
    return keep
