"""Plan pages for the client (/plan) and for the adviser (/adviser/clients/{id}/plan).

Each router has one dependency that decides who is looking and proves they may (the client or
their support person on /plan, the client's own adviser on the adviser's address), and leaves
a PlanViewer on the request. The handlers are ordinary functions of that viewer: the ones both
sides use are listed once in SHARED and added to both routers; the rest belong to one side.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlmodel import Session

from app.accounts.caseload import CurrentCaseloadClient
from app.accounts.dependencies import CurrentClient
from app.accounts.live_guard import adviser_stream_allowed, client_stream_allowed
from app.accounts.permissions import ClientPermission, client_may
from app.action_plans import service
from app.action_plans.forms import (
    BookStepForm,
    MoveForm,
    NewStepForm,
    Progress,
    ProgressForm,
    ReviewDateForm,
    StepEditForm,
    step_errors,
    typed_step,
)
from app.action_plans.live import plan_events
from app.action_plans.models import ChangeAction, StepState
from app.action_plans.views_common import (
    PlanViewer,
    Saved,
    back_to_plan,
    form_from_step,
    own_step,
    plan_page,
    refuse_closed_day,
    saved_note,
    step_form,
)
from app.appointments.booking import SlotTaken, book_slot
from app.appointments.models import AppointmentKind, AvailabilitySlot
from app.audit.service import record
from app.core.db import SessionDep, WriteDep
from app.core.done_links import said
from app.core.forms import FormErrors, Posted, chosen, posted
from app.core.i18n import current_language
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import get_templates, render
from app.explainers.services import all_services
from app.people.models import Role, User

PROGRESS = get_args(Progress)


def client_plan_viewer(request: Request, client: CurrentClient) -> None:
    """/plan: the client, or a support person looking (the permission model decides)."""
    assert client.profile.id is not None
    request.state.plan_viewer = PlanViewer(
        client_id=client.profile.id,
        user_id=client.user.id,
        role=client.actor_role,
        prefix="/plan",
        client_name=client.client_user.display_name,
        can_edit=client_may(client, ClientPermission.manage),
        still_allowed=client_stream_allowed(client, ClientPermission.view),
    )


def adviser_plan_viewer(request: Request, client: CurrentCaseloadClient) -> None:
    """/adviser/clients/{id}/plan: the client's own adviser."""
    request.state.plan_viewer = PlanViewer(
        client_id=client.id,
        user_id=client.adviser.user.id,
        role=Role.adviser,
        prefix=f"/adviser/clients/{client.id}/plan",
        client_name=client.user.full_name,
        can_edit=True,
        adviser_id=client.adviser.adviser.id,
        still_allowed=adviser_stream_allowed(client.adviser, client.id),
    )


async def plan_viewer(request: Request) -> PlanViewer:
    """The viewer the router's own dependency found (FastAPI solves a router's
    `dependencies` first). It is missing only when that dependency could not run because the
    address itself was unreadable (a client id that is not a number): then there is no page."""
    viewer: PlanViewer | None = getattr(request.state, "plan_viewer", None)
    if viewer is None:
        raise HTTPException(status_code=404)
    return viewer


async def plan_editor(viewer: Annotated[PlanViewer, Depends(plan_viewer)]) -> PlanViewer:
    """Someone who may change the plan: the client or the adviser, not a support person."""
    if not viewer.can_edit:
        raise HTTPException(status_code=403, detail="supporter")
    return viewer


Viewer = Annotated[PlanViewer, Depends(plan_viewer)]
Editor = Annotated[PlanViewer, Depends(plan_editor)]

client_router = APIRouter(prefix="/plan", dependencies=[Depends(client_plan_viewer)])
adviser_router = APIRouter(
    prefix="/adviser/clients/{client_id}/plan", dependencies=[Depends(adviser_plan_viewer)]
)


def show_plan(request: Request, viewer: Viewer, session: SessionDep) -> HTMLResponse:
    """The plan: steps, suggestions, what's next, and (for the adviser) times to book."""
    if viewer.role == "adviser":
        record(
            session=session,
            action="client_record.viewed",
            actor_role=Role.adviser,
            actor_user_id=viewer.user_id,
            client_id=viewer.client_id,
            detail={"page": "plan"},
        )
    return plan_page(request, session, viewer, saved=saved_note(said(request).get("saved")))


def new_step_form(request: Request, viewer: Editor) -> HTMLResponse:
    """The empty step form ("no rush" unless a date is chosen)."""
    blank = {"owner": "me", "status": "not-started", "when": "no-rush"}
    return step_form(request, viewer, None, FormErrors(), blank)


def add_step(
    request: Request,
    viewer: Editor,
    session: SessionDep,
    sent: Annotated[Posted[NewStepForm], posted(NewStepForm)],
) -> Response:
    """A new step at the end of the plan (an adviser's is a suggestion if they say so)."""
    if not sent.ok:
        typed = {name: sent.values.get(name, "") for name in ("title", "details", "explainer")}
        return step_form(request, viewer, None, sent.errors, typed, 400)
    form = sent.valid()
    suggested = viewer.role == "adviser" and form.suggest == "yes"
    service.add_step(
        session=session,
        plan=service.plan_for(session=session, client_id=viewer.client_id),
        title=form.title,
        details=form.details,
        actor_user_id=viewer.user_id,
        actor_role=viewer.role,
        suggested=suggested,
        explainer_slug=form.explainer or None,
    )
    return back_to_plan(viewer, Saved.suggested if suggested else Saved.added)


