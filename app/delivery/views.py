"""GOV.UK Notify's delivery receipts (the development outbox page is in app/demo/views.py)."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import update
from sqlmodel import col

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.db import SessionDep
from app.delivery.models import Notification, NotificationStatus

router = APIRouter()


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
