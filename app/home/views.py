"""The client's home page, "I have started work" and "talk to someone who has been through
this": the client's own starting points, above the domains they draw on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.dependencies import CurrentClient, CurrentClientSelf
from app.appointments import repository
from app.appointments.activities import upcoming_activities
from app.appointments.activity_models import Activity
from app.appointments.presenting import AppointmentView, present, present_slots
from app.caseload.forms import JobStartForm
from app.caseload.job_start import record_job_start
from app.core.db import SessionDep
from app.core.done_links import redirect_saying
from app.core.forms import FormErrors, Posted, posted
from app.core.templating import render
from app.home.journey import WFI_COUNT, journey_of, next_interview_number
from app.messages.models import Author
from app.messages.repository import thread_for, unread_from
from app.people.models import Adviser, AdviserTask, Role, TaskKind, User
from app.rescheduling.offers import no_longer_free
from app.rescheduling.repository import (
    offered_instead_of,
    offered_to,
    open_requests_for_client,
)
from app.rescheduling.service import may_choose

router = APIRouter()


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, client: CurrentClient, session: SessionDep) -> HTMLResponse:
    return _home_page(request, session, client)


def _home_page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    sent: Posted[JobStartForm] | None = None,
) -> HTMLResponse:
    assert client.profile.id is not None
    upcoming = repository.upcoming_for_client(session=session, client_id=client.profile.id)
    views = [present(session, appointment) for appointment, _venue in upcoming]
    activities = upcoming_activities(session=session, client_id=client.profile.id)
    requests = open_requests_for_client(session=session, client_id=client.profile.id)
    offered = [
        slot
        for slot in offered_to(session=session, client_id=client.profile.id)
        if may_choose(session=session, profile=client.profile, slot=slot)
    ]
    adviser = session.get(Adviser, client.profile.adviser_id) if client.profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    targets = _offer_targets(session, client.profile.id, views) if offered else []
    return render(
        request,
        "home/index.html",
        {
            "client": client,
            "views": views,
            # Begun and not over (a phone call now): said as happening now, with what to do.
            "happening_now": [
                present(session, appointment)
                for appointment in repository.in_progress_for_client(
                    session=session, client_id=client.profile.id
                )
            ],
            "coming": coming_up(views, activities),
            "adviser_name": adviser_user.display_name if adviser_user else None,
            "missed": repository.missed_without_new_time(
                session=session, client_id=client.profile.id
            ),
            "open_requests": requests,
            # Times the adviser kept for the client: the text that told them leads here.
            # A time chosen for an appointment keeps that appointment's length: when every
            # one it could replace has the same length, that is the one said (as on the page
            # where they choose).
            "offered": present_slots(
                session,
                offered,
                own_place=bool(views) and views[0].own_place,
                minutes=_one_length(targets),
            ),
            "offers_gone": no_longer_free(
                session=session, client_id=client.profile.id, shown=offered
            ),
            # Which appointment they would replace: asked only when there are some.
            "offered_instead_of": targets,
            "unread_replies": 0
            if client.is_supporter
            else _unread_replies(session, client.profile.id),
            "asked_by": {
                request.id: user.display_name
                for request in requests
                if request.asked_by_role == Role.supporter
                and request.asked_by_user_id
                and (user := session.get(User, request.asked_by_user_id))
            },
            "errors": sent.errors if sent else FormErrors(),
            "form": sent.values if sent else {},
        },
        status_code=400 if sent else 200,
    )


def _one_length(targets: list[AppointmentView]) -> int | None:
    """The length, in minutes, that every appointment in `targets` has, or None if they
    differ (or there are none): then each time says its own."""
    lengths = {view.appointment.duration_minutes for view in targets}
    return lengths.pop() if len(lengths) == 1 else None


def _offer_targets(
    session: SessionDep, client_id: int, views: list[AppointmentView]
) -> list[AppointmentView]:
    """The appointments a time the adviser offered would replace: the one the client asked
    to change when the offer was the answer; otherwise each one ahead, and the client says
    which (never simply the next one, which may not be the one being talked about)."""
    asked_about = offered_instead_of(session=session, client_id=client_id)
    return [v for v in views if v.appointment.id == asked_about] or views


@dataclass(frozen=True)
class ComingUp:
    """Home's order: what was booked for the client before their next appointment comes
    first; after that appointment, later appointments and activities in one list by time."""

    first_activities: list[Activity]
    later: list[AppointmentView | Activity]


def coming_up(views: list[AppointmentView], activities: list[Activity]) -> ComingUp:
    """Split and order `views` (upcoming appointments, soonest first, the first shown on its
    own) and `activities` (soonest first) for home."""
    next_start = views[0].appointment.starts_at if views else None
    first = [a for a in activities if next_start is None or a.starts_at < next_start]
    rest: list[AppointmentView | Activity] = [*views[1:], *activities[len(first) :]]
    rest.sort(
        key=lambda item: (
            item.appointment.starts_at if isinstance(item, AppointmentView) else item.starts_at
        )
    )
    return ComingUp(first, rest)


def _unread_replies(session: SessionDep, client_id: int) -> int:
    """How many of the adviser's messages the client has not opened yet."""
    thread = thread_for(session=session, client_id=client_id)
    if thread is None or thread.id is None:
        return 0
    return len(unread_from(session=session, thread_id=thread.id, author=Author.adviser))


@router.get("/where-you-are", response_class=HTMLResponse)
def where_you_are(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    """One plain page: whether and where the client is on the programme, and what comes next."""
    journey = journey_of(session=session, profile=client.profile)
    adviser = session.get(Adviser, client.profile.adviser_id) if client.profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    return render(
        request,
        "home/where.html",
        {
            "journey": journey,
            "interview_number": next_interview_number(journey),
            "wfi_count": WFI_COUNT,
            "adviser_name": adviser_user.display_name if adviser_user else None,
        },
    )


@router.post("/home/started-work", response_class=HTMLResponse)
def report_started_work(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[JobStartForm], posted(JobStartForm)],
) -> Response:
    """The client tells us they have started work; the checklist and check-ins follow."""
    if client.profile.in_work_since:  # told already (another tab, or the adviser)
        return RedirectResponse("/home#starting-work", status_code=303)
    if not sent.ok:
        return _home_page(request, session, client, sent)
    form = sent.valid()
    record_job_start(
        session=session,
        profile=client.profile,
        started_on=form.started_on,
        hours=form.hours,
        actor_user=client.user,
    )
    return RedirectResponse("/home#starting-work", status_code=303)


@router.post("/account/talk-to-someone")
def talk_to_someone(request: Request, client: CurrentClientSelf, session: SessionDep) -> Response:
    """'I'd like to talk to someone who has been through this': the adviser arranges it."""
    assert client.profile.id is not None
    open_task = session.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == client.profile.id,
            AdviserTask.kind == TaskKind.talk_to_someone,
            col(AdviserTask.done_at).is_(None),
        )
    ).first()
    if open_task is None:
        session.add(
            AdviserTask(
                adviser_id=client.profile.adviser_id,
                client_id=client.profile.id,
                kind=TaskKind.talk_to_someone,
            )
        )
    return redirect_saying(request, "/stories", {"asked": 1})
