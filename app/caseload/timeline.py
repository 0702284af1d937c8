"""The appointment story on the client's record (issue #18), oldest first: every booking,
move, cancellation, missed or attended appointment (with who), the times offered to the client
(and which one they chose), pauses with their review date, and calls asked for and made.

Nothing new is stored for it: it reads the appointment history lines, the audit log (offers,
pauses), and the call requests. Offers are written to the audit log by `record_offer`, the one
place both ways of offering times (answering a request, "Offer these times") go through.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from app.appointments import repository as appointments
from app.appointments.models import Appointment, AppointmentChange, AvailabilitySlot, ChangeKind
from app.audit.models import AuditEvent
from app.audit.service import record
from app.messages import repository as messages
from app.people.models import Role, User

OFFERED = "times.offered"
STORY_ACTIONS = (OFFERED, "client.deferred", "client.resumed")


@dataclass(frozen=True)
class Entry:
    """One line of the story. `kind` is "change" (an appointment history line, in `change`
    and `appointment`), "offered", "paused", "resumed", "call-asked", "call-arranged" (the
    adviser said they would call) or "call-made"."""

    at: datetime
    kind: str
    change: AppointmentChange | None = None
    appointment: Appointment | None = None
    actor_role: str | None = None
    actor_user_id: int | None = None
    times: list[datetime] = field(default_factory=list)
    chosen: datetime | None = None
    review_on: date | None = None


def record_offer(
    *, session: Session, client_id: int, slots: Sequence[AvailabilitySlot], adviser_user: User
) -> None:
    """Write down which times were offered to the client, so the record can tell it later
    (the slots themselves forget: once one is chosen the rest go back to everyone)."""
    record(
        session=session,
        action=OFFERED,
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=client_id,
        detail={"starts_at": [slot.starts_at.isoformat() for slot in slots]},
    )


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes; every stored time is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _from_audit(event: AuditEvent) -> Entry:
    detail = json.loads(event.detail or "{}")
    kinds = {OFFERED: "offered", "client.deferred": "paused", "client.resumed": "resumed"}
    review = detail.get("review_on")
    return Entry(
        at=_aware(event.occurred_at),
        kind=kinds[event.action],
        actor_role=event.actor_role,
        actor_user_id=event.actor_user_id,
        times=[_aware(datetime.fromisoformat(t)) for t in detail.get("starts_at", [])],
        review_on=date.fromisoformat(review) if review else None,
    )


def _with_choice(offer: Entry, changes: Sequence[Entry]) -> Entry:
    """The offer, with the offered time the appointment was next booked or moved to."""
    for later in changes:
        change, appointment = later.change, later.appointment
        if later.at < offer.at or change is None or appointment is None:
            continue
        if change.change == ChangeKind.moved and change.to_starts_at is not None:
            new_time = _aware(change.to_starts_at)
        elif change.change == ChangeKind.booked:
            new_time = _aware(appointment.starts_at)
        else:
            continue
        if new_time in offer.times:
            return Entry(**{**offer.__dict__, "chosen": new_time})
    return offer


def story(*, session: Session, client_id: int) -> list[Entry]:
    """The client's appointment story, oldest first."""
    history = appointments.history_for_client(session=session, client_id=client_id)
    changes = sorted(
        (
            Entry(at=_aware(c.changed_at), kind="change", change=c, appointment=a)
            for c, a in history
        ),
        key=lambda e: e.at,
    )
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.client_id == client_id, col(AuditEvent.action).in_(STORY_ACTIONS)
        )
    ).all()
    others = [_from_audit(event) for event in events]
    others = [_with_choice(e, changes) if e.kind == "offered" else e for e in others]
    for call in messages.all_call_requests(session=session, client_id=client_id):
        if call.arranged_by_user_id is None:
            others.append(Entry(at=_aware(call.created_at), kind="call-asked", actor_role="client"))
        else:  # the adviser answered a request with "I will call"
            others.append(
                Entry(
                    at=_aware(call.created_at),
                    kind="call-arranged",
                    actor_role=Role.adviser,
                    actor_user_id=call.arranged_by_user_id,
                )
            )
        if call.done_at is not None:
            others.append(
                Entry(
                    at=_aware(call.done_at),
                    kind="call-made",
                    actor_role=Role.adviser,
                    actor_user_id=call.done_by_user_id,
                )
            )
    return sorted([*changes, *others], key=lambda e: e.at)


def names_in(*, session: Session, entries: Sequence[Entry]) -> dict[int, str]:
    """{user id: name} for everyone who did or asked for anything in the story."""
    ids = {
        user_id
        for e in entries
        for user_id in (
            e.actor_user_id,
            e.change.actor_user_id if e.change else None,
            e.change.asked_by_user_id if e.change else None,
        )
        if user_id is not None
    }
    if not ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return {user.id: user.display_name for user in rows if user.id is not None}
