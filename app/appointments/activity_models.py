"""Activities: something booked for a client with someone else — a course, a group, a
session with a provider — as opposed to a meeting in the adviser's own diary.

An activity is shown and reminded as what it is (its name, who runs it, where, when, for how
long, what to bring, who to contact), never as "a chat with your adviser".
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, String, Text
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class ActivityStatus(StrEnum):
    booked = "booked"
    cancelled = "cancelled"


class Activity(SQLModel, table=True):
    __tablename__ = "activities"
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="activity_positive_duration"),)

    id: int | None = Field(default=None, primary_key=True)
    # A stable identifier for calendars (RFC 5545 UID), as for appointments.
    uid: str = Field(default_factory=lambda: str(uuid.uuid4()), max_length=64, unique=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    title: str = Field(max_length=200)  # "Confidence course"
    provider: str = Field(default="", max_length=200)  # who runs it
    place: str = Field(default="", max_length=300)  # where: an address, or "online"
    starts_at: datetime
    duration_minutes: int = Field(default=60)
    bring: str = Field(default="", sa_type=Text)  # what to bring
    contact: str = Field(default="", max_length=300)  # who to contact: a phone or an email
    status: ActivityStatus = Field(default=ActivityStatus.booked, sa_type=String(16))
    sequence: int = Field(default=0)  # RFC 5545 SEQUENCE
    booked_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)
