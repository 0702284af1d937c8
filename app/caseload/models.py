"""Advisers and the clients on their caseloads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class ServiceKind(StrEnum):
    cmp = "cmp"  # Condition Management Programme
    job_broker = "job-broker"
    gp = "gp"
    counselling = "counselling"
    dea = "dea"  # Disability Employment Adviser
    other = "other"


class ClientService(SQLModel, table=True):
    """A service the client uses or is waiting for, so nobody asks them to repeat it."""

    __tablename__ = "client_services"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    kind: ServiceKind = Field(sa_type=String(16))
    started_by: str = Field(default="adviser", max_length=16)  # adviser, client, gp, other
    status: str = Field(default="waiting", max_length=16)  # waiting, active, ended
    expected_wait_weeks: int | None = Field(default=None)
    started_on: date | None = Field(default=None)
    ended_on: date | None = Field(default=None)
    # Contact must not stop quietly when a referral ends: this stays False until someone follows up.
    followed_up: bool = Field(default=False)


class PrivateNote(SQLModel, table=True):
    """The adviser's own notes: kept apart from the plan and labelled as private."""

    __tablename__ = "adviser_private_notes"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    adviser_id: int = Field(foreign_key="advisers.id")
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
