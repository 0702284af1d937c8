"""Writing audit events."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent


def record(
    *,
    session: Session,
    action: str,
    actor_role: str,
    actor_user_id: int | None = None,
    client_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction."""
    event = AuditEvent(
        action=action,
        actor_role=actor_role,
        actor_user_id=actor_user_id,
        client_id=client_id,
        detail=json.dumps(detail or {}, sort_keys=True, default=str),
    )
    session.add(event)
    session.flush()
    return event
