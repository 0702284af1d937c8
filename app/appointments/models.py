"""Appointments between a client and an adviser."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
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

    @property
    def still_to_come(self) -> bool:
        """Booked and not yet begun: the only kind of appointment a client may move or ask
        to move. One that has begun waits for the adviser to record it (attended or missed);
        a missed or cancelled one is followed by a new booking, never moved."""
        starts = self.starts_at
        if starts.tzinfo is None:  # as SQLite gives it back: stored in UTC
            starts = starts.replace(tzinfo=UTC)
        return self.status == AppointmentStatus.booked and starts > utcnow()


class AvailabilitySlot(SQLModel, table=True):
    """A time an adviser has free. Booking sets appointment_id, once: never double-booked."""

    __tablename__ = "availability_slots"
    __table_args__ = (Index("ix_availability_slots_adviser_starts", "adviser_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    adviser_id: int = Field(foreign_key="advisers.id")
    venue_id: int | None = Field(default=None, foreign_key="venues.id")
    mode: AppointmentMode = Field(default=AppointmentMode.in_person, sa_type=String(16))
    starts_at: datetime
    duration_minutes: int = Field(default=60)
    # Unique: a database-level guarantee that one slot holds at most one appointment.
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", unique=True)
    # Offered to one client only (the adviser chose it for them); None means open to anyone.
    offered_to_client_id: int | None = Field(default=None, foreign_key="client_profiles.id")
    series: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class ChangeKind(StrEnum):
    """What happened to an appointment: a line of its history, and what the hooks are told."""

    booked = "booked"
    moved = "moved"
    cancelled = "cancelled"
    attended = "attended"
    missed = "missed"
    help_requested = "help-requested"
    not_well = "not-well"
    # Never stored: the client's reminder settings changed, so its reminders are planned again.
    replan = "replan"


class AppointmentChange(SQLModel, table=True):
    """The history of an appointment, shown to both sides. Never edited or deleted."""

    __tablename__ = "appointment_changes"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointments.id", index=True)
    changed_at: datetime = Field(default_factory=utcnow)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id")
    actor_role: str = Field(max_length=16)
    change: str = Field(max_length=30)  # a ChangeKind
    from_starts_at: datetime | None = Field(default=None)
    to_starts_at: datetime | None = Field(default=None)
    # Where a moved appointment was (its mode and diary venue before the move), so a message
    # about it can say the place or the kind of meeting changed (reminders.changes). No
    # foreign key: a history line keeps what was, even if the venue is later removed.
    from_mode: str | None = Field(default=None, max_length=16)
    from_venue_id: int | None = Field(default=None)
    # Whose request this change carried out, when someone else made it (the adviser accepted
    # the time the client, or their support person, asked for): the history then says both.
    # No foreign key: like the audit log, a name looked up for reading, never joined on.
    asked_by_role: str | None = Field(default=None, max_length=16)
    asked_by_user_id: int | None = Field(default=None)
    # Why the client moved it, if they said (a code of rescheduling.service.REASONS; never
    # "rather not say"): shown to the adviser only, the clue before a pause.
    reason: str | None = Field(default=None, max_length=30)


class HelpKind(StrEnum):
    travel = "travel"
    childcare = "childcare"
    interpreter = "interpreter"
    private_room = "private-room"
    home_or_community = "home-or-community"
    call_before = "call-before"
    companion = "companion"


class HelpRequest(SQLModel, table=True):
    """Something the client asks for before an appointment. The adviser answers it."""

    __tablename__ = "help_requests"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointments.id", index=True)
    kind: HelpKind = Field(sa_type=String(20))
    # The interpreter's language, or the companion's name; never a health detail.
    detail: str | None = Field(default=None, max_length=100)
    status: str = Field(default="asked", max_length=16)  # asked, arranged, not-possible
    # Copied from the client's standing needs (removing the need removes it while still asked);
    # False when asked for this appointment only.
    standing: bool = Field(default=False)
    # What the adviser arranged, in their words, shown to the client ("Room 3 is booked").
    arranged_note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = Field(default=None)


class StandingNeed(SQLModel, table=True):
    """Help a client wants at every appointment until they change it. Never a health detail:
    only the kind of help, with the interpreter's language or the companion's name."""

    __tablename__ = "standing_needs"
    __table_args__ = (UniqueConstraint("client_id", "kind", name="uq_standing_needs_client_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    kind: HelpKind = Field(sa_type=String(20))
    detail: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SessionFormat(StrEnum):
    """How a client prefers courses and sessions to be run."""

    group = "group"
    one_to_one = "one-to-one"
    either = "either"


class SessionPreference(SQLModel, table=True):
    """Group or one-to-one sessions for courses: one row per client, shown with their needs."""

    __tablename__ = "session_preferences"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", unique=True)
    session_format: SessionFormat = Field(sa_type=String(16))
    updated_at: datetime = Field(default_factory=utcnow)


class CalendarFeed(SQLModel, table=True):
    """A private calendar link. Making a new one stops the old one working."""

    __tablename__ = "calendar_feeds"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)
