"""The 'Starting work' checklist on the home page, and asking to talk to someone who has been
through it (an adviser task)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import london_today
from tests.factories import (
    done_in,
    make_adviser,
    make_client,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


def test_the_checklist_appears_once_a_job_start_is_recorded_and_every_link_works(
    client: TestClient, db: Session
) -> None:
    profile, user = make_client(db)
    sign_in_client(client, db, user)
    assert parse(client.get("/home").text).find(id="starting-work") is None
    profile.in_work_since = london_today() - timedelta(days=3)
    profile.work_hours_per_week = 20
    db.add(profile)
    db.flush()
    card = parse(client.get("/home").text).find(id="starting-work")
    assert card is not None
    links = [a["href"] for a in card.find_all("a")]
    assert "/explainers/return-to-work-credit" in links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_under_16_hours_points_to_permitted_work_instead(client: TestClient, db: Session) -> None:
    profile, user = make_client(db)
    profile.in_work_since = london_today()
    profile.work_hours_per_week = 10
    db.add(profile)
    db.flush()
    sign_in_client(client, db, user)
    card = parse(client.get("/home").text).find(id="starting-work")
    links = [a["href"] for a in card.find_all("a")]  # type: ignore[union-attr]
    assert "/explainers/permitted-work" in links
    assert "/explainers/return-to-work-credit" not in links


def test_asking_to_talk_to_someone_becomes_one_adviser_task(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    _profile, user = make_client(db, adviser, name="Tal Talker")
    sign_in_client(client, db, user)
    for _ in range(2):
        response = post_form(client, "/stories", "/account/talk-to-someone", {})
        assert done_in(response.headers["location"]) == {"asked": "1"}
    assert "Your adviser will be in touch" in client.get(response.headers["location"]).text
    assert "Your adviser will be in touch" not in client.get("/stories?asked=1").text
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    page = client.get("/adviser").text
    assert page.count("would like to talk to someone who has been through this") == 1


def test_a_client_reports_starting_a_20_hour_job(client: TestClient, db: Session) -> None:
    """Scenario 7: the checklist appears at once and the adviser's first-weeks check-ins are planned."""
    from sqlmodel import select

    from app.people.models import AdviserTask, TaskKind

    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    assert parse(client.get("/home").text).find(id="started-work") is not None
    bad = post_form(
        client, "/home", "/home/started-work", {"started_on": "next week", "hours": "20"}
    )
    assert bad.status_code == 400
    assert "Enter a real date, like" in bad.text
    response = post_form(
        client,
        "/home",
        "/home/started-work",
        {"started_on": london_today().isoformat(), "hours": "20"},
    )
    assert response.status_code == 303
    home = parse(client.get("/home").text)
    card = home.find(id="starting-work")
    assert card is not None and "/explainers/return-to-work-credit" in [
        a["href"] for a in card.find_all("a")
    ]
    assert home.find(id="started-work") is None
    tasks = db.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == profile.id, AdviserTask.kind == TaskKind.in_work_check_in
        )
    ).all()
    assert sorted((t.due_on - london_today()).days for t in tasks) == [7, 14, 28]  # type: ignore[operator]
