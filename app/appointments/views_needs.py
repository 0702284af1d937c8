"""The help a client keeps for every appointment ("your needs"), and group or one-to-one
sessions for courses. The client's own choice: a support person asks per appointment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.dependencies import CurrentClientSelf
from app.appointments import needs, repository
from app.appointments.forms import NeedsForm, fingerprint_or_none
from app.appointments.models import HelpKind, SessionFormat
from app.core.db import SessionDep
from app.core.done_links import redirect_saying, said
from app.core.forms import FormErrors, Posted, posted
from app.core.templating import render

router = APIRouter()


def _your_needs_page(
    request: Request,
    session: SessionDep,
    client: CurrentClientSelf,
    sent: Posted[NeedsForm] | None = None,
    *,
    changed_meanwhile: NeedsForm | None = None,
) -> HTMLResponse:
    """The form: as saved now; or (`sent`, with errors) as sent, 400; or (`changed_meanwhile`)
    as saved now with what was sent shown beside it, 409."""
    assert client.profile.id is not None
    kept = repository.standing_needs(session=session, client_id=client.profile.id)
    preference = repository.session_preference(session=session, client_id=client.profile.id)
    details = {n.kind: n.detail or "" for n in kept}
    current = needs.fingerprint(session=session, client_id=client.profile.id)
    form = (
        # Sent back with errors: what they typed, and still the page they started from.
        {**sent.values, "shown": fingerprint_or_none(sent.values.get("shown")) or needs.EMPTY}
        if sent
        else {
            "kinds": [n.kind for n in kept],
            "interpreter_language": details.get(HelpKind.interpreter, ""),
            "companion_name": details.get(HelpKind.companion, ""),
            "session_format": preference.session_format if preference else "",
            "shown": current,
        }
    )
    tried = None
    if changed_meanwhile is not None:
        tried = {
            "help": [
                {"kind": kind, "detail": detail}
                for kind, detail in changed_meanwhile.wanted().items()
            ],
            "session_format": changed_meanwhile.session_format,
        }
    return render(
        request,
        "appointments/your-needs.html",
        {
            "help_kinds": list(HelpKind),
            "session_formats": list(SessionFormat),
            "saved": said(request).get("saved") if sent is None and tried is None else None,
            "errors": sent.errors if sent else FormErrors(),
            "form": form,
            "kept": kept,
            "kept_format": preference.session_format if preference else None,
            "tried": tried,
        },
        status_code=400 if sent else (409 if tried is not None else 200),
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
    if (form.shown or needs.EMPTY) != needs.fingerprint(
        session=session, client_id=client.profile.id
    ):
        # Saved elsewhere since this page was drawn (another tab or phone, or the offline
        # queue sending an old page): nothing is saved; both versions are shown.
        return _your_needs_page(request, session, client, changed_meanwhile=form)
    needs.set_needs(session=session, client_id=client.profile.id, wanted=form.wanted())
    needs.set_session_format(
        session=session, client_id=client.profile.id, session_format=form.session_format
    )
    return redirect_saying(request, "/your-needs", {"saved": "yes"})
