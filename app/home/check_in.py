"""The client's side of a check-in ("How are things?"). Answering is never required, and
"not yet" is a full answer: it is recorded and nothing more is asked."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.dependencies import CurrentClientSelf
from app.audit.service import record
from app.core.db import SessionDep
from app.core.forms import FormErrors, FormModel, Posted, posted
from app.core.i18n import lazy_gettext
from app.core.templating import render
from app.people.models import AdviserTask, TaskKind

router = APIRouter()


class CheckInAnswer(StrEnum):
    not_yet = "not-yet"
    ready = "ready"
    call_me = "call-me"


class CheckInForm(FormModel):
    """How starting work is going: one of the answers offered."""

    problems: ClassVar[dict[str, str]] = {
        "answer": lazy_gettext("Choose an answer, or leave this page: you do not have to answer")
    }

    answer: CheckInAnswer


TASK_FOR = {CheckInAnswer.ready: TaskKind.check_in_ready, CheckInAnswer.call_me: TaskKind.call_me}


@router.get("/check-in", response_class=HTMLResponse)
def check_in(request: Request, client: CurrentClientSelf) -> HTMLResponse:
    answered = request.query_params.get("answered", "")
    return render(
        request,
        "home/check-in.html",
        {"errors": FormErrors(), "answered": answered if answered in set(CheckInAnswer) else ""},
    )


@router.post("/check-in", response_class=HTMLResponse)
def answer_check_in(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[CheckInForm], posted(CheckInForm)],
) -> Response:
    assert client.profile.id is not None
    if not sent.ok:
        return render(request, "home/check-in.html", {"errors": sent.errors, "answered": ""}, 400)
    answer = sent.valid().answer
    task_kind = TASK_FOR.get(answer)
    if task_kind is not None:
        already = session.exec(
            select(AdviserTask).where(
                AdviserTask.client_id == client.profile.id,
                AdviserTask.kind == task_kind,
                col(AdviserTask.done_at).is_(None),
            )
        ).first()
        if already is None:
            session.add(
                AdviserTask(
                    adviser_id=client.profile.adviser_id,
                    client_id=client.profile.id,
                    kind=task_kind,
                )
            )
    record(
        session=session,
        action="client.check_in_answered",
        actor_role=client.user.role,
        actor_user_id=client.user.id,
        client_id=client.profile.id,
        detail={"answer": answer.value},
    )
    return RedirectResponse(f"/check-in?answered={answer.value}", status_code=303)
