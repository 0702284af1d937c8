"""The plan download says how each step is going in the page's words, in the reader's
language, with who does it and when (found by an outside-in tester: "[not-started]")."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service
from app.action_plans.models import StepStatus
from tests.factories import make_adviser, make_client, sign_in_client


def test_the_download_uses_the_page_words_who_and_when(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    plan = service.plan_for(session=db, client_id=profile.id)  # type: ignore[arg-type]
    walk = service.add_step(
        session=db, plan=plan, title="Walk & talk <group>", actor_user_id=None, actor_role="client"
    )
    course = service.add_step(
        session=db, plan=plan, title="Book the course", actor_user_id=None, actor_role="adviser"
    )
    walk.status, walk.target_on, walk.no_rush = StepStatus.done, date(2027, 3, 15), False
    course.owner = "adviser"  # type: ignore[assignment]
    db.add_all([walk, course])
    db.flush()
    sign_in_client(client, db, user)
    body = client.get("/plan/download").text
    assert "[" not in body
    assert "1. Walk & talk <group> (Done)" in body
    assert "You · aim for Monday 15 March 2027" in body
    assert "2. Book the course (Not started)" in body and "Your adviser · no rush" in body
    client.cookies.set("lang", "cy")
    welsh = client.get("/plan/download").text
    assert "not-started" not in welsh and "(Done)" not in welsh
