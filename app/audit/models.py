"""An append-only record of who did or saw what. Never updated, never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_client_occurred", "client_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    actor_role: str = Field(sa_type=String(16))
    # A dotted verb, e.g. "client_record.viewed", "appointment.rescheduled".
    action: str = Field(max_length=64)
    client_id: int | None = Field(default=None, foreign_key="client_profiles.id")
    # Short, structured and free of free-text health details (JSON text).
    detail: str = Field(default="{}", max_length=2000)
