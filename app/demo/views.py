"""The development outbox: texts and emails that development does not send, and the demo
staff's authenticator code. Never served outside development."""

from __future__ import annotations

import time

import pyotp
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import col, func, select

from app.accounts.passwords import fresh_totp_code
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.templating import render
from app.delivery.models import Notification
from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from app.people.models import User

router = APIRouter()


def require_development() -> None:
    """Only development mode may show messages meant for other people's phones."""
    if not get_settings().is_development:
        raise HTTPException(status_code=404)


@router.get("/dev/outbox", response_class=HTMLResponse)
def dev_outbox(request: Request, session: SessionDep) -> HTMLResponse:
    require_development()
    messages = session.exec(
        select(Notification).order_by(col(Notification.id).desc()).limit(50)
    ).all()
    # A code is accepted once per account, so show one no demo account has used yet (or,
    # if all of this half-minute's are used, when the next one comes).
    last_used = session.exec(
        select(func.max(User.totp_last_step)).where(User.totp_secret == DEMO_TOTP_SECRET)
    ).one()
    fresh = fresh_totp_code(DEMO_TOTP_SECRET, last_used)
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    return render(
        request,
        "dev/outbox.html",
        {
            "messages": messages,
            "demo_staff_code": fresh or totp.now(),
            "demo_code_fresh_in": 0
            if fresh
            else int(totp.interval - time.time() % totp.interval) + 1,
            "demo_password": DEMO_PASSWORD,
        },
    )
