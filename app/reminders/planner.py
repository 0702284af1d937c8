"""What to send a client, and when: planned in the transaction of the change that causes it.

- Appointments: a confirmation when booked or moved, reminders at the client's lead times,
  and after the sixth interview a check-in. Moving or cancelling cancels what was pending.
- Pauses: a "paused until" message and a check-in on the review date ("no need to reply").
- Job starts: check-ins in weeks 1, 2 and 4. Referrals that end: a check-in.
- A pause never stops the reminders of something booked: pausing cancels what was booked
  when it began (caseload.deferral), so whatever is booked during a pause was booked knowingly
  and the client must not miss it. Pause-only contact is `routine` (stopped when sending).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.appointments.models import Appointment, AppointmentStatus, ChangeKind
from app.appointments.presenting import present
from app.core.clock import london_datetime, utcnow
from app.delivery.message import Message
from app.delivery.models import NotificationKind
from app.delivery.outbox import cancel_pending, queue_for_client, retime_waiting, settings_for
from app.people.models import (
    ClientProfile,
    DetailLevel,
    LeadTime,
    ReminderSettings,
)
from app.reminders import wording as m
from app.reminders.timing import MIN_GAP, reminder_time
from app.reminders.wording import simple_message


def appointment_subject(appointment_id: int) -> str:
    return f"appointment:{appointment_id}"


def client_subject(client_id: int) -> str:
    return f"client:{client_id}"


def appointment_facts(session: Session, appointment: Appointment) -> m.AppointmentFacts:
    """What the words of a message about this appointment need: its time, place and adviser.
    The place is where the client goes: a home or community place arranged for them before
    the diary's venue, and none while that place is still to be arranged."""
    assert appointment.id is not None
    view = present(session, appointment)
    office = view.venue.name if view.venue else None
    venue_name = view.arranged_place if view.own_place else office
    return m.AppointmentFacts(
        appointment_id=appointment.id,
        starts_at=appointment.starts_at,
        mode=appointment.mode,
        venue_name=venue_name,
        # The diary venue's Welsh name; a place the adviser arranged is as they wrote it.
        venue_name_cy=view.venue.name_cy if view.venue and not view.own_place else None,
        adviser_name=view.adviser_name or "",
        own_place=view.own_place,
    )


def reminder_times(
    starts_at: datetime, settings: ReminderSettings, now: datetime
) -> list[tuple[LeadTime, datetime]]:
    """The client's lead times turned into send times (UTC), earliest first: outside quiet
    hours, not in the past, never two within MIN_GAP of each other and never two that would
    say the same thing (two "tomorrow"s when quiet hours pull "the morning of" back to the
    evening before)."""
    candidates = [(lead, reminder_time(starts_at, lead, settings, now)) for lead in settings.leads]
    chosen: list[tuple[LeadTime, datetime]] = []
    meanings: set[str] = set()
    for lead, moment in sorted(
        ((lead, moment) for lead, moment in candidates if moment is not None),
        key=lambda item: item[1],
    ):
        meaning = m.when(starts_at, moment).meaning
        if meaning in meanings or any(abs(moment - other) < MIN_GAP for _, other in chosen):
            continue
        meanings.add(meaning)
        chosen.append((lead, moment))
    return chosen


# A planned row's `wording` → its discreet and detailed templates (composed again when sent).
TEMPLATES = {
    "booked": (m.BOOKED, m.BOOKED_DETAILED),
    "moved": (m.MOVED, m.MOVED_DETAILED),
    "reminder": (m.REMINDER, m.REMINDER_DETAILED),
}


@dataclass(frozen=True)
class PlannedMessage:
    """One message the planner wants in the outbox for an appointment."""

    key: str  # idempotency key: (subject, kind, version); planning again finds the same row
    kind: NotificationKind
    wording: str | None  # composed again when sent (see reminders.at_send); None: as written
    message: Message
    due_at: datetime  # UTC; quiet hours may still move it later (never past the start)
    routine: bool  # stops while the client is paused; never a booked thing's reminder


def _confirmation(
    subject: str, version: str, change: str, facts: m.AppointmentFacts, context: _Context
) -> list[PlannedMessage]:
    if change not in (ChangeKind.booked, ChangeKind.moved):
        return []
    template, detailed = TEMPLATES[change]
    message = m.appointment_message(
        template,
        detailed,
        facts,
        language=context.profile.language,
        detail=context.settings.detail,
        sent_at=context.now,
    )
    key = f"{subject}:confirmation:{version}"
    return [
        PlannedMessage(key, NotificationKind.confirmation, str(change), message, context.now, False)
    ]


