"""People who can sign in, whatever their role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Role(StrEnum):
    client = "client"
    adviser = "adviser"
    admin = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    role: Role = Field(sa_type=String(16), index=True)
    full_name: str = Field(max_length=200)
    # What the person likes to be called; used in greetings and by their adviser.
    preferred_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254, unique=True)
    # Stored in E.164 (+447700900123) so look-ups do not depend on how it was typed.
    phone: str | None = Field(default=None, max_length=20, unique=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
