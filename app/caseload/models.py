"""Advisers and the clients on their caseloads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Adviser(SQLModel, table=True):
    __tablename__ = "advisers"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    office_id: int = Field(foreign_key="offices.id", index=True)
    job_title: str = Field(default="Personal Adviser", max_length=100)


class ClaimantType(StrEnum):
    # Mandatory: new or repeat claimants, six Work Focused Interviews. Voluntary: no
    # mandatory interviews but every kind of support (PSI 2009, ch. 4).
    mandatory = "mandatory"
    voluntary = "voluntary"


class ClientStatus(StrEnum):
    active = "active"
    paused = "paused"  # deferred by the adviser until `paused_until`
    ended = "ended"


class ClientProfile(SQLModel, table=True):
    __tablename__ = "client_profiles"
    __table_args__ = (
        CheckConstraint(
            "status != 'paused' OR paused_until IS NOT NULL", name="paused_needs_review_date"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    adviser_id: int | None = Field(default=None, foreign_key="advisers.id", index=True)
    claimant_type: ClaimantType = Field(sa_type=String(16))
    claim_date: date
    language: str = Field(default="en", max_length=2)
    status: ClientStatus = Field(default=ClientStatus.active, sa_type=String(16))
    paused_until: date | None = Field(default=None)
    ended_on: date | None = Field(default=None)
    # Set when the client tells us they have started work (in-work support, RTWC information).
    in_work_since: date | None = Field(default=None)
    # The day the client agreed to a referral summary being shared (None: not agreed).
    summary_consent_on: date | None = Field(default=None)
    work_hours_per_week: int | None = Field(default=None)
    # Shown on "About this service": clients should know how we came to hold their details.
    contact_details_source: str = Field(default="jobcentre-referral", max_length=40)
    # How the client chose to be contacted: "text" or "email".
    preferred_contact: str = Field(default="text", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)


class TaskKind(StrEnum):
    close_account = "close-account"
    invitation_pending = "invitation-pending"
    talk_to_someone = "talk-to-someone"  # wants to talk to someone who has been through it
    in_work_check_in = "in-work-check-in"  # weeks 1, 2 and 4 after a job start
    check_in_ready = "check-in-ready"  # answered a check-in: ready to talk about next steps
    call_me = "call-me"  # answered a check-in: would like a call


class AdviserTask(SQLModel, table=True):
    """Something an adviser needs to do for a client. Leaves the list only when done."""

    __tablename__ = "adviser_tasks"
    __table_args__ = (Index("ix_adviser_tasks_adviser_open", "adviser_id", "done_at"),)

    id: int | None = Field(default=None, primary_key=True)
    adviser_id: int | None = Field(default=None, foreign_key="advisers.id")
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    kind: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    due_on: date | None = Field(default=None)
    done_at: datetime | None = Field(default=None)
    done_by_user_id: int | None = Field(default=None, foreign_key="users.id")


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
