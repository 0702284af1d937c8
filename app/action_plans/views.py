"""Plan pages for the client (/plan) and for the adviser (/adviser/clients/{id}/plan).

One set of handlers serves both; `make_router` binds them to a prefix and to the dependency
that says who is looking (and proves they may). No `from __future__ import annotations` here:
FastAPI must see the handlers' annotations as real objects, and they refer to the local alias."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.accounts.caseload import CurrentCaseloadClient
from app.accounts.dependencies import CurrentClient
from app.action_plans import service
from app.action_plans.live import plan_events
from app.action_plans.models import Owner, StepState, StepStatus
from app.action_plans.views_common import (
    PlanViewer,
    back_to_plan,
    form_from_step,
    own_step,
    parse_when,
    plan_page,
    step_form,
)
from app.appointments.booking import SlotTaken, book_slot
from app.appointments.models import AppointmentKind, AvailabilitySlot
from app.audit.service import record
from app.core.db import SessionDep, WriteDep
from app.core.forms import FormErrors
from app.core.i18n import current_language
from app.core.i18n import gettext as _
from app.core.templating import render
from app.explainers.content import explainers as explainers_in
from app.explainers.services import all_services
from app.people.models import Role, User


def client_plan_viewer(client: CurrentClient) -> PlanViewer:
    assert client.profile.id is not None
    return PlanViewer(
        client_id=client.profile.id,
        user_id=client.user.id,
        role="supporter" if client.is_supporter else "client",
        prefix="/plan",
        client_name=client.client_user.display_name,
    )


def adviser_plan_viewer(client: CurrentCaseloadClient) -> PlanViewer:
    return PlanViewer(
        client_id=client.id,
        user_id=client.adviser.user.id,
        role="adviser",
        prefix=f"/adviser/clients/{client.id}/plan",
        client_name=client.user.full_name,
        adviser_id=client.adviser.adviser.id,
    )


STEP_FIELDS = ("title", "details", "owner", "owner_name", "status")
PROGRESS = ("more-confident", "went-to-a-group", "tried-something-new", "looked-after-myself")


class StepFields(BaseModel):
    """The step form: what the person wants now, and what the page showed when it opened."""

    title: str = ""
    details: str = ""
    owner: str = "me"
    owner_name: str = ""
    status: str = "not-started"
    when: str = "no-rush"
    when_date: str = ""
    original_title: str = ""
    original_details: str = ""
    original_owner: str = ""
    original_owner_name: str = ""
    original_status: str = ""
    original_when: str = ""


def explainer_slugs() -> set[str]:
    return set(explainers_in("en"))


def make_router(prefix: str, viewer_dependency: Callable[..., PlanViewer]) -> APIRouter:
    router = APIRouter(prefix=prefix)
    Viewer = Annotated[PlanViewer, Depends(viewer_dependency)]  # noqa: N806 - a type alias

    def editor(viewer: PlanViewer) -> PlanViewer:
        if not viewer.can_edit:
            raise HTTPException(status_code=403, detail="supporter")
        return viewer

    @router.get("", response_class=HTMLResponse)
    def plan(request: Request, viewer: Viewer, session: SessionDep) -> HTMLResponse:
        if viewer.role == "adviser":
            record(
                session=session,
                action="client_record.viewed",
                actor_role=Role.adviser,
                actor_user_id=viewer.user_id,
                client_id=viewer.client_id,
                detail={"page": "plan"},
            )
        return plan_page(request, session, viewer, saved=request.query_params.get("saved"))

    @router.get("/steps/new", response_class=HTMLResponse)
    def new_step(request: Request, viewer: Viewer) -> HTMLResponse:
        return step_form(
            request,
            editor(viewer),
            None,
            FormErrors(),
            {"owner": "me", "status": "not-started", "when": "no-rush"},
        )

    @router.post("/steps", response_class=HTMLResponse)
    def add_step(
        request: Request,
        viewer: Viewer,
        session: SessionDep,
        title: Annotated[str, Form()] = "",
        details: Annotated[str, Form()] = "",
        suggest: Annotated[str, Form()] = "",
        explainer: Annotated[str, Form()] = "",
    ) -> Response:
        editor(viewer)
        if not title.strip():
            errors = FormErrors()
            errors.add("title", _("Enter what the step is"))
            return step_form(
                request, viewer, None, errors, {"title": title, "details": details}, 400
            )
        plan = service.plan_for(session=session, client_id=viewer.client_id)
        service.add_step(
            session=session,
            plan=plan,
            title=title.strip()[:200],
            details=details.strip(),
            actor_user_id=viewer.user_id,
            actor_role=viewer.role,
            suggested=viewer.role == "adviser" and suggest == "yes",
            explainer_slug=explainer if explainer in explainer_slugs() else None,
        )
        return back_to_plan(viewer, "added")

    @router.get("/steps/{step_id}", response_class=HTMLResponse)
    def step(request: Request, step_id: int, viewer: Viewer, session: SessionDep) -> HTMLResponse:
        _plan, found = own_step(session, viewer, step_id)
        return step_form(request, editor(viewer), found, FormErrors(), form_from_step(found))

    @router.post("/steps/{step_id}", response_class=HTMLResponse)
    def edit_step(
        request: Request,
        step_id: int,
        viewer: Viewer,
        session: SessionDep,
        write: WriteDep,
        base_version: Annotated[int, Form()],
        fields: Annotated[StepFields, Form()],
    ) -> Response:
        editor(viewer)
        _plan, found = own_step(session, viewer, step_id)
        errors = FormErrors()
        submitted = {f: getattr(fields, f) for f in STEP_FIELDS}
        submitted["when"] = parse_when(fields.when, fields.when_date, errors)
        if not submitted["title"].strip():
            errors.add("title", _("Enter what the step is"))
        if submitted["owner"] not in set(Owner) or submitted["status"] not in set(StepStatus):
            errors.add("owner", _("Choose who does this step"))
        original = {f: getattr(fields, f"original_{f}") for f in (*STEP_FIELDS, "when")}
        if errors:
            return step_form(request, viewer, found, errors, submitted, 400)

        def work(s: Any) -> service.EditResult:
            return service.edit_step(
                session=s,
                step_id=step_id,
                base_version=base_version,
                original=original,
                submitted=submitted,
                actor_user_id=viewer.user_id,
                actor_role=viewer.role,
            )

        result = write(work)
        if result.conflicts:
            # Both texts, side by side; nothing is saved over anyone until this person chooses.
            fresh = form_from_step(result.step)
            return step_form(
                request,
                viewer,
                result.step,
                FormErrors(),
                {**fresh, **{c.field: c.yours for c in result.conflicts}},
                status_code=409,
                conflicts=result.conflicts,
            )
        return back_to_plan(viewer, "saved")

    def answer_suggestion(
        step_id: int, viewer: PlanViewer, session: Session, state: StepState, action: str
    ) -> Response:
        """Only the client answers a suggestion: into the plan, or politely away."""
        _plan, found = own_step(session, viewer, step_id)
        if viewer.role != "client" or found.state != StepState.suggested:
            raise HTTPException(status_code=404)
        service.set_state(
            session=session,
            step=found,
            state=state,
            actor_user_id=viewer.user_id,
            actor_role=viewer.role,
            action=action,
        )
        return back_to_plan(viewer, action)

    @router.post("/steps/{step_id}/accept")
    def accept(step_id: int, viewer: Viewer, session: SessionDep) -> Response:
        return answer_suggestion(step_id, viewer, session, StepState.active, "accepted")

    @router.post("/steps/{step_id}/decline")
    def decline(step_id: int, viewer: Viewer, session: SessionDep) -> Response:
        return answer_suggestion(step_id, viewer, session, StepState.declined, "declined")

    @router.post("/steps/{step_id}/book-for-me")
    def book_for_me(step_id: int, viewer: Viewer, session: SessionDep) -> Response:
        _plan, found = own_step(session, viewer, step_id)
        if viewer.role != "client":
            raise HTTPException(status_code=404)
        service.ask_to_book(session=session, step=found, actor_user_id=viewer.user_id)
        return back_to_plan(viewer, "book-requested")

    @router.post("/steps/{step_id}/move")
    def move(
        step_id: int,
        viewer: Viewer,
        session: SessionDep,
        direction: Annotated[str, Form()] = "down",
    ) -> Response:
        _plan, found = own_step(session, editor(viewer), step_id)
        service.move(
            session=session,
            step=found,
            direction=-1 if direction == "up" else 1,
            actor_user_id=viewer.user_id,
            actor_role=viewer.role,
        )
        return back_to_plan(viewer)

    @router.get("/history", response_class=HTMLResponse)
    def history(request: Request, viewer: Viewer, session: SessionDep) -> HTMLResponse:
        plan = service.plan_for(session=session, client_id=viewer.client_id)
        assert plan.id is not None
        changes = service.history(session=session, plan_id=plan.id)
        names = {
            u.id: u.display_name
            for u in (session.get(User, c.actor_user_id) for c in changes if c.actor_user_id)
            if u
        }
        return render(
            request,
            "plan/history.html",
            {"plan_viewer": viewer, "changes": changes, "names": names},
        )

    @router.get("/events")
    def events(viewer: Viewer) -> StreamingResponse:
        return StreamingResponse(
            plan_events(viewer.client_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @router.get("/download")
    def download(viewer: Viewer, session: SessionDep) -> Response:
        plan = service.plan_for(session=session, client_id=viewer.client_id)
        assert plan.id is not None
        lines = [_("My plan"), ""]
        for number, item in enumerate(service.steps_of(session=session, plan_id=plan.id), start=1):
            if item.state != StepState.active:
                continue
            lines.append(f"{number}. {item.title} [{item.status}]")
            if item.details:
                lines.append(f"   {item.details}")
        return Response(
            "\n".join(lines) + "\n",
            media_type="text/plain; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="my-plan.txt"',
                "Cache-Control": "no-store",
            },
        )

    return router


client_router = make_router("/plan", client_plan_viewer)
adviser_router = make_router("/adviser/clients/{client_id}/plan", adviser_plan_viewer)


@adviser_router.post("/steps/{step_id}/book")
def book_step(
    step_id: int,
    viewer: Annotated[PlanViewer, Depends(adviser_plan_viewer)],
    session: SessionDep,
    slot: Annotated[str, Form()] = "",
) -> Response:
    """Book what the client asked for into one of the adviser's free times."""
    _plan, found = own_step(session, viewer, step_id)
    chosen = session.get(AvailabilitySlot, int(slot)) if slot.isdigit() else None
    if chosen is None or not found.book_for_me:
        return back_to_plan(viewer, "choose-a-time")
    try:
        appointment = book_slot(
            session=session,
            slot=chosen,
            client_id=viewer.client_id,
            kind=AppointmentKind.other,
            wfi_number=None,
            actor_user_id=viewer.user_id,
            actor_role="adviser",
        )
    except SlotTaken:
        return back_to_plan(viewer, "taken")
    assert appointment.id is not None
    service.mark_booked(
        session=session, step=found, appointment_id=appointment.id, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, "booked")


