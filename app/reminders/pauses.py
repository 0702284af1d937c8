"""The messages a pause (a deferral of the client's interviews) sends: "paused until", and a
check-in on the review date. Planned by caseload.deferral when an adviser pauses a client,
changes the review date, or resumes early."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.core.clock import london_datetime, utcnow
from app.delivery.models import NotificationKind
from app.delivery.outbox import cancel_pending, settings_for
from app.people.models import ClientProfile
from app.reminders import wording as m
from app.reminders.planner import check_in_message, client_subject, replan_client, tell

# Keys of the messages a pause sends. Each pause, and each new review date, is named by the
# moment it was set: a review date an earlier, cancelled pause used still gets its check-in
# (the same key would be taken as already planned).
PAUSE_KEYS = ("paused:", "check-in-review:")


def plan_pause(session: Session, profile: ClientProfile, review_on: date) -> None:
    """Tell the client gently that things are paused, and check in on the review date (at
    their reminder hour, London time). A new pause or review date replaces the last one's
    messages still waiting; other check-ins (after starting work) are left alone."""
    assert profile.id is not None
    settings = settings_for(session, profile.id)
    _cancel_pause_messages(session, profile.id)
    set_at = utcnow()
    name = f"{review_on}:{set_at:%Y%m%dT%H%M%S%f}"
    with_date = {"date": m.human_date_in(review_on, profile.language)}
    paused = m.simple_message(m.PAUSED, "/home", language=profile.language, values=with_date)
    tell(session, profile, NotificationKind.paused, f"paused:{name}", paused, set_at)
    tell(
        session,
        profile,
        NotificationKind.check_in,
        f"check-in-review:{name}",
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
