"""Messages waiting to go out. In development they stop here, in a page anyone can read."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Channel(StrEnum):
    sms = "sms"
    email = "email"
    push = "push"


class DevOutboxMessage(SQLModel, table=True):
    """A text or email that, on the embedded default, is shown at /dev/outbox instead of sent."""

    __tablename__ = "dev_outbox_messages"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    channel: Channel = Field(sa_type=String(10))
    recipient: str = Field(max_length=254, index=True)
    body: str = Field(sa_type=Text)
