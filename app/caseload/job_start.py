"""Recording a job start: the in-work information appears for the client, and the adviser gets
check-ins in the first weeks (PSI 2009: contact in the first weeks of a job helps people stay)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from app.audit.service import record
from app.people.models import AdviserTask, ClientProfile, TaskKind, User
from app.reminders.planner import plan_work_check_ins

RTWC_MIN_HOURS = 16  # Return to Work Credit: work of 16 hours or more a week (PSI 2009, 6.5.2)
CHECK_IN_WEEKS = (1, 2, 4)


def record_job_start(
    *,
    session: Session,
    profile: ClientProfile,
    started_on: date,
    hours: int,
    actor_user: User,
) -> list[AdviserTask]:
    """Save the start date and hours and plan the first-weeks check-ins as adviser tasks."""
    assert profile.id is not None
    profile.in_work_since = started_on
    profile.work_hours_per_week = hours
    session.add(profile)
    tasks = [
        AdviserTask(
            adviser_id=profile.adviser_id,
            client_id=profile.id,
            kind=TaskKind.in_work_check_in,
            due_on=started_on + timedelta(weeks=week),
        )
        for week in CHECK_IN_WEEKS
    ]
    session.add_all(tasks)
    # The client hears from us on the same days, gently ("no need to reply").
    plan_work_check_ins(session, profile, started_on, CHECK_IN_WEEKS)
    record(
        session=session,
        action="client.job_started",
        actor_role=actor_user.role,
        actor_user_id=actor_user.id,
        client_id=profile.id,
        detail={"started_on": started_on.isoformat(), "hours": hours},
    )
    session.flush()
    return tasks
