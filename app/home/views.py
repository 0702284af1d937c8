"""The client's home page, "I have started work" and "talk to someone who has been through
this": the client's own starting points, above the domains they draw on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.dependencies import CurrentClient, CurrentClientSelf
from app.appointments import repository
from app.appointments.presenting import present
from app.caseload.job_start import parse_job_start, record_job_start
from app.core.db import SessionDep
from app.core.templating import render
from app.people.models import Adviser, AdviserTask, Role, TaskKind, User
from app.rescheduling.repository import open_requests_for_client

router = APIRouter()


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, client: CurrentClient, session: SessionDep) -> HTMLResponse:
    assert client.profile.id is not None
    upcoming = repository.upcoming_for_client(session=session, client_id=client.profile.id)
    requests = open_requests_for_client(session=session, client_id=client.profile.id)
    adviser = session.get(Adviser, client.profile.adviser_id) if client.profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    return render(
        request,
        "home/index.html",
        {
            "client": client,
            "views": [present(session, appointment) for appointment, _venue in upcoming],
            "adviser_name": adviser_user.display_name if adviser_user else None,
            "missed": repository.missed_without_new_time(
                session=session, client_id=client.profile.id
            ),
            "open_requests": requests,
            "asked_by": {
                request.id: user.display_name
                for request in requests
                if request.asked_by_role == Role.supporter
                and request.asked_by_user_id
                and (user := session.get(User, request.asked_by_user_id))
            },
        },
    )


@router.post("/home/started-work")
def report_started_work(
    client: CurrentClientSelf,
    session: SessionDep,
    started_on: Annotated[str, Form()] = "",
    hours: Annotated[str, Form()] = "",
) -> Response:
    """The client tells us they have started work; the checklist and check-ins follow."""
    parsed = parse_job_start(started_on, hours)
    if parsed is None or client.profile.in_work_since:
        return RedirectResponse("/home?work=check#started-work", status_code=303)
    record_job_start(
        session=session,
        profile=client.profile,
        started_on=parsed[0],
        hours=parsed[1],
        actor_user=client.user,
    )
    return RedirectResponse("/home#starting-work", status_code=303)


@router.post("/account/talk-to-someone")
def talk_to_someone(client: CurrentClientSelf, session: SessionDep) -> Response:
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
    return RedirectResponse("/stories?asked=1", status_code=303)
