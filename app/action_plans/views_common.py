"""What the client's and the adviser's plan pages share: one template, one set of handlers,
with the URL prefix and the person's role as the only differences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.action_plans import service
from app.action_plans.models import ActionPlan, Owner, PlanStep, StepState, StepStatus
from app.appointments.activity_models import Activity
from app.appointments.models import Appointment
from app.appointments.presenting import SlotView, present_slots
from app.core.done_links import done_url
from app.core.forms import FormErrors, Posted
from app.core.i18n import current_language
from app.core.templating import render
from app.explainers.content import explainers
from app.offices.calendar import closed_day_message
from app.people.models import ClientProfile, Role
from app.rescheduling.service import bookable_slots, office_of


@dataclass(frozen=True)
class PlanViewer:
    client_id: int
    user_id: int | None
    role: Role  # client, supporter or adviser: whose name goes on a change
    prefix: str  # "/plan" or "/adviser/clients/7/plan"
    client_name: str
    # Decided by the permission model (the client; not a support person) or, for the
    # adviser's address, by the caseload check: the client's own adviser may edit.
    can_edit: bool
    adviser_id: int | None = None  # set when an adviser is looking
    # Whether this person may still see the plan, read afresh (app/accounts/live_guard.py):
    # the live stream asks it before every poll. Never true unless a dependency set it.
    still_allowed: Callable[[], bool] = field(default=lambda: False, compare=False)


def plan_page(
    request: Request,
    session: Session,
    viewer: PlanViewer,
    status_code: int = 200,
    **extra: object,
) -> HTMLResponse:
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    assert plan.id is not None
    steps = service.steps_of(session=session, plan_id=plan.id)
    active = [s for s in steps if s.state == StepState.active]
    return render(
        request,
        "plan/plan.html",
        {
            "viewer": request.state.viewer,
            "plan_viewer": viewer,
            "plan": plan,
            "steps": active,
            "suggestions": [s for s in steps if s.state == StepState.suggested],
            "whats_next": next((s for s in active if s.status != StepStatus.done), None),
            "free_slots": _free_slots(session, viewer),
            "progress": service.progress_notes(session=session, plan_id=plan.id),
            "explainer_titles": {
                slug: e.title for slug, e in explainers(current_language()).items()
            },
            "booked": {
                s.id: session.get(Appointment, s.booked_appointment_id)
                for s in active
                if s.booked_appointment_id
            },
            "activities": {
                s.id: session.get(Activity, s.booked_activity_id)
                for s in active
                if s.booked_activity_id
            },
            "errors": FormErrors(),
            "form": {},
            **extra,
        },
        status_code=status_code,
    )


def _free_slots(session: Session, viewer: PlanViewer) -> list[SlotView]:
    """For the adviser: free times that suit the client, to book a "please book" step into,
    each saying where it is and how long (as every list of times does)."""
    if viewer.adviser_id is None:
        return []
    profile = session.get(ClientProfile, viewer.client_id)
    assert profile is not None
    slots = bookable_slots(session=session, profile=profile, adviser_id=viewer.adviser_id)
    return present_slots(session, slots, for_adviser=True)


def own_step(session: Session, viewer: PlanViewer, step_id: int) -> tuple[ActionPlan, PlanStep]:
    """A step of this client's plan that is still in it (404 otherwise: a declined
    suggestion has left the plan and cannot be edited or moved)."""
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    step = session.get(PlanStep, step_id)
    if step is None or step.plan_id != plan.id or step.state == StepState.declined:
        raise HTTPException(status_code=404)
    return plan, step


def step_form(
    request: Request,
    viewer: PlanViewer,
    step: PlanStep | None,
    errors: FormErrors,
    form: dict[str, str],
    status_code: int = 200,
    conflicts: list[service.Conflict] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "plan/step.html",
        {
            "plan_viewer": viewer,
            "step": step,
            "errors": errors,
            "form": form,
            # What the plan holds now: the edit's starting point, sent back with the form.
            "originals": form_from_step(step) if step else {},
            "owners": list(Owner),
            "explainers": sorted(explainers(current_language()).values(), key=lambda e: e.title),
            "statuses": list(StepStatus),
            "conflicts": conflicts or [],
        },
        status_code=status_code,
    )


def form_from_step(step: PlanStep) -> dict[str, str]:
    return {field: service.field_value(step, field) for field in service.EDITABLE}


class Saved(StrEnum):
    """What a plan action says when it sends the person back to the plan (`?saved=`): every
    one has a banner in plan/_saved.html (tests/action_plans/test_saved_banners.py)."""

    added = "added"
    suggested = "suggested"
    saved = "saved"
    accepted = "accepted"
    declined = "declined"
    book_requested = "book-requested"
    progress = "progress"
    booked = "booked"
    review_date = "review-date"
    review_date_removed = "review-date-removed"
    # Not done, and why: said in a banner too, so the person is never left guessing.
    no_review_date = "no-review-date"
    choose_a_time = "choose-a-time"
    taken = "taken"
    already_booked = "already-booked"


def saved_note(value: str | None) -> Saved | None:
    """The `?saved=` value as a `Saved`, or None for nothing or anything unknown."""
    try:
        return Saved(value) if value else None
    except ValueError:
        return None


def back_to_plan(viewer: PlanViewer, note: Saved | None = None) -> Response:
    """Back to the plan; `note` is what its banner says was done (signed for this person and
    expiring, app/core/done_links.py: "/plan?saved=booked" typed into an address says nothing)."""
    if note is None:
        return RedirectResponse(viewer.prefix, status_code=303)
    return RedirectResponse(
        done_url(viewer.prefix, {"saved": str(note)}, user_id=viewer.user_id or 0), status_code=303
    )


def refuse_closed_day(session: Session, viewer: PlanViewer, sent: Posted[Any], field: str) -> None:
    """Add an error to `sent` when its date `field` is a day the adviser's office is closed
    (a weekend, a bank holiday): a review is never set for a day no one is there."""
    day = getattr(sent.form, field, None) if sent.form else None
    closed = closed_day_message(office_of(session, viewer.adviser_id or 0), day)
    if closed:
        sent.errors.add(field, closed)
