"""Editing the plan without ever losing anyone's words.

Each step has a version. An edit says which version it started from and what the fields held
then. Fields the person did not touch are left as they are now (someone else's change stands);
a field they changed that someone else also changed since is not overwritten: it comes back as
a conflict showing both texts, and the person chooses. The write itself is a compare-and-set on
the version, retried from a fresh read, so two editors at the same instant cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, update
from sqlmodel import Session, col, func, select

from app.action_plans.models import (
    ActionPlan,
    ChangeAction,
    Owner,
    PlanChange,
    PlanStep,
    StepState,
    StepStatus,
)
from app.core.clock import utcnow
from app.core.db import find_or_add
from app.people.models import ClientProfile, Role
from app.reminders.planner import plan_suggestion

EDITABLE = ("title", "details", "owner", "owner_name", "status", "when")
MAX_TRIES = 20


@dataclass(frozen=True)
class Conflict:
    field: str
    theirs: str  # what the plan says now
    yours: str  # what this person wanted


@dataclass(frozen=True)
class EditResult:
    step: PlanStep
    applied: list[str]
    conflicts: list[Conflict]


def plan_for(*, session: Session, client_id: int) -> ActionPlan:
    """The client's plan, created empty the first time anyone opens it (the client and the
    adviser may open it at the same moment: see find_or_add)."""
    return find_or_add(
        session,
        lambda: session.exec(select(ActionPlan).where(ActionPlan.client_id == client_id)).first(),
        lambda: ActionPlan(client_id=client_id),
    )


def field_value(step: PlanStep, field: str) -> str:
    if field == "when":
        return "no-rush" if step.no_rush or step.target_on is None else step.target_on.isoformat()
    return str(getattr(step, field) or "")


def _column_values(field: str, value: str) -> dict[str, object]:
    if field == "when":
        if value == "no-rush" or not value:
            return {"no_rush": True, "target_on": None}
        return {"no_rush": False, "target_on": date.fromisoformat(value)}
    if field == "owner":
        return {"owner": Owner(value)}
    if field == "status":
        return {"status": StepStatus(value)}
    return {field: value}


# Changes recorded by what happened rather than by field, and the fields they change: a
# "book this for me" gives the step to the adviser, a booking sets it going.
ACTIONS_CHANGING = {
    "owner": (ChangeAction.book_requested,),
    "status": (ChangeAction.booked,),
}


def _changed_since(session: Session, step_id: int, version: int, field: str) -> bool:
    """Whether anyone changed `field` of the step after `version` (an edit of that field, or
    an action in `ACTIONS_CHANGING` that changes it)."""
    count = session.exec(
        select(func.count())
        .select_from(PlanChange)
        .where(
            PlanChange.step_id == step_id,
            col(PlanChange.version) > version,
            or_(
                col(PlanChange.field) == field,
                col(PlanChange.action).in_(ACTIONS_CHANGING.get(field, ())),
            ),
        )
    ).one()
    return int(count) > 0


def add_step(
    *,
    session: Session,
    plan: ActionPlan,
    title: str,
    actor_user_id: int | None,
    actor_role: str,
    suggested: bool = False,
    details: str = "",
    owner: Owner = Owner.me,
    explainer_slug: str | None = None,
    service_slug: str | None = None,
) -> PlanStep:
    """Add a step at the end of the plan (as a suggestion when the adviser suggests it)."""
    assert plan.id is not None
    last = session.exec(
        select(func.max(PlanStep.position)).where(PlanStep.plan_id == plan.id)
    ).one()
    step = PlanStep(
        plan_id=plan.id,
        position=(last or 0) + 1,
        title=title,
        details=details,
        owner=owner,
        state=StepState.suggested if suggested else StepState.active,
        explainer_slug=explainer_slug,
        service_slug=service_slug,
    )
    session.add(step)
    session.flush()
    _record(
        session,
        plan.id,
        step,
        actor_user_id,
        actor_role,
        ChangeAction.suggested if suggested else ChangeAction.added,
        "title",
        None,
        title,
    )
    if suggested:
        profile = session.get(ClientProfile, plan.client_id)
        assert profile is not None and step.id is not None
        plan_suggestion(session, profile, step.id)
    return step


def _record(
    session: Session,
    plan_id: int,
    step: PlanStep,
    actor_user_id: int | None,
    actor_role: str,
    action: ChangeAction,
    field: str | None,
    old: str | None,
    new: str | None,
) -> None:
    session.add(
        PlanChange(
            plan_id=plan_id,
            step_id=step.id,
            version=step.version,
            actor_user_id=actor_user_id,
            actor_role=actor_role,
            action=action,
            field=field,
            old_value=old,
            new_value=new,
        )
    )
    session.exec(
        update(ActionPlan).where(col(ActionPlan.id) == plan_id).values(updated_at=utcnow())
    )


def edit_step(
    *,
    session: Session,
    step_id: int,
    base_version: int,
    original: dict[str, str],
    submitted: dict[str, str],
    actor_user_id: int | None,
    actor_role: str,
) -> EditResult:
    """Apply what this person changed; return conflicts for fields someone else changed too."""
    for _ in range(MAX_TRIES):
        step = session.exec(
            select(PlanStep).where(PlanStep.id == step_id).execution_options(populate_existing=True)
        ).one()
        current_version = step.version
        # A version this step never had (a forged or garbled form) is trusted no more than a
        # page from before any change: every field someone else changed comes back as a conflict.
        base = base_version if base_version <= current_version else 0
        wanted: dict[str, str] = {}
        conflicts: list[Conflict] = []
        for field in EDITABLE:
            if field not in submitted or submitted[field] == original.get(field):
                continue  # not touched by this person: whatever the plan says now stands
            now = field_value(step, field)
            if now == submitted[field]:
                continue  # already says that
            if base < current_version and _changed_since(session, step_id, base, field):
                conflicts.append(Conflict(field=field, theirs=now, yours=submitted[field]))
            else:
                wanted[field] = submitted[field]
        if not wanted:
            return EditResult(step=step, applied=[], conflicts=conflicts)
        # Read before the UPDATE: the ORM refreshes `step` in place when it runs.
        old_values = {f: field_value(step, f) for f in wanted}
        values: dict[str, object] = {"version": current_version + 1}
        for field, value in wanted.items():
            values.update(_column_values(field, value))
        claimed = session.execute(
            update(PlanStep)
            .where(col(PlanStep.id) == step_id, col(PlanStep.version) == current_version)
            .values(**values)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # someone saved first: read again and merge with theirs
        session.refresh(step)
        for field, value in wanted.items():
            _record(
                session,
                step.plan_id,
                step,
                actor_user_id,
                actor_role,
                ChangeAction.edited,
                field,
                old_values[field],
                value,
            )
        session.flush()
        return EditResult(step=step, applied=list(wanted), conflicts=conflicts)
    raise RuntimeError("the plan is too busy to save just now")


def set_state(
    *,
    session: Session,
    step: PlanStep,
    state: StepState,
    actor_user_id: int | None,
    actor_role: str,
    action: ChangeAction,
) -> None:
    """Accept or decline a suggestion."""
    old = step.state
    step.state = state
    step.version += 1
    session.add(step)
    session.flush()
    _record(session, step.plan_id, step, actor_user_id, actor_role, action, "state", old, state)


def ask_to_book(*, session: Session, step: PlanStep, actor_user_id: int | None) -> None:
    """'Please book this for me': the step becomes a task on the adviser's list."""
    if step.book_for_me:
        return
    step.book_for_me = True
    step.owner = Owner.adviser
    step.version += 1
    session.add(step)
    session.flush()
    _record(
        session,
        step.plan_id,
        step,
        actor_user_id,
        "client",
        ChangeAction.book_requested,
        None,
        None,
        None,
    )