def _reminders(
    subject: str,
    version: str,
    appointment: Appointment,
    facts: m.AppointmentFacts,
    context: _Context,
) -> list[PlannedMessage]:
    # Planned whatever the client's status: a booked appointment is reminded, paused or not.
    planned = []
    for lead, moment in reminder_times(appointment.starts_at, context.settings, context.now):
        message = m.appointment_message(
            m.REMINDER,
            m.REMINDER_DETAILED,
            facts,
            language=context.profile.language,
            detail=context.settings.detail,
            sent_at=moment,
        )
        key = f"{subject}:reminder-{lead}:{version}.s{context.settings.version}"
        planned.append(
            PlannedMessage(key, NotificationKind.reminder, "reminder", message, moment, False)
        )
    return planned


def _check_in_after_sixth(
    subject: str,
    version: str,
    appointment: Appointment,
    facts: m.AppointmentFacts,
    context: _Context,
) -> list[PlannedMessage]:
    # After the sixth WFI contact must not quietly stop (PSI 2009, ch. 4 and 8).
    if appointment.wfi_number != 6:
        return []
    day_after = (appointment.starts_at + timedelta(days=1)).date()
    detailed = context.settings.detail == DetailLevel.detailed
    message = m.simple_message(
        m.CHECK_IN_AFTER_SIXTH_DETAILED if detailed else m.CHECK_IN_AFTER_SIXTH,
        "/check-in",
        language=context.profile.language,
        values={"adviser": facts.adviser_name},
    )
    moment = london_datetime(day_after, context.settings.reminder_hour)
    key = f"{subject}:check-in-after-sixth:{version}"
    return [PlannedMessage(key, NotificationKind.check_in, None, message, moment, False)]


@dataclass(frozen=True)
class _Context:
    profile: ClientProfile
    settings: ReminderSettings
    now: datetime


def plan_for_appointment(session: Session, appointment: Appointment, change: str) -> None:
    """Put in the outbox what this appointment change calls for, and stop what it no longer
    does. Called by booking, moving, cancelling and decisions, in their transaction, through
    the listener `app.main.wire_listeners` registers (appointments.hooks)."""
    assert appointment.id is not None
    profile = session.get(ClientProfile, appointment.client_id)
    if profile is None or profile.id is None:
        return
    subject = appointment_subject(appointment.id)
    now = utcnow()
    version = f"v{appointment.sequence}"
    upcoming = appointment.status == AppointmentStatus.booked and appointment.starts_at > now
    if change in (ChangeKind.attended, ChangeKind.missed):
        # Over: nothing more about its time. A check-in after the sixth interview still goes.
        kinds = [NotificationKind.reminder, NotificationKind.confirmation]
        cancel_pending(session=session, subject=subject, kinds=kinds)
        return
    if change == ChangeKind.moved:
        # A new time is chosen: "your adviser has offered you some new times", still held by
        # quiet hours, is not true any more (the other offers went back to everyone).
        about_client = client_subject(profile.id)
        cancel_pending(
            session=session,
            subject=about_client,
            key_prefix=f"{about_client}:{TIMES_OFFERED_NOTE}:",
        )
    if not upcoming:
        cancel_pending(session=session, subject=subject)
        return
    context = _Context(profile=profile, settings=settings_for(session, profile.id), now=now)
    facts = appointment_facts(session, appointment)
    planned = [
        *_confirmation(subject, version, change, facts, context),
        *_reminders(subject, version, appointment, facts, context),
        *_check_in_after_sixth(subject, version, appointment, facts, context),
    ]
    # Whatever is still waiting and no longer planned stops: the old time's reminders, and a
    # "booked for Thursday" not yet sent when it has already moved to Friday. Re-planning
    # after a settings change touches only reminders and check-ins.
    cancel_pending(
        session=session,
        subject=subject,
        keep=[item.key for item in planned],
        kinds=[NotificationKind.reminder, NotificationKind.check_in]
        if change == ChangeKind.replan
        else None,
    )
    for item in planned:
        queue_for_client(
            session=session,
            profile=profile,
            kind=item.kind,
            key=item.key,
            subject=subject,
            message=item.message,
            due_at=item.due_at,
            routine=item.routine,
            wording=item.wording,
            subject_version=appointment.sequence,
        )


