"""The adviser's plan page speaks to the adviser, about the client (#18); the client's page
keeps the client's voice. A review date is never set for a day the office is closed."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service
from app.core.clock import london_datetime, london_today
from tests.factories import (
    make_adviser,
    make_client,
    make_slot,
    open_day_ahead,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse, text

# Phrases in the client's voice: right on the client's page, wrong on the adviser's.
CLIENT_VOICE = (
    "Go at your own pace",
    "You and your adviser",
    "your adviser will book this",
    "Suggested by your adviser",
    "We will look at the plan together",
    "I went to a group",
    "Every small step counts. You can note one",
    "Your plan",
)


def _plan_with_everything(client: TestClient, db: Session) -> tuple[int, TestClient]:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = service.plan_for(session=db, client_id=profile.id)
    step = service.add_step(
        session=db,
        plan=plan,
        title="Book the confidence course",
        actor_user_id=None,
        actor_role="adviser",
    )
    make_slot(db, adviser, london_datetime(open_day_ahead(9), 14))
    sign_in_client(client, db, user)
    post_form(client, f"/plan/steps/{step.id}", f"/plan/steps/{step.id}/book-for-me", {})
    post_form(client, "/plan", "/plan/progress", {"progress": "went-to-a-group"})
    client_page = client.get("/plan").text
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    review = london_today() + timedelta(days=14)
    while review.weekday() >= 5:
        review += timedelta(days=1)
    post_form(client, prefix, f"{prefix}/review-date", {"review_on": review.isoformat()})
    assert "your adviser will book this" in client_page and "Go at your own pace" in client_page
    assert "I went to a group" in text(client_page)
    return profile.id, client


def test_the_adviser_plan_page_has_no_client_voice_phrases(client: TestClient, db: Session) -> None:
    client_id, client = _plan_with_everything(client, db)
    page = client.get(f"/adviser/clients/{client_id}/plan")
    assert page.status_code == 200
    words = text(page.text)
    for phrase in CLIENT_VOICE:
        assert phrase not in words, phrase
    assert "is going at their own pace" in words
    assert "the client asked you to book this" in words
    assert "Went to a group" in words
    assert "You will look at the plan with" in words
    # The booking list says where and how long, like every list of times.
    option = parse(page.text).select_one("select[name=slot] option")
    assert option is not None and "minutes" in option.get_text()


def test_the_client_plan_page_keeps_the_client_voice(client: TestClient, db: Session) -> None:
    _profile, user = make_client(db)
    sign_in_client(client, db, user)
    words = text(client.get("/plan").text)
    assert "Go at your own pace" in words and "Every small step counts" in words


def test_a_review_date_on_a_closed_day_is_refused_with_the_date_kept(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    saturday = london_today() + timedelta(days=1)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    page = post_form(client, prefix, f"{prefix}/review-date", {"review_on": saturday.isoformat()})
    assert page.status_code == 400
    assert "The office is closed that day. Choose another day" in text(page.text)
    assert f'value="{saturday.isoformat()}"' in page.text
    christmas = date(london_today().year, 12, 25)
    if christmas <= london_today():
        christmas = date(christmas.year + 1, 12, 25)
    if (christmas - london_today()).days <= 365:
        page = post_form(
            client, prefix, f"{prefix}/review-date", {"review_on": christmas.isoformat()}
        )
        assert page.status_code == 400 and "(Christmas Day)" in page.text


def test_the_adviser_download_names_the_client_inside_but_not_in_the_file_name(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Cara Client")
    sign_in_client(client, db, user)
    post_form(client, "/plan/steps/new", "/plan/steps", {"title": "Walk to the park"})
    own = client.get("/plan/download")
    assert own.text.splitlines()[0] == "My plan", "the client's own copy is unchanged"
    assert own.headers["content-disposition"] == 'attachment; filename="my-plan.txt"'
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    download = client.get(f"{prefix}/download")
    assert download.text.splitlines()[0] == "Action plan: Cara Client"
    assert "1. Walk to the park" in download.text
    assert download.headers["content-disposition"] == 'attachment; filename="action-plan.txt"'
    page = parse(client.get(prefix).text)
    title = page.find("title")
    assert title is not None and "Cara" not in title.get_text(), "no name in the page title"
    assert "Cara" not in f"{prefix}/download"


def test_the_adviser_step_form_says_paused_without_reassuring_the_client(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = service.plan_for(session=db, client_id=profile.id)
    step = service.add_step(
        session=db, plan=plan, title="Try a walk", actor_user_id=None, actor_role="client"
    )
    sign_in_staff(client, adviser_user)
    page = text(client.get(f"/adviser/clients/{profile.id}/plan/steps/{step.id}").text)
    assert "Paused" in page and "(that's OK)" not in page
    client.cookies.clear()
    sign_in_client(client, db, user)
    assert "Paused (that's OK)" in text(client.get(f"/plan/steps/{step.id}").text)
