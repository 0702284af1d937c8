"""The client's side of a check-in ("How are things?"). Answering is never required, and
"not yet" is a full answer: it is recorded and nothing more is asked. Answers are kept for
the adviser (app/messages/check_ins.py)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.dependencies import CurrentClientSelf
from app.core.db import SessionDep
from app.core.done_links import redirect_saying, said
from app.core.forms import FormErrors, FormModel, Posted, posted
from app.core.i18n import lazy_gettext
from app.core.templating import render
from app.messages.check_ins import CheckInAnswer, record_answer

router = APIRouter()


class CheckInForm(FormModel):
    """How starting work is going: one of the answers offered."""

    problems: ClassVar[dict[str, str]] = {
        "answer": lazy_gettext("Choose an answer, or leave this page: you do not have to answer")
    }

    answer: CheckInAnswer


@router.get("/check-in", response_class=HTMLResponse)
def check_in(request: Request, client: CurrentClientSelf) -> HTMLResponse:
    answered = said(request).get("answered", "")
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
    # Kept for the adviser's record; an answer asking for contact waits on their list until
    # they act (app/messages/check_ins.py), however many times it is sent.
    record_answer(session=session, client_id=client.profile.id, answer=answer, user=client.user)
    return redirect_saying(request, "/check-in", {"answered": answer.value})
