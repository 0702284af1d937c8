"""Messages about activities (courses and groups booked with a provider): a confirmation when
booked and reminders at the client's lead times, planned like an appointment's and written
again when sent, with the same rules (reminders.at_send): nothing once it has started or been
called off, nothing too close to the start, nothing said twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.appointments.activities import upcoming_activities
from app.appointments.activity_models import Activity, ActivityStatus
from app.core.clock import utcnow
from app.delivery.composing import Compose, Drop
from app.delivery.message import Message
from app.delivery.models import Notification, NotificationKind
from app.delivery.outbox import cancel_pending, queue_for_client, settings_for
from app.people.models import ClientProfile, DetailLevel
from app.reminders import wording as m
from app.reminders.at_send import changed_or_started, reminder_not_needed
from app.reminders.planner import reminder_times

TEMPLATES = {
    "activity-booked": (m.ACTIVITY_BOOKED, m.ACTIVITY_BOOKED_DETAILED),
    "activity-reminder": (m.ACTIVITY_REMINDER, m.ACTIVITY_REMINDER_DETAILED),
}


def activity_subject(activity_id: int) -> str:
    return f"activity:{activity_id}"


def plan_for_activity(session: Session, activity: Activity, change: str) -> None:
    """Put in the outbox what booking or cancelling an activity calls for (the listener
    `app.main.wire_listeners` registers for activity changes)."""
    assert activity.id is not None
    subject = activity_subject(activity.id)
    now = utcnow()
    profile = session.get(ClientProfile, activity.client_id)
    booked = activity.status == ActivityStatus.booked and activity.starts_at > now
    if profile is None or profile.id is None or not booked:
        cancel_pending(session=session, subject=subject)
        return
    settings = settings_for(session, profile.id)
    version = f"v{activity.sequence}"
    planned: list[tuple[str, NotificationKind, str, datetime, bool]] = []
    if change == "booked":
        key = f"{subject}:confirmation:{version}"
        planned.append((key, NotificationKind.confirmation, "activity-booked", now, False))
    # Reminded whatever the client's status: a pause never stops what is booked (planner).
    for lead, moment in reminder_times(activity.starts_at, settings, now):
        key = f"{subject}:reminder-{lead}:{version}.s{settings.version}"
        planned.append((key, NotificationKind.reminder, "activity-reminder", moment, False))
    # Re-planning (new settings) touches only reminders: a confirmation still waiting stays.
    cancel_pending(
        session=session,
        subject=subject,
        keep=[item[0] for item in planned],
        kinds=[NotificationKind.reminder] if change == "replan" else None,
    )
    for key, kind, wording, due_at, routine in planned:
        template, detailed = TEMPLATES[wording]
        queue_for_client(
            session=session,
            profile=profile,
            kind=kind,
            key=key,
            subject=subject,
            message=_message(activity, profile, template, detailed, settings.detail, due_at),
            due_at=due_at,
            routine=routine,
            wording=wording,
            subject_version=activity.sequence,
        )


def _message(
    activity: Activity,
    profile: ClientProfile,
    template: str,
    detailed: str,
    detail: DetailLevel,
    sent_at: datetime,
) -> Message:
    assert activity.id is not None
    return m.activity_message(
        template,
        detailed,
        activity_id=activity.id,
        title=activity.title,
        starts_at=activity.starts_at,
        language=profile.language,
        detail=detail,
        sent_at=sent_at,
    )


def compose_activity_message(session: Session, row: Notification, now: datetime) -> Compose | Drop:
    """The words for a message about "activity:<id>" as of `now` (UTC), or why it should not
    go. The composer delivery calls for activity subjects."""
    activity = session.get(Activity, int(row.subject.split(":", 1)[1]))
    if activity is None or activity.status != ActivityStatus.booked:
        return Drop("activity no longer booked")
    gone = changed_or_started("activity", activity.sequence, activity.starts_at, row, now)
    if gone is not None:
        return gone
    meaning = m.when(activity.starts_at, now).meaning
    if row.wording == "activity-reminder":
        late = reminder_not_needed(session, row, activity.starts_at, meaning, now)
        if late is not None:
            return late
    profile = session.get(ClientProfile, activity.client_id)
    if profile is None or profile.id is None or row.wording not in TEMPLATES:
        return Drop("nothing to say")
    template, detailed = TEMPLATES[row.wording]
    detail = settings_for(session, profile.id).detail
    return Compose(_message(activity, profile, template, detailed, detail, now), meaning)


def replan_activities(session: Session, profile: ClientProfile) -> None:
    """After the client's reminder settings change or a pause ends: plan every upcoming
    activity's reminders again (old ones are cancelled by their keys)."""
    assert profile.id is not None
    for activity in upcoming_activities(session=session, client_id=profile.id):
        plan_for_activity(session, activity, "replan")
