"""The development outbox page, and GOV.UK Notify's delivery receipts."""

from __future__ import annotations

import hmac
import time
from typing import Any

import pyotp
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import update
from sqlmodel import col, func, select

from app.accounts.passwords import fresh_totp_code
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.templating import render
from app.delivery.models import Notification, NotificationStatus
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


# Notify's statuses, and ours. A temporary failure is final at Notify (it tried for 72 hours).
NOTIFY_STATUSES = {
    "delivered": NotificationStatus.delivered,
    "permanent-failure": NotificationStatus.failed_permanent,
    "temporary-failure": NotificationStatus.failed_technical,
    "technical-failure": NotificationStatus.failed_technical,
}
CALLBACK_PATH = "/notifications/notify-callback"


@router.post(CALLBACK_PATH)
async def notify_delivery_receipt(request: Request, session: SessionDep) -> Response:
    """GOV.UK Notify calls this when a text or email is delivered or fails. It proves itself
    with the bearer token we gave it (no CSRF cookie: it is a machine, not a browser)."""
    token = get_settings().notify_callback_token
    sent = request.headers.get("authorization", "")
    if not token or not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise HTTPException(status_code=401, detail="bearer token")
    try:
        receipt: dict[str, Any] = await request.json()
    except ValueError:
        raise HTTPException(status_code=400, detail="json") from None
    status = NOTIFY_STATUSES.get(str(receipt.get("status", "")))
    provider_id = str(receipt.get("id", ""))
    if status is None or not provider_id:
        return Response(status_code=204)  # created/sending/pending: nothing final yet
    session.exec(
        update(Notification)
        .where(
            col(Notification.provider_reference) == provider_id,
            col(Notification.status).in_([NotificationStatus.sent, NotificationStatus.delivered]),
        )
        .values(
            status=status,
            finished_at=utcnow(),
            last_error=None
            if status == NotificationStatus.delivered
            else f"notify: {receipt.get('status')}",
        )
    )
    return Response(status_code=204)