def replan_client(session: Session, profile: ClientProfile) -> None:
    """After settings change or a pause ends: plan every upcoming appointment's reminders
    again, and move what waits for quiet hours to the new quiet hours."""
    assert profile.id is not None
    retime_waiting(
        session=session, user_id=profile.user_id, settings=settings_for(session, profile.id)
    )
    upcoming = session.exec(
        select(Appointment).where(
            Appointment.client_id == profile.id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) > utcnow(),
        )
    ).all()
    for appointment in upcoming:
        plan_for_appointment(session, appointment, ChangeKind.replan)


def tell(
    session: Session,
    profile: ClientProfile,
    kind: NotificationKind,
    name: str,
    message: Message,
    due_at: datetime,
    *,
    respects_quiet_hours: bool = True,
) -> None:
    """Queue a message about the client themselves (subject client:<id>); `name` completes the
    idempotency key, so the same name is planned once."""
    assert profile.id is not None
    subject = client_subject(profile.id)
    queue_for_client(
        session=session,
        profile=profile,
        kind=kind,
        key=f"{subject}:{name}",
        subject=subject,
        message=message,
        due_at=due_at,
        respects_quiet_hours=respects_quiet_hours,
    )


def check_in_message(profile: ClientProfile, template: str) -> Message:
    """A check-in's words in the client's language, leading to the check-in page."""
    return m.simple_message(template, "/check-in", language=profile.language)


def plan_work_check_ins(
    session: Session, profile: ClientProfile, started_on: date, weeks: tuple[int, ...]
) -> None:
    assert profile.id is not None
    hour = settings_for(session, profile.id).reminder_hour
    message = check_in_message(profile, m.CHECK_IN_WORK)
    for week in weeks:
        due_at = london_datetime(started_on + timedelta(weeks=week), hour)
        name = f"check-in-work:{started_on}:week-{week}"
        tell(session, profile, NotificationKind.check_in, name, message, due_at)


def plan_referral_ended(session: Session, profile: ClientProfile, service_id: int) -> None:
    message = check_in_message(profile, m.CHECK_IN_REFERRAL_ENDED)
    name = f"check-in-referral-ended:{service_id}"
    tell(session, profile, NotificationKind.check_in, name, message, utcnow())


def plan_suggestion(session: Session, profile: ClientProfile, step_id: int) -> None:
    """Only for clients who asked to hear about suggested steps."""
    assert profile.id is not None
    if not settings_for(session, profile.id).suggestions_on:
        return
    message = m.simple_message(m.SUGGESTION, "/plan", language=profile.language)
    tell(session, profile, NotificationKind.suggestion, f"suggestion:{step_id}", message, utcnow())


def plan_test(session: Session, profile: ClientProfile) -> None:
    """The "send me a test" button: goes at once, whatever the quiet hours."""
    message = m.simple_message(m.TEST, "/settings/reminders", language=profile.language)
    now = utcnow()
    tell(
        session,
        profile,
        NotificationKind.test,
        f"test:{now.isoformat()}",
        message,
        now,
        respects_quiet_hours=False,
    )


def tell_about_appointment(
    session: Session, profile: ClientProfile, appointment: Appointment, body_en: str
) -> None:
    """Queue a message about one appointment (outside quiet hours), filed under it: if the
    appointment is moved or cancelled before it goes, it no longer goes (it may not be true)."""
    assert appointment.id is not None
    subject = appointment_subject(appointment.id)
    message = simple_message(body_en, f"/appointments/{appointment.id}", language=profile.language)
    queue_for_client(
        session=session,
        profile=profile,
        kind=NotificationKind.answer,
        key=f"{subject}:note:{uuid.uuid4()}",
        subject=subject,
        message=message,
        due_at=utcnow(),
    )


TIMES_OFFERED_NOTE = "times-offered"


def tell_times_offered(session: Session, profile: ClientProfile) -> None:
    """Tell the client their adviser offered them times (outside quiet hours); if they move
    their appointment before it goes, it does not go (see plan_for_appointment)."""
    message = simple_message(m.TIMES_OFFERED, "/home", language=profile.language)
    tell(
        session,
        profile,
        NotificationKind.answer,
        f"{TIMES_OFFERED_NOTE}:{uuid.uuid4()}",
        message,
        utcnow(),
    )


def tell_client(
    session: Session,
    profile: ClientProfile,
    body_en: str,
    values: dict[str, str] | None = None,
    kind: NotificationKind = NotificationKind.answer,
    path: str = "/home",
) -> None:
    """Queue a message to the client, in their language, by push or text (outside quiet hours)."""
    message = simple_message(body_en, path, language=profile.language, values=values)
    tell(session, profile, kind, f"{kind}:{uuid.uuid4()}", message, utcnow())
