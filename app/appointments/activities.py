"""Booking a course or group with a provider for a client, and cancelling it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.appointments.activity_models import Activity, ActivityStatus
from app.appointments.hooks import after_activity_change
from app.core.clock import utcnow


def book_activity(
    *,
    session: Session,
    client_id: int,
    title: str,
    provider: str,
    place: str,
    starts_at: datetime,
    duration_minutes: int,
    bring: str,
    contact: str,
    actor_user_id: int | None,
) -> Activity:
    """Record what the adviser booked with a provider (starts_at aware UTC); the client is
    told and reminded of it as what it is (through the activity hooks)."""
    activity = Activity(
        client_id=client_id,
        title=title,
        provider=provider,
        place=place,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        bring=bring,
        contact=contact,
        booked_by_user_id=actor_user_id,
    )
    session.add(activity)
    session.flush()
    after_activity_change(session=session, activity=activity, change="booked")
    return activity


def cancel_activity(*, session: Session, activity: Activity) -> None:
    """Call it off: its reminders stop and calendars are told (SEQUENCE goes up)."""
    activity.status = ActivityStatus.cancelled
    activity.sequence += 1
    activity.updated_at = utcnow()
    session.add(activity)
    session.flush()
    after_activity_change(session=session, activity=activity, change="cancelled")


def upcoming_activities(*, session: Session, client_id: int) -> list[Activity]:
    """Booked activities that have not ended yet, soonest first."""
    rows = session.exec(
        select(Activity)
        .where(
            Activity.client_id == client_id,
            Activity.status == ActivityStatus.booked,
            col(Activity.starts_at) >= utcnow(),
        )
        .order_by(col(Activity.starts_at))
    ).all()
    return list(rows)


def all_activities(*, session: Session, client_id: int) -> list[Activity]:
    """Every activity booked for the client, cancelled ones too (a calendar is told), by time."""
    rows = session.exec(
        select(Activity).where(Activity.client_id == client_id).order_by(col(Activity.starts_at))
    ).all()
    return list(rows)


def activity_for(*, session: Session, client_id: int, activity_id: int) -> Activity | None:
    """The client's own activity, or None (someone else's is never found)."""
    activity = session.get(Activity, activity_id)
    return activity if activity is not None and activity.client_id == client_id else None
