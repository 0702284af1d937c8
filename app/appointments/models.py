"""Appointments between a client and an adviser."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class AppointmentKind(StrEnum):
    wfi = "wfi"  # Work Focused Interview
    review = "review"
    check_in = "check-in"
    other = "other"


class AppointmentMode(StrEnum):
    in_person = "in-person"
    phone = "phone"
    home_visit = "home-visit"


class AppointmentStatus(StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    attended = "attended"
    missed = "missed"


class Appointment(SQLModel, table=True):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(
            "wfi_number IS NULL OR (wfi_number BETWEEN 1 AND 6)", name="wfi_number_range"
        ),
        CheckConstraint("duration_minutes > 0", name="positive_duration"),
        Index("ix_appointments_client_starts", "client_id", "starts_at"),
        Index("ix_appointments_adviser_starts", "adviser_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # A stable identifier for calendars (RFC 5545 UID): never changes when the time does.
    uid: str = Field(default_factory=lambda: str(uuid.uuid4()), max_length=64, unique=True)
    client_id: int = Field(foreign_key="client_profiles.id")
    adviser_id: int = Field(foreign_key="advisers.id")
    kind: AppointmentKind = Field(sa_type=String(16))
    wfi_number: int | None = Field(default=None)
    starts_at: datetime
    duration_minutes: int = Field(default=60)
    mode: AppointmentMode = Field(default=AppointmentMode.in_person, sa_type=String(16))
    venue_id: int | None = Field(default=None, foreign_key="venues.id")
    status: AppointmentStatus = Field(default=AppointmentStatus.booked, sa_type=String(16))
    # RFC 5545 SEQUENCE: goes up by one on every change so calendars replace the old copy.
    sequence: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)