def step_page(
    request: Request, step_id: RecordId, viewer: Editor, session: SessionDep
) -> HTMLResponse:
    """A step's form, holding its version and what it says now (the edit's starting point)."""
    _plan, found = own_step(session, viewer, step_id)
    return step_form(request, viewer, found, FormErrors(), form_from_step(found))


def edit_step(
    request: Request,
    step_id: RecordId,
    viewer: Editor,
    session: SessionDep,
    write: WriteDep,
    sent: Annotated[Posted[StepEditForm], posted(StepEditForm)],
) -> Response:
    """Save the fields this person changed; a field someone else changed meanwhile comes back
    as a conflict showing both texts (see service.edit_step). The save runs through `write`:
    the request's own transaction on SQLite, a fresh retried one on PostgreSQL (core/db.py)."""
    _plan, found = own_step(session, viewer, step_id)
    if not sent.ok:
        return step_form(request, viewer, found, step_errors(sent), typed_step(sent), 400)
    edit = sent.valid()

    def work(s: Session) -> service.EditResult:
        return service.edit_step(
            session=s,
            step_id=step_id,
            base_version=edit.base_version,
            original=edit.original(),
            submitted=edit.submitted(),
            actor_user_id=viewer.user_id,
            actor_role=viewer.role,
        )

    result: service.EditResult = write(work)
    if not result.conflicts:
        return back_to_plan(viewer, Saved.saved)
    # Both texts, side by side; nothing is saved over anyone until this person chooses.
    form = {**form_from_step(result.step), **{c.field: c.yours for c in result.conflicts}}
    return step_form(
        request, viewer, result.step, FormErrors(), form, 409, conflicts=result.conflicts
    )


def move_step(
    step_id: RecordId,
    viewer: Editor,
    session: SessionDep,
    sent: Annotated[Posted[MoveForm], posted(MoveForm)],
) -> Response:
    """Move a step one place up or down the plan."""
    _plan, found = own_step(session, viewer, step_id)
    direction = chosen(sent).direction
    service.move(
        session=session,
        step=found,
        direction=-1 if direction == "up" else 1,
        actor_user_id=viewer.user_id,
        actor_role=viewer.role,
    )
    return back_to_plan(viewer)


def plan_history(request: Request, viewer: Viewer, session: SessionDep) -> HTMLResponse:
    """Every change to the plan, who made it and when."""
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    assert plan.id is not None
    changes = service.history(session=session, plan_id=plan.id)
    people = (session.get(User, c.actor_user_id) for c in changes if c.actor_user_id)
    names = {user.id: user.display_name for user in people if user}
    titles = service.step_titles(session=session, plan_id=plan.id)
    context = {"plan_viewer": viewer, "changes": changes, "names": names, "titles": titles}
    return render(request, "plan/history.html", context)


