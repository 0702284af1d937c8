"""The adviser books a course or group with a provider for a step the client asked them to
book ("Please book this for me"): it becomes an activity, shown and reminded as what it is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.action_plans import service
from app.action_plans.activity_forms import ActivityForm
from app.action_plans.models import PlanStep
from app.action_plans.views import Viewer, adviser_plan_viewer
from app.action_plans.views_common import PlanViewer, Saved, back_to_plan, own_step
from app.appointments.activities import book_activity
from app.core.clock import london_datetime
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.ids import RecordId
from app.core.templating import render

router = APIRouter(
    prefix="/adviser/clients/{client_id}/plan", dependencies=[Depends(adviser_plan_viewer)]
)


def _form_page(
    request: Request,
    viewer: PlanViewer,
    step_id: int,
    title: str,
    errors: FormErrors,
    form: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "plan/activity-new.html",
        {
            "plan_viewer": viewer,
            "step_id": step_id,
            "step_title": title,
            "errors": errors,
            "form": form,
        },
        status_code=status_code,
    )


@router.get("/steps/{step_id}/activity", response_class=HTMLResponse)
def new_activity_form(
    request: Request, step_id: RecordId, viewer: Viewer, session: SessionDep
) -> Response:
    """The form for what was booked with a provider, started from the step's own words."""
    _plan, step = own_step(session, viewer, step_id)
    if not _waiting_for_a_booking(step):
        return back_to_plan(viewer)
    blank = {"title": step.title, "duration_minutes": "60"}
    return _form_page(request, viewer, step_id, step.title, FormErrors(), blank)


@router.post("/steps/{step_id}/activity", response_class=HTMLResponse)
def add_activity(
    request: Request,
    step_id: RecordId,
    viewer: Viewer,
    session: SessionDep,
    sent: Annotated[Posted[ActivityForm], posted(ActivityForm)],
) -> Response:
    """Record the booking: the step points at it, the client is told and reminded."""
    _plan, step = own_step(session, viewer, step_id)
    if not _waiting_for_a_booking(step):
        # Booked already (another tab, the back button) or never asked for: one booking per
        # step, so a client is never told about two courses when there is one.
        return back_to_plan(viewer, Saved.already_booked)
    if not sent.ok:
        return _form_page(request, viewer, step_id, step.title, sent.errors, sent.values, 400)
    form = sent.valid()
    activity = _book(session, viewer, form)
    assert activity.id is not None
    service.mark_booked(
        session=session, step=step, activity_id=activity.id, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, Saved.booked)


def _waiting_for_a_booking(step: PlanStep) -> bool:
    return step.book_for_me and not step.booked_activity_id and not step.booked_appointment_id


def _book(session: Session, viewer: PlanViewer, form: ActivityForm) -> Any:
    return book_activity(
        session=session,
        client_id=viewer.client_id,
        title=form.title,
        provider=form.provider,
        place=form.place,
        starts_at=london_datetime(form.day, form.at.hour, form.at.minute),
        duration_minutes=form.duration_minutes,
        bring=form.bring,
        contact=form.contact,
        actor_user_id=viewer.user_id,
    )
