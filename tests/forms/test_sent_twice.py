"""A form sent twice (a double tap, or the offline queue replaying a post whose answer was
lost) changes things once, and the repeat gets the first answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.action_plans import service
from app.action_plans.models import PlanStep
from app.core.db import build_engine, get_session
from app.main import create_app
from tests.factories import (
    csrf_from,
    done_in,
    make_adviser,
    make_client,
    real_sessions,
    sign_in_client,
)


def _add_step_form(client: TestClient) -> dict[str, str]:
    page = client.get("/plan/steps/new").text
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token is not None, "every form carries a one-time token"
    return {
        "csrf_token": csrf_from(page),
        "form_token": token.group(1),
        "title": "Ring the library",
    }


def _steps(session: Session, client_id: int) -> list[PlanStep]:
    plan = service.plan_for(session=session, client_id=client_id)
    return list(session.exec(select(PlanStep).where(PlanStep.plan_id == plan.id)).all())


def test_the_same_form_twice_adds_one_step_and_answers_alike(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    sign_in_client(client, db, user)
    form = _add_step_form(client)
    first = client.post("/plan/steps", data=form, follow_redirects=False)
    again = client.post("/plan/steps", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert done_in(first.headers["location"]) == {"saved": "added"}
    assert [s.title for s in _steps(db, profile.id)] == ["Ring the library"]
    # A new page gives a new token: adding the same words on purpose still works.
    client.post("/plan/steps", data=_add_step_form(client), follow_redirects=False)
    assert len(_steps(db, profile.id)) == 2


def test_a_form_that_came_back_with_errors_can_be_sent_again(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    sign_in_client(client, db, user)
    form = {**_add_step_form(client), "title": ""}
    assert client.post("/plan/steps", data=form, follow_redirects=False).status_code == 400
    fixed = client.post("/plan/steps", data={**form, "title": "Walk"}, follow_redirects=False)
    assert fixed.status_code == 303
    assert [s.title for s in _steps(db, profile.id)] == ["Walk"]


def test_a_token_from_another_browser_is_not_the_same_form(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    sign_in_client(client, db, user)
    form = _add_step_form(client)
    client.post("/plan/steps", data=form, follow_redirects=False)
    client.cookies.clear()  # another browser: its own CSRF cookie
    sign_in_client(client, db, user)
    fresh = _add_step_form(client)
    client.post("/plan/steps", data={**fresh, "form_token": form["form_token"]})
    assert len(_steps(db, profile.id)) == 2


@pytest.fixture
def real_app(backend: str, migrated_database) -> Iterator[tuple[TestClient, Engine]]:  # type: ignore[no-untyped-def]
    url = migrated_database(backend)
    engine = build_engine(url)
    app = create_app()
    app.dependency_overrides[get_session] = real_sessions(engine)
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept": "text/html"}) as client:
        yield client, engine
    engine.dispose()


def test_a_replay_after_the_answer_was_lost_finds_the_first_answer_on_a_real_database(
    real_app: tuple[TestClient, Engine],
) -> None:
    client, engine = real_app
    with Session(engine, expire_on_commit=False) as session:
        adviser, _ = make_adviser(session)
        profile, user = make_client(session, adviser)
        session.commit()
    assert profile.id is not None
    with Session(engine) as reader:
        sign_in_client(client, reader, user)
    form = _add_step_form(client)
    first = client.post("/plan/steps", data=form, follow_redirects=False)
    replay = client.post("/plan/steps", data=form, follow_redirects=False)
    assert replay.headers["location"] == first.headers["location"]
    with Session(engine) as session:
        assert len(_steps(session, profile.id)) == 1
