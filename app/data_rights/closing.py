"""The adviser's side of "Close my account": confirm it, and the client's data is erased
(app/data_rights/erasure.py says exactly what goes and what stays)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.caseload import CurrentCaseloadClient
from app.audit.service import record
from app.core.db import SessionDep
from app.core.done_links import done_url
from app.core.templating import render
from app.data_rights.erasure import erase_client
from app.people.models import AdviserTask, Role, TaskKind

router = APIRouter(prefix="/adviser/clients")


def _asked_on(session: SessionDep, client_id: int) -> AdviserTask | None:
    return session.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == client_id,
            AdviserTask.kind == TaskKind.close_account,
            col(AdviserTask.done_at).is_(None),
        )
    ).first()


@router.get("/{client_id}/close", response_class=HTMLResponse)
def confirm_close(
    request: Request, client: CurrentCaseloadClient, session: SessionDep
) -> HTMLResponse:
    """What closing will erase and keep, and the button that does it (audited: a look at
    the record)."""
    record(
        session=session,
        action="client_record.viewed",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
    )
    return render(
        request,
        "adviser/close-account.html",
        {"client": client, "asked": _asked_on(session, client.id)},
    )


@router.post("/{client_id}/close")
def close(client: CurrentCaseloadClient, session: SessionDep) -> Response:
    """Only a client who asked can be closed: the adviser confirms their request, never
    starts one (a client who changed their mind has their task marked done instead)."""
    if _asked_on(session, client.id) is None:
        return RedirectResponse(f"/adviser/clients/{client.id}/close", status_code=303)
    erase_client(session=session, profile=client.profile, confirmed_by=client.adviser.user)
    return RedirectResponse(
        done_url("/adviser", {"closed": 1}, user_id=client.adviser.user.id, anchor="attention"),
        status_code=303,
    )
