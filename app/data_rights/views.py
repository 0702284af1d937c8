"""A client's rights over their data: a copy of everything we hold, and closing the account."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app.accounts.dependencies import CurrentClientSelf
from app.core.db import SessionDep
from app.core.templating import render
from app.data_rights.export import as_json, export_client_data
from app.people.models import AdviserTask, TaskKind

router = APIRouter(prefix="/account")


@router.get("/your-data", response_class=HTMLResponse)
def your_data(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    """Everything we hold, on one page a person can read, print or save; the same data as
    the JSON download, which it links to."""
    data = export_client_data(session=session, profile=client.profile, user=client.user)
    return render(request, "account/your-data.html", {"data": data})


@router.get("/download")
def download(client: CurrentClientSelf, session: SessionDep) -> Response:
    """The same data as /account/your-data, as a JSON file (machine-readable)."""
    data = export_client_data(session=session, profile=client.profile, user=client.user)
    return Response(
        as_json(data),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-pathways-data.json"',
            "Cache-Control": "no-store",
        },
    )


def _open_close_request(session: Session, client_id: int) -> AdviserTask | None:
    """The client's request to close their account that the adviser has not dealt with yet."""
    return session.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == client_id,
            AdviserTask.kind == TaskKind.close_account,
            col(AdviserTask.done_at).is_(None),
        )
    ).first()


@router.get("/close", response_class=HTMLResponse)
def close_account(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    """What closing means; once asked, the day they asked instead of the button again."""
    assert client.profile.id is not None
    asked = _open_close_request(session, client.profile.id)
    return render(request, "account/close.html", {"asked": asked})


@router.post("/close")
def close_account_post(client: CurrentClientSelf, session: SessionDep) -> Response:
    """A request, not a deletion: the adviser closes it with the client, nothing goes silently.
    Asked again while the first is open: nothing new (one request, one task)."""
    assert client.profile.id is not None
    if _open_close_request(session, client.profile.id) is None:
        session.add(
            AdviserTask(
                adviser_id=client.profile.adviser_id,
                client_id=client.profile.id,
                kind=TaskKind.close_account,
            )
        )
    return RedirectResponse("/account?closing=requested", status_code=303)
