"""The client's story on one screen: what an adviser asks before ringing someone.

The record reads top to bottom in that order (issue #18): standing needs, then what is next
for the client, open requests, recent messages, plan steps that are due, services in
progress, check-in answers, history. This module gathers the two parts that are not a list
of their own elsewhere: what is next, the plan steps due soon, and what each open request
is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.action_plans.models import ActionPlan, PlanStep, StepState, StepStatus
from app.appointments import repository as appointments
from app.appointments.activities import upcoming_activities
from app.appointments.activity_models import Activity
from app.appointments.models import Appointment, AppointmentChange, ChangeKind
from app.appointments.presenting import AppointmentView, present
from app.core.clock import london_today
from app.people.models import ClientProfile
from app.rescheduling.models import RescheduleRequest
from app.rescheduling.repository import offered_to

# A step whose aim falls within this many days is "due" on the record.
DUE_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class WhatsNext:
    """The next appointment (with the place the client really goes to), the next thing
    booked for them with a provider (either may be None), and times offered to them that
    they have not chosen from yet."""

    appointment: AppointmentView | None
    activity: Activity | None
    offered: list[datetime] = field(default_factory=list)


def whats_next(*, session: Session, profile: ClientProfile) -> WhatsNext:
    """What comes next for the client, soonest first of each kind."""
    assert profile.id is not None
    upcoming = appointments.upcoming_for_client(session=session, client_id=profile.id)
    activities = upcoming_activities(session=session, client_id=profile.id)
    return WhatsNext(
        appointment=present(session, upcoming[0][0]) if upcoming else None,
        activity=activities[0] if activities else None,
        offered=[slot.starts_at for slot in offered_to(session=session, client_id=profile.id)],
    )


def steps_due(*, session: Session, client_id: int) -> list[PlanStep]:
    """Plan steps still open that are due within DUE_WITHIN (or overdue), and steps the client
    asked the adviser to book that are not booked yet: aim date first, undated last."""
    plan = session.exec(select(ActionPlan).where(ActionPlan.client_id == client_id)).first()
    if plan is None:
        return []
    horizon = london_today() + DUE_WITHIN
    steps = session.exec(
        select(PlanStep).where(
            PlanStep.plan_id == plan.id,
            PlanStep.state == StepState.active,
            col(PlanStep.status) != StepStatus.done,
        )
    ).all()
    due = [
        step
        for step in steps
        if (step.target_on is not None and step.target_on <= horizon)
        or (step.book_for_me and not step.booked_appointment_id and not step.booked_activity_id)
    ]
    return sorted(due, key=lambda s: (s.target_on is None, s.target_on or horizon, s.id or 0))


@dataclass(frozen=True)
class AskedAbout:
    """The appointment a request is about, and (`was_at`) when it was when the client asked,
    if it has been moved since: the card must not name the new time as the one they were
    not well enough for."""

    appointment: Appointment
    was_at: datetime | None = None


def asked_about(
    *, session: Session, requests: Sequence[RescheduleRequest]
) -> dict[int, AskedAbout]:
    """Request id -> the appointment it is about (a client with two booked may ask about the
    later one: the card must say which), with its time when asked if it moved since."""
    found = {}
    for request in requests:
        if request.id is None or request.appointment_id is None:
            continue
        appointment = session.get(Appointment, request.appointment_id)
        if appointment is None:
            continue
        first_move = session.exec(
            select(AppointmentChange)
            .where(
                AppointmentChange.appointment_id == appointment.id,
                AppointmentChange.change == ChangeKind.moved,
                col(AppointmentChange.changed_at) >= request.created_at,
            )
            .order_by(col(AppointmentChange.changed_at))
            .limit(1)
        ).first()
        was_at = first_move.from_starts_at if first_move is not None else None
        found[request.id] = AskedAbout(appointment, was_at)
    return found
