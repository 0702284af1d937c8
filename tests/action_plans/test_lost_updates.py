"""Two editors make 500 concurrent edits between them: every edit is applied or returned as a
conflict, none is lost. Runs with real concurrent connections on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading

import pytest
from sqlmodel import Session, select

from app.action_plans import service
from app.action_plans.models import PlanChange, PlanStep
from app.core.db import build_engine, run_write
from tests.factories import make_adviser, make_client

EDITS = 500
STEPS = 4


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_500_concurrent_edits_lose_nothing(migrated_database, backend: str) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database(backend)
    engine = build_engine(url)
    with Session(engine) as session:
        adviser, _ = make_adviser(session)
        profile, _ = make_client(session, adviser)
        plan = service.plan_for(session=session, client_id=profile.id)  # type: ignore[arg-type]
        step_ids = [
            service.add_step(
                session=session,
                plan=plan,
                title=f"Step {n}",
                actor_user_id=None,
                actor_role="adviser",
            ).id
            for n in range(STEPS)
        ]
        session.commit()

    outcomes: list[tuple[str, int, str, str, str]] = []  # (outcome, step, field, value, seen)
    lock = threading.Lock()

    def editor(name: str, count: int, seed: int) -> None:
        rng = random.Random(seed)
        for n in range(count):
            step_id = rng.choice(step_ids)
            assert step_id is not None
            field = rng.choice(["title", "details"])
            with Session(engine) as reader:  # what the editor's open page showed
                step = reader.get(PlanStep, step_id)
                assert step is not None
                base, original = (
                    step.version,
                    {f: service.field_value(step, f) for f in ("title", "details")},
                )
            value = f"{name}-{n}"

            def work(
                session: Session,
                step_id: int = step_id,
                field: str = field,
                value: str = value,
                base: int = base,
                original: dict[str, str] = original,
            ) -> service.EditResult:
                return service.edit_step(
                    session=session,
                    step_id=step_id,
                    base_version=base,
                    original=original,
                    submitted={**original, field: value},
                    actor_user_id=None,
                    actor_role=name,
                )

            result = run_write(work, engine=engine, attempts=30)
            outcome = (
                "applied"
                if field in result.applied
                else (
                    "conflict"
                    if any(c.field == field and c.yours == value for c in result.conflicts)
                    else "lost"
                )
            )
            with lock:
                outcomes.append((outcome, step_id, field, value, original[field]))

    threads = [
        threading.Thread(target=editor, args=("client", EDITS // 2, 1)),
        threading.Thread(target=editor, args=("adviser", EDITS // 2, 2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == EDITS
    assert [o for o in outcomes if o[0] == "lost"] == []
    with Session(engine) as session:
        history = session.exec(select(PlanChange)).all()
        recorded = {
            (c.step_id, c.field, c.new_value): c.old_value
            for c in session.exec(select(PlanChange)).all()
        }
    applied = [o for o in outcomes if o[0] == "applied"]
    conflicts = [o for o in outcomes if o[0] == "conflict"]
    assert applied and conflicts, (len(applied), len(conflicts))
    for _outcome, step_id, field, value, seen in applied:
        # Every applied edit is in the history, and it replaced exactly the text its editor
        # saw: nobody's words were overwritten unseen.
        assert recorded[(step_id, field, value)] == seen, (
            step_id,
            field,
            value,
            seen,
            sorted(
                (c.id, c.version, c.field, c.old_value, c.new_value, c.actor_role)
                for c in history
                if c.step_id == step_id and c.field == field
            ),
        )
    engine.dispose()
