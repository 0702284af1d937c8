"""A client's rights over their data: a copy of everything we hold, and closing the account."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClientSelf
from app.core.db import SessionDep
from app.core.templating import render
from app.data_rights.export import export_client_data
from app.people.models import AdviserTask, TaskKind

router = APIRouter(prefix="/account")


@router.get("/download")
def download(client: CurrentClientSelf, session: SessionDep) -> Response:
    data = export_client_data(session=session, profile=client.profile, user=client.user)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-pathways-data.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/close", response_class=HTMLResponse)
def close_account(request: Request, client: CurrentClientSelf) -> HTMLResponse:
    return render(request, "account/close.html")


@router.post("/close")
def close_account_post(client: CurrentClientSelf, session: SessionDep) -> Response:
    """A request, not a deletion: the adviser closes it with the client, nothing goes silently."""
    assert client.profile.id is not None
    session.add(
        AdviserTask(
            adviser_id=client.profile.adviser_id,
            client_id=client.profile.id,
            kind=TaskKind.close_account,
        )
    )
    return RedirectResponse("/account?closing=requested", status_code=303)