def plan_live_events(viewer: Viewer) -> StreamingResponse:
    """Server-sent events: the page reloads its steps when someone else changes the plan; the
    stream ends as soon as this person may no longer see the plan."""
    return StreamingResponse(
        plan_events(viewer.client_id, still_allowed=viewer.still_allowed),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def download_plan(viewer: Viewer, session: SessionDep) -> Response:
    """The plan as plain text, to keep or print: "My plan" for the client; for anyone else
    (the adviser, a support person) a heading that names whose plan it is."""
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    assert plan.id is not None
    own = viewer.role == Role.client
    heading = _("My plan") if own else _("Action plan: %(name)s") % {"name": viewer.client_name}
    # The name goes inside the document only, never in the file name: a file name is kept in
    # download lists and browser history, where nothing private belongs (as with URLs/titles).
    filename = "my-plan.txt" if own else "action-plan.txt"
    steps = [
        item
        for item in service.steps_of(session=session, plan_id=plan.id)
        if item.state == StepState.active
    ]
    page = get_templates().env.get_template("plan/download.txt")
    # Escaped as every template is, and unescaped exactly once: plain text, as typed.
    body = html.unescape(page.render(heading=heading, steps=steps, plan_viewer=viewer))
    return Response(
        body,
        media_type="text/plain; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# What the client and the adviser both do, at the same addresses under their own prefix.
SHARED: list[tuple[str, str, Callable[..., Response]]] = [
    ("GET", "", show_plan),
    ("GET", "/steps/new", new_step_form),
    ("POST", "/steps", add_step),
    ("GET", "/steps/{step_id}", step_page),
    ("POST", "/steps/{step_id}", edit_step),
    ("POST", "/steps/{step_id}/move", move_step),
    ("GET", "/history", plan_history),
    ("GET", "/events", plan_live_events),
    ("GET", "/download", download_plan),
]
for _side, _router in (("client", client_router), ("adviser", adviser_router)):
    for _method, _path, _endpoint in SHARED:
        _name = f"{_side}_{_endpoint.__name__}"  # e.g. "adviser_edit_step"
        _router.add_api_route(_path, _endpoint, methods=[_method], name=_name)


# The client's alone: answering a suggestion, asking for a step to be booked, services, wins.


def _answer_suggestion(
    step_id: RecordId,
    viewer: PlanViewer,
    session: Session,
    state: StepState,
    action: Literal[ChangeAction.accepted, ChangeAction.declined],
) -> Response:
    """Only the client answers a suggestion: into the plan, or politely away."""
    _plan, found = own_step(session, viewer, step_id)
    if found.state != StepState.suggested:
        raise HTTPException(status_code=404)
    service.set_state(
        session=session,
        step=found,
        state=state,
        actor_user_id=viewer.user_id,
        actor_role=viewer.role,
        action=action,
    )
    return back_to_plan(viewer, Saved(action))


@client_router.post("/steps/{step_id}/accept")
def accept_suggestion(step_id: RecordId, viewer: Editor, session: SessionDep) -> Response:
    return _answer_suggestion(step_id, viewer, session, StepState.active, ChangeAction.accepted)


@client_router.post("/steps/{step_id}/decline")
def decline_suggestion(step_id: RecordId, viewer: Editor, session: SessionDep) -> Response:
    return _answer_suggestion(step_id, viewer, session, StepState.declined, ChangeAction.declined)


@client_router.post("/steps/{step_id}/book-for-me")
def ask_to_book(step_id: RecordId, viewer: Editor, session: SessionDep) -> Response:
    """ "Please book this for me": the adviser sees it on their list and books it."""
    _plan, found = own_step(session, viewer, step_id)
    service.ask_to_book(session=session, step=found, actor_user_id=viewer.user_id)
    return back_to_plan(viewer, Saved.book_requested)


@client_router.post("/services/{slug}")
def add_service_to_plan(slug: str, viewer: Editor, session: SessionDep) -> Response:
    """A service from the directory becomes a step, linked back to its details."""
    service_entry = next((s for s in all_services() if s.slug == slug), None)
    if service_entry is None:
        raise HTTPException(status_code=404)
    name = service_entry.name(current_language())
    service.add_step(
        session=session,
        plan=service.plan_for(session=session, client_id=viewer.client_id),
        title=_("Get in touch with %(name)s") % {"name": name},
        actor_user_id=viewer.user_id,
        actor_role=viewer.role,
        service_slug=slug,
    )
    return back_to_plan(viewer, Saved.added)


@client_router.post("/progress")
def add_progress(
    request: Request,
    viewer: Editor,
    session: SessionDep,
    sent: Annotated[Posted[ProgressForm], posted(ProgressForm)],
) -> Response:
    """A small win, in the client's words from a short list. No streaks, no scores."""
    if not sent.ok:  # "Note it" with nothing chosen: said in the error summary
        return plan_page(request, session, viewer, 400, errors=sent.errors)
    progress = sent.valid().progress
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    service.note_progress(
        session=session, plan=plan, progress=progress, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, Saved.progress)


# The adviser's alone: booking what the client asked for, and the next review date.


@adviser_router.post("/steps/{step_id}/book")
def book_step(
    step_id: RecordId,
    viewer: Viewer,
    session: SessionDep,
    sent: Annotated[Posted[BookStepForm], posted(BookStepForm)],
) -> Response:
    """Book what the client asked for into one of the adviser's free times."""
    _plan, found = own_step(session, viewer, step_id)
    slot = session.get(AvailabilitySlot, sent.form.slot) if sent.form else None
    if slot is None or not found.book_for_me:
        return back_to_plan(viewer, Saved.choose_a_time)
    try:
        appointment = book_slot(
            session=session,
            slot=slot,
            client_id=viewer.client_id,
            kind=AppointmentKind.other,
            wfi_number=None,
            actor_user_id=viewer.user_id,
            actor_role=Role.adviser,
        )
    except SlotTaken:
        return back_to_plan(viewer, Saved.taken)
    assert appointment.id is not None
    service.mark_booked(
        session=session, step=found, appointment_id=appointment.id, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, Saved.booked)


@adviser_router.post("/review-date")
def set_review_date(
    request: Request,
    viewer: Viewer,
    session: SessionDep,
    sent: Annotated[Posted[ReviewDateForm], posted(ReviewDateForm)],
) -> Response:
    """When the plan will next be looked at together (shown at the top for both)."""
    refuse_closed_day(session, viewer, sent, "review_on")
    if not sent.ok:
        return plan_page(
            request, session, viewer, errors=sent.errors, form=sent.values, status_code=400
        )
    plan = service.plan_for(session=session, client_id=viewer.client_id)
    review_on = sent.valid().review_on
    if review_on is None and plan.next_review_on is None:
        return back_to_plan(viewer, Saved.no_review_date)  # nothing to save, and it says so
    service.set_review_date(
        session=session, plan=plan, review_on=review_on, actor_user_id=viewer.user_id
    )
    return back_to_plan(viewer, Saved.review_date if review_on else Saved.review_date_removed)
