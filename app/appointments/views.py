"""The client's home page: their next appointment first, then the rest."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.accounts.dependencies import CurrentClient
from app.accounts.models import User
from app.appointments import repository
from app.caseload.models import Adviser
from app.core.db import SessionDep
from app.core.templating import render

router = APIRouter()


@router.get("/home", response_class=HTMLResponse)
def home(request: Request, client: CurrentClient, session: SessionDep) -> HTMLResponse:
    assert client.profile.id is not None
    appointments = repository.upcoming_for_client(session=session, client_id=client.profile.id)
    adviser = session.get(Adviser, client.profile.adviser_id) if client.profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    return render(
        request,
        "home/index.html",
        {
            "client": client,
            "appointments": appointments,
            "adviser_name": adviser_user.display_name if adviser_user else None,
        },
    )
