"""The help a client keeps for every appointment ("your needs"), and group or one-to-one
sessions for courses. The client's own choice: a support person asks per appointment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClientSelf
from app.appointments import needs, repository
from app.appointments.forms import NeedsForm
from app.appointments.models import HelpKind, SessionFormat
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.templating import render

router = APIRouter()


def _your_needs_page(
    request: Request,
    session: SessionDep,
    client: CurrentClientSelf,
    sent: Posted[NeedsForm] | None = None,
) -> HTMLResponse:
    assert client.profile.id is not None
    kept = repository.standing_needs(session=session, client_id=client.profile.id)
    preference = repository.session_preference(session=session, client_id=client.profile.id)
    details = {n.kind: n.detail or "" for n in kept}
    form = (
        sent.values
        if sent
        else {
            "kinds": [n.kind for n in kept],
            "interpreter_language": details.get(HelpKind.interpreter, ""),
            "companion_name": details.get(HelpKind.companion, ""),
            "session_format": preference.session_format if preference else "",
        }
    )
    return render(
        request,
        "appointments/your-needs.html",
        {
            "help_kinds": list(HelpKind),
            "session_formats": list(SessionFormat),
            "saved": request.query_params.get("saved"),
            "errors": sent.errors if sent else FormErrors(),
            "form": form,
        },
        status_code=400 if sent else 200,
    )


@router.get("/your-needs", response_class=HTMLResponse)
def your_needs(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    return _your_needs_page(request, session, client)


@router.post("/your-needs", response_class=HTMLResponse)
def your_needs_post(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[NeedsForm], posted(NeedsForm)],
) -> Response:
    """Keep exactly the help ticked for every appointment still to come, and the session
    preference. Nothing ticked is a fine answer."""
    if not sent.ok:
        return _your_needs_page(request, session, client, sent)
    form = sent.valid()
    assert client.profile.id is not None
    needs.set_needs(session=session, client_id=client.profile.id, wanted=form.wanted())
    needs.set_session_format(
        session=session, client_id=client.profile.id, session_format=form.session_format
    )
    return RedirectResponse("/your-needs?saved=yes", status_code=303)
