"""The people in the service and how they are linked: every domain may import these.

Users (clients, advisers, admins, support people), advisers and their clients' profiles, the
support relation, the adviser's list of things to do for a client, and each client's contact
preferences. Tables that several domains need sit here, at the bottom, so no domain has to
import a domain above it to know who someone is.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Role(StrEnum):
    client = "client"
    adviser = "adviser"
    admin = "admin"
    # A support worker or relative the client has linked, with limited rights.
    supporter = "supporter"


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
    # Staff only: argon2 password hash and TOTP second factor.
    password_hash: str | None = Field(default=None, max_length=200)
    totp_secret: str | None = Field(default=None, max_length=64)
    # The newest TOTP time step (30-second counter) that signed this person in: a code is
    # accepted once, so one read over a shoulder or from a second browser cannot be replayed.
    totp_last_step: int | None = Field(default=None)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


class SupportLink(SQLModel, table=True):
    """A client's consent for a support person to see their appointments and plan.

    Seeing is all the consent gives until the client also ticks "can ask for changes for me"
    (can_ask_for_changes) or "can read my messages" (can_see_messages); the client can change
    either at any time on their account page.
    """

    __tablename__ = "support_links"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    supporter_user_id: int = Field(foreign_key="users.id", index=True)
    relationship: str = Field(max_length=60)
    consented_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)
    can_ask_for_changes: bool = Field(default=False)
    # The client's message thread is theirs alone unless they also tick "can read my
    # messages" (issue #17): a support person may then read it, never write in it.
    can_see_messages: bool = Field(default=False)


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


class DetailLevel(StrEnum):
    discreet = "discreet"  # safe on a lock screen or a shared phone
    detailed = "detailed"  # names the adviser and the place


class LeadTime(StrEnum):
    week_before = "week-before"
    day_before = "day-before"
    morning_of = "morning-of"
    two_hours = "2-hours"
    one_hour = "1-hour"


DEFAULT_LEAD_TIMES = f"{LeadTime.day_before},{LeadTime.two_hours}"


class ReminderSettings(SQLModel, table=True):
    """How and when a client wants to hear from us. No row means the defaults."""

    __tablename__ = "reminder_settings"

    client_id: int = Field(foreign_key="client_profiles.id", primary_key=True)
    push_on: bool = Field(default=True)
    sms_on: bool = Field(default=True)
    lead_times: str = Field(default=DEFAULT_LEAD_TIMES, max_length=100)
    # "The day before" and "week before" reminders go at this hour (London time).
    reminder_hour: int = Field(default=17)
    # Quiet hours as minutes after midnight, London time; start after end means overnight.
    quiet_start: int = Field(default=21 * 60)
    quiet_end: int = Field(default=8 * 60)
    detail: DetailLevel = Field(default=DetailLevel.discreet, sa_type=String(10))
    suggestions_on: bool = Field(default=False)
    # Goes up on every change, so re-planned reminders get new idempotency keys.
    version: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def leads(self) -> list[LeadTime]:
        return [LeadTime(code) for code in self.lead_times.split(",") if code]
