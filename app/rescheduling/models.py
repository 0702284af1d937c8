"""What a client tells us about their time: private busy times, preferences, and requests."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class BusyTime(SQLModel, table=True):
    """A time the client cannot do. The label is private: advisers only ever see "busy"."""

    __tablename__ = "busy_times"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    label: str = Field(default="", max_length=100)
    weekday: int | None = Field(default=None)  # 0 = Monday; set for weekly busy times
    on_date: date | None = Field(default=None)  # set for one-off busy times
    starts: time
    ends: time


class TimePreference(SQLModel, table=True):
    """When appointments suit the client, in London wall-clock time."""

    __tablename__ = "time_preferences"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", unique=True)
    not_before: time | None = Field(default=None)  # e.g. 13:00 for "nothing before 1pm"
    not_after: time | None = Field(default=None)
    # Weekdays to avoid, as digits (0 = Monday), e.g. "4" for "not Fridays".
    avoid_weekdays: str = Field(default="", max_length=7)


class RequestKind(StrEnum):
    change = "change"  # the client chose a time the adviser needs to agree
    not_well = "not-well"  # "I'm not well enough right now": no reason asked


class RequestStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    other_times_offered = "other-times-offered"
    call_arranged = "call-arranged"
    # "Not well enough", answered by pausing the client's interviews (a deferral).
    paused = "paused"


class RescheduleRequest(SQLModel, table=True):
    __tablename__ = "reschedule_requests"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", index=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    kind: RequestKind = Field(sa_type=String(16))
    # Optional, from kind choices; never free text about health.
    reason: str | None = Field(default=None, max_length=30)
    wanted_slot_id: int | None = Field(default=None, foreign_key="availability_slots.id")
    status: RequestStatus = Field(default=RequestStatus.open, sa_type=String(24))
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = Field(default=None)
    decided_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    # Who asked: the client, or a support person the client lets ask for them (so neither
    # the client's pages nor the adviser's pass one off as the other).
    asked_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    asked_by_role: str = Field(default="client", max_length=16)
