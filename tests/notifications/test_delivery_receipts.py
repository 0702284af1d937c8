"""GOV.UK Notify's delivery receipts: only with our bearer token; they move a sent text to
delivered or failed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.delivery.models import Channel, Notification, NotificationKind, NotificationStatus

TOKEN = "a-long-random-callback-token-for-tests"


@pytest.fixture(autouse=True)
def callback_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(get_settings(), "notify_callback_token", TOKEN)
    yield


def _sent(db: Session, reference: str) -> Notification:
    now = utcnow()
    row = Notification(
        idempotency_key=f"receipt:{reference}",
        subject="t",
        kind=NotificationKind.test,
        channel=Channel.sms,
        recipient="+447700900999",
        body="hi",
        due_at=now,
        next_attempt_at=now,
        status=NotificationStatus.sent,
        provider_reference=reference,
    )
    db.add(row)
    db.flush()
    return row


def _receipt(client: TestClient, reference: str, status: str, token: str | None = TOKEN):  # type: ignore[no-untyped-def]
    headers = {"accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return client.post(
        "/notifications/notify-callback",
        json={"id": reference, "reference": "mp-1", "to": "07700900999", "status": status},
        headers=headers,
    )


def test_a_delivered_receipt_marks_the_text_delivered(client: TestClient, db: Session) -> None:
    row = _sent(db, "11111111-2222-3333-4444-555555555555")
    assert _receipt(client, row.provider_reference or "", "delivered").status_code == 204
    db.refresh(row)
    assert row.status == NotificationStatus.delivered and row.finished_at is not None


def test_a_permanent_failure_is_recorded(client: TestClient, db: Session) -> None:
    row = _sent(db, "21111111-2222-3333-4444-555555555555")
    _receipt(client, row.provider_reference or "", "permanent-failure")
    db.refresh(row)
    assert row.status == NotificationStatus.failed_permanent
    assert row.last_error == "notify: permanent-failure"


def test_receipts_without_the_token_are_refused(client: TestClient, db: Session) -> None:
    row = _sent(db, "31111111-2222-3333-4444-555555555555")
    assert (
        _receipt(client, row.provider_reference or "", "delivered", token=None).status_code == 401
    )
    assert (
        _receipt(client, row.provider_reference or "", "delivered", token="guess").status_code
        == 401
    )
    db.refresh(row)
    assert row.status == NotificationStatus.sent
