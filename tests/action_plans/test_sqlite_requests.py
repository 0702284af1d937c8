"""On the embedded default every request holds SQLite's write lock from its start. A plan edit
(which runs a compare-and-set write) must then use the request's own transaction: a second
connection would wait on its own request until SQLite gave up ("database is locked")."""

from __future__ import annotations

import time

from sqlmodel import Session

from app.action_plans import service
from app.action_plans.models import PlanStep
from tests.factories import make_adviser, make_client, post_form, sign_in_client
from tests.html import step_form_values


def test_a_step_edit_completes_promptly_on_sqlite(sqlite_app) -> None:  # type: ignore[no-untyped-def]
    client, engine, _path = sqlite_app
    with Session(engine, expire_on_commit=False) as session:
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        plan = service.plan_for(session=session, client_id=profile.id)  # type: ignore[arg-type]
        step = service.add_step(
            session=session,
            plan=plan,
            title="Call the library",
            actor_user_id=None,
            actor_role="adviser",
        )
        session.commit()
        step_id = step.id
    with Session(engine) as reader:  # its snapshot starts after the code is sent
        sign_in_client(client, reader, user)
    page = client.get(f"/plan/steps/{step_id}").text
    values = step_form_values(page, f"/plan/steps/{step_id}")
    values["status"] = "done"
    started = time.monotonic()
    response = post_form(client, f"/plan/steps/{step_id}", f"/plan/steps/{step_id}", values)
    assert response.status_code == 303, response.text
    assert time.monotonic() - started < 3  # not stuck waiting on its own lock
    with Session(engine) as session:
        saved = session.get(PlanStep, step_id)
        assert saved is not None and saved.status == "done"