def move(
    *, session: Session, step: PlanStep, direction: int, actor_user_id: int | None, actor_role: str
) -> None:
    """Swap a step with its neighbour above (-1) or below (+1)."""
    steps = list(
        session.exec(
            select(PlanStep)
            .where(PlanStep.plan_id == step.plan_id, PlanStep.state != StepState.declined)
            .order_by(col(PlanStep.position), col(PlanStep.id))
        ).all()
    )
    index = next(i for i, s in enumerate(steps) if s.id == step.id)
    other = index + direction
    if not 0 <= other < len(steps):
        return
    for position, item in enumerate(steps):
        item.position = position
    steps[index].position, steps[other].position = steps[other].position, steps[index].position
    for item in (steps[index], steps[other]):
        session.add(item)
    session.flush()
    _record(
        session, step.plan_id, step, actor_user_id, actor_role, ChangeAction.moved, None, None, None
    )


def steps_of(*, session: Session, plan_id: int) -> list[PlanStep]:
    return list(
        session.exec(
            select(PlanStep)
            .where(PlanStep.plan_id == plan_id, PlanStep.state != StepState.declined)
            .order_by(col(PlanStep.position), col(PlanStep.id))
        ).all()
    )


def history(*, session: Session, plan_id: int) -> list[PlanChange]:
    return list(
        session.exec(
            select(PlanChange)
            .where(PlanChange.plan_id == plan_id)
            .order_by(col(PlanChange.changed_at).desc(), col(PlanChange.id).desc())
            .limit(200)
        ).all()
    )


