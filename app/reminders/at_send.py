"""Messages about an appointment, written again the moment they go (delivery.composing).

Planned days ahead, a message is only sure of its words when it is sent: the appointment may
have moved, ended or be about to start, and "tomorrow" may have become "today". So at send
time, in the worker's claim transaction:

- nothing goes about an appointment that is no longer booked, or has changed since the
  message was planned (its replacement was planned with the change);
- a confirmation never goes once the appointment has started; a reminder never goes later
  than `timing.LATEST_USEFUL` before it;
- a reminder does not go when it would repeat what the client has just been told: when the
  confirmation is going now, when something about the appointment went within `MIN_GAP`, or
  when a reminder with the same meaning ("tomorrow at 10:30am") has already gone;
- whichever message about a new version goes first says where-to-go changed since the
  client was last told ("The place has changed.", see reminders.changes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AppointmentStatus
from app.delivery.composing import Compose, Drop
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.delivery.outbox import settings_for
from app.people.models import ClientProfile
from app.reminders import wording as m
from app.reminders.changes import change_since, told_version
from app.reminders.planner import TEMPLATES, appointment_facts
from app.reminders.timing import MIN_GAP, latest_useful

GONE_OR_GOING = (NotificationStatus.sending, NotificationStatus.sent, NotificationStatus.delivered)


def compose_appointment_message(
    session: Session, row: Notification, now: datetime
) -> Compose | Drop:
    """The words for `row` (a confirmation or reminder about "appointment:<id>") as of `now`
    (UTC), or why it should not go. The composer delivery calls for appointment subjects."""
    appointment = session.get(Appointment, int(row.subject.split(":", 1)[1]))
    if appointment is None or appointment.status != AppointmentStatus.booked:
        return Drop("appointment no longer booked")
    gone = changed_or_started("appointment", appointment.sequence, appointment.starts_at, row, now)
    if gone is not None:
        return gone
    meaning = m.when(appointment.starts_at, now).meaning
    if row.wording == "reminder":
        held = _held(session, appointment)
        late = reminder_not_needed(session, row, appointment.starts_at, meaning, now, held)
        if late is not None:
            return late
    elif _reminded(session, row):
        return Drop("a reminder already said it")
    profile = session.get(ClientProfile, appointment.client_id)
    if profile is None or profile.id is None or row.wording not in TEMPLATES:
        return Drop("nothing to say")
    template, detailed = TEMPLATES[row.wording]
    settings = settings_for(session, profile.id)
    facts = appointment_facts(session, appointment)
    told = told_version(session, row.subject)
    change = change_since(session, appointment, told, own_place=facts.own_place)
    message = m.appointment_message(
        template,
        detailed,
        facts,
        language=profile.language,
        detail=settings.detail,
        sent_at=now,
        change=change,
    )
    return Compose(message, meaning)


def changed_or_started(
    noun: str, sequence: int, starts_at: datetime, row: Notification, now: datetime
) -> Drop | None:
    """Why a message about something booked (an appointment, an activity) no longer holds:
    it changed since the message was planned, or it has started."""
    if row.subject_version is not None and sequence != row.subject_version:
        return Drop(f"{noun} changed since planned")
    if now >= starts_at:
        return Drop(f"{noun} has started")
    return None


def reminder_not_needed(
    session: Session,
    row: Notification,
    starts_at: datetime,
    meaning: str,
    now: datetime,
    held: str | None = None,
) -> Drop | None:
    """Why a reminder would not help now: too close to the start, held back (`held`, the
    reason a hold gave), or a repeat."""
    if now > latest_useful(starts_at):
        return Drop("too close to the start to help")
    if held is not None:
        return Drop(held)
    repeat = repeats(session, row, meaning, now)
    return Drop(repeat) if repeat is not None else None


def repeats(session: Session, row: Notification, meaning: str, now: datetime) -> str | None:
    """Why this reminder would repeat what the client has been or is being told, or None."""
    others = session.exec(
        select(Notification).where(
            Notification.subject == row.subject,
            col(Notification.id) != row.id,
            Notification.subject_version == row.subject_version,
            col(Notification.kind).in_([NotificationKind.reminder, NotificationKind.confirmation]),
        )
    ).all()
    for other in others:
        if (
            other.kind == NotificationKind.confirmation
            and other.status in (NotificationStatus.pending, NotificationStatus.sending)
            and other.next_attempt_at <= now
        ):
            return "the confirmation going now says it"
        if other.status not in GONE_OR_GOING:
            continue
        went_at = other.sent_at or now  # a row still sending is going now
        if now - went_at < MIN_GAP:
            return "told within the hour"
        if other.kind == NotificationKind.reminder and other.meaning == meaning:
            return "said already"
    return None


def _reminded(session: Session, row: Notification) -> bool:
    """Whether a reminder about this version of the appointment has already gone (then a
    late "your appointment is booked" would only confuse)."""
    return (
        session.exec(
            select(Notification.id).where(
                Notification.subject == row.subject,
                Notification.subject_version == row.subject_version,
                Notification.kind == NotificationKind.reminder,
                # Not one merely claimed with it: that one gives way to the confirmation.
                col(Notification.status).in_(
                    [NotificationStatus.sent, NotificationStatus.delivered]
                ),
            )
        ).first()
        is not None
    )


# Reasons from domains above this one to hold an appointment's reminders back for now (the
# client said they are not well enough, and the adviser has not answered yet). Registered by
# `app.main.wire_listeners`, as the appointment hooks are.
Hold = Callable[[Session, Appointment], str | None]
_holds: list[Hold] = []


def register_hold(hold: Hold) -> None:
    """Add a reason to hold reminders back (registering the same one again changes nothing)."""
    if hold not in _holds:
        _holds.append(hold)


def _held(session: Session, appointment: Appointment) -> str | None:
    for hold in _holds:
        reason = hold(session, appointment)
        if reason is not None:
            return reason
    return None