@client_router.post("/services/{slug}")
def add_service_to_plan(
    slug: str, viewer: Annotated[PlanViewer, Depends(client_plan_viewer)], session: SessionDep
) -> Response:
    """A service from the directory becomes a step, linked back to its details."""
    if viewer.role != "client":
        raise HTTPException(status_code=403, detail="supporter")
    service_entry = next((s for s in all_services() if s.slug == slug), None)
    if service_entry is None:
        raise HTTPException(status_code=404)
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    name = service_entry.name(current_language())
    service.add_step(
        session=session,
        plan=plan,
        title=_("Get in touch with %(name)s") % {"name": name},
        actor_user_id=viewer.user_id,
        actor_role=viewer.role,
        service_slug=slug,
    )
    return back_to_plan(viewer, "added")


@client_router.post("/progress")
def add_progress(
    viewer: Annotated[PlanViewer, Depends(client_plan_viewer)],
    session: SessionDep,
    progress: Annotated[str, Form()] = "",
) -> Response:
    """A small win, in the client's words from a short list. No streaks, no scores."""
    if viewer.role != "client" or progress not in PROGRESS:
        return back_to_plan(viewer)
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    service.note_progress(
        session=session, plan=plan, progress=progress, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, "progress")


@adviser_router.post("/review-date")
def set_review_date(
    viewer: Annotated[PlanViewer, Depends(adviser_plan_viewer)],
    session: SessionDep,
    review_on: Annotated[str, Form()] = "",
) -> Response:
    """When the plan will next be looked at together (shown at the top for both)."""
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    try:
        chosen = date.fromisoformat(review_on) if review_on else None
    except ValueError:
        return back_to_plan(viewer, "review-date-not-saved")
    service.set_review_date(
        session=session, plan=plan, review_on=chosen, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, "review-date")
