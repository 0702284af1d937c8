"""The development outbox: texts and emails the embedded default would have sent."""

from __future__ import annotations

import pyotp
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import col, select

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.templating import render
from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from app.notifications.models import DevOutboxMessage

router = APIRouter()


def require_development() -> None:
    """Only development mode may show messages meant for other people's phones."""
    if not get_settings().is_development:
        raise HTTPException(status_code=404)


@router.get("/dev/outbox", response_class=HTMLResponse)
def dev_outbox(request: Request, session: SessionDep) -> HTMLResponse:
    require_development()
    messages = session.exec(
        select(DevOutboxMessage).order_by(col(DevOutboxMessage.id).desc()).limit(50)
    ).all()
    return render(
        request,
        "dev/outbox.html",
        {
            "messages": messages,
            "demo_staff_code": pyotp.TOTP(DEMO_TOTP_SECRET).now(),
            "demo_password": DEMO_PASSWORD,
        },
    )