def step_titles(*, session: Session, plan_id: int) -> dict[int | None, str]:
    """{step id: title} for every step the plan ever had (declined ones too), for its history."""
    rows = session.exec(select(PlanStep.id, PlanStep.title).where(PlanStep.plan_id == plan_id))
    return {step_id: title for step_id, title in rows}


def mark_booked(
    *,
    session: Session,
    step: PlanStep,
    actor_user_id: int | None,
    appointment_id: int | None = None,
    activity_id: int | None = None,
) -> None:
    """The adviser booked what the client asked for: the step points at the appointment in
    the adviser's diary, or at the course or group booked with a provider."""
    step.booked_appointment_id = appointment_id or step.booked_appointment_id
    step.booked_activity_id = activity_id or step.booked_activity_id
    step.status = StepStatus.doing
    step.version += 1
    session.add(step)
    session.flush()
    _record(
        session,
        step.plan_id,
        step,
        actor_user_id,
        Role.adviser,
        ChangeAction.booked,
        None,
        None,
        None,
    )


def waiting_to_be_booked(*, session: Session, client_ids: list[int]) -> list[tuple[PlanStep, int]]:
    """'Please book this for me' steps not yet booked nor done, with their client ids."""
    if not client_ids:
        return []
    rows = session.exec(
        select(PlanStep, ActionPlan.client_id)
        .join(ActionPlan, col(ActionPlan.id) == col(PlanStep.plan_id))
        .where(
            col(ActionPlan.client_id).in_(client_ids),
            col(PlanStep.book_for_me).is_(True),
            col(PlanStep.booked_appointment_id).is_(None),
            col(PlanStep.booked_activity_id).is_(None),
            PlanStep.state == StepState.active,
            # Done without it (the client found their own way): nothing left to book.
            col(PlanStep.status) != StepStatus.done,
        )
    ).all()
    return [(step, client_id) for step, client_id in rows]


def note_progress(
    *, session: Session, plan: ActionPlan, progress: str, actor_user_id: int | None
) -> None:
    """Record a small win on the plan's history (kept with everything else, never scored)."""
    assert plan.id is not None
    session.add(
        PlanChange(
            plan_id=plan.id,
            actor_user_id=actor_user_id,
            actor_role=Role.client,
            action=ChangeAction.progress,
            new_value=progress,
        )
    )
    plan.updated_at = utcnow()
    session.add(plan)
    session.flush()


def progress_notes(*, session: Session, plan_id: int) -> list[PlanChange]:
    return list(
        session.exec(
            select(PlanChange)
            .where(PlanChange.plan_id == plan_id, PlanChange.action == ChangeAction.progress)
            .order_by(col(PlanChange.changed_at).desc())
            .limit(10)
        ).all()
    )


def set_review_date(
    *, session: Session, plan: ActionPlan, review_on: date | None, actor_user_id: int | None
) -> None:
    """Set or clear the next review date, with a line in the history."""
    assert plan.id is not None
    old = plan.next_review_on
    plan.next_review_on = review_on
    plan.updated_at = utcnow()
    session.add(plan)
    session.add(
        PlanChange(
            plan_id=plan.id,
            actor_user_id=actor_user_id,
            actor_role=Role.adviser,
            action=ChangeAction.review_date,
            field="next_review_on",
            old_value=old.isoformat() if old else None,
            new_value=review_on.isoformat() if review_on else None,
        )
    )
    session.flush()
