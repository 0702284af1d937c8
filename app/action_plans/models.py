"""The shared action plan: one per client, steps both sides edit, and a history never deleted."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class Owner(StrEnum):
    me = "me"
    adviser = "adviser"
    both = "both"
    someone_else = "someone-else"  # e.g. "my support worker", named in owner_name


class StepStatus(StrEnum):
    not_started = "not-started"
    doing = "doing"
    done = "done"
    paused = "paused"  # paused is not failure


class StepState(StrEnum):
    active = "active"
    suggested = "suggested"  # the adviser suggested it; the client accepts, changes or declines
    declined = "declined"


class ChangeAction(StrEnum):
    """Every kind of line the plan's history can hold (`PlanChange.action`). Each one has
    words in plan/_change.html; tests/action_plans/test_history_words.py walks them all."""

    added = "added"
    suggested = "suggested"
    accepted = "accepted"
    declined = "declined"
    edited = "edited"  # with `field`: one of service.EDITABLE
    book_requested = "book-requested"
    booked = "booked"
    moved = "moved"
    progress = "progress"  # a small win; new_value is one of forms.Progress
    review_date = "review-date"


class ActionPlan(SQLModel, table=True):
    __tablename__ = "action_plans"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", unique=True)
    next_review_on: date | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanStep(SQLModel, table=True):
    __tablename__ = "plan_steps"
    __table_args__ = (Index("ix_plan_steps_plan_position", "plan_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="action_plans.id")
    position: int = Field(default=0)
    title: str = Field(max_length=200)
    details: str = Field(default="", sa_type=Text)
    owner: Owner = Field(default=Owner.me, sa_type=String(16))
    owner_name: str = Field(default="", max_length=100)
    status: StepStatus = Field(default=StepStatus.not_started, sa_type=String(16))
    target_on: date | None = Field(default=None)  # None with no_rush: "no rush" chosen on purpose
    no_rush: bool = Field(default=True)
    explainer_slug: str | None = Field(default=None, max_length=80)
    service_slug: str | None = Field(default=None, max_length=80)
    state: StepState = Field(default=StepState.active, sa_type=String(16))
    book_for_me: bool = Field(default=False)  # "please book this for me"
    booked_appointment_id: int | None = Field(default=None, foreign_key="appointments.id")
    # Or, for a course or group booked with a provider, the activity booked for it.
    booked_activity_id: int | None = Field(default=None, foreign_key="activities.id")
    # Goes up by one on every change; edits carry the version they started from.
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)


class PlanChange(SQLModel, table=True):
    """Who changed what, when, from what to what. Shown to both sides; never deleted."""

    __tablename__ = "plan_changes"
    __table_args__ = (Index("ix_plan_changes_step_version", "step_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="action_plans.id", index=True)
    step_id: int | None = Field(default=None, foreign_key="plan_steps.id")
    version: int = Field(default=1)  # the step's version after this change
    changed_at: datetime = Field(default_factory=utcnow)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id")
    actor_role: str = Field(max_length=16)
    action: str = Field(max_length=30)  # added, edited, suggested, accepted, declined, ...
    field: str | None = Field(default=None, max_length=30)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
