"""The shared plan through its pages: both sides add and edit, suggestions, "please book this
for me", conflicts shown with both texts, history for both, and nobody else's plan."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.action_plans import service
from app.action_plans.models import PlanChange, PlanStep, StepState
from tests.factories import make_adviser, make_client, post_form, sign_in_client, sign_in_staff
from tests.html import parse, step_form_values, text


def test_the_client_adds_a_step_and_both_sides_see_it(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    assert (
        post_form(
            client, "/plan/steps/new", "/plan/steps", {"title": "Visit the library"}
        ).status_code
        == 303
    )
    page = client.get("/plan").text
    assert "Visit the library" in text(page)
    assert "no rush" in page
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    assert "Visit the library" in client.get(f"/adviser/clients/{profile.id}/plan").text


def test_an_adviser_suggestion_is_accepted_or_declined_by_the_client(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    post_form(
        client,
        f"{prefix}/steps/new",
        f"{prefix}/steps",
        {"title": "Try a volunteering day", "suggest": "yes"},
    )
    post_form(
        client,
        f"{prefix}/steps/new",
        f"{prefix}/steps",
        {"title": "Book the course", "suggest": "yes"},
    )
    client.cookies.clear()
    sign_in_client(client, db, user)
    page = client.get("/plan").text
    assert "Suggested by your adviser" in page
    ids = [int(i) for i in re.findall(r"/plan/steps/(\d+)/accept", page)]
    post_form(client, "/plan", f"/plan/steps/{ids[0]}/accept", {})
    post_form(client, "/plan", f"/plan/steps/{ids[1]}/decline", {})
    steps = {s.title: s.state for s in db.exec(select(PlanStep)).all()}
    assert steps == {
        "Try a volunteering day": StepState.active,
        "Book the course": StepState.declined,
    }


def test_please_book_this_for_me_hands_the_step_to_the_adviser(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    plan = service.plan_for(session=db, client_id=profile.id)  # type: ignore[arg-type]
    step = service.add_step(
        session=db,
        plan=plan,
        title="Book the confidence course",
        actor_user_id=None,
        actor_role="adviser",
    )
    sign_in_client(client, db, user)
    assert (
        post_form(
            client, f"/plan/steps/{step.id}", f"/plan/steps/{step.id}/book-for-me", {}
        ).status_code
        == 303
    )
    db.refresh(step)
    assert step.book_for_me and step.owner == "adviser"
    assert "your adviser will book this" in client.get("/plan").text


def test_a_conflict_is_said_in_the_form_s_words_not_field_names_or_codes(
    client: TestClient, db: Session
) -> None:
    """The clash list once read "details: ..." and "status: ... “doing”" (outside-in pass)."""
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    plan = service.plan_for(session=db, client_id=profile.id)  # type: ignore[arg-type]
    step = service.add_step(
        session=db, plan=plan, title="Go to a group", actor_user_id=None, actor_role="adviser"
    )
    assert step.id is not None
    sign_in_client(client, db, user)
    url = f"/plan/steps/{step.id}"
    stale = step_form_values(client.get(url).text, url)
    service.edit_step(
        session=db,
        step_id=step.id,
        base_version=step.version,
        original={"details": "", "status": "not-started"},
        submitted={"details": "Tuesday at the library", "status": "doing"},
        actor_user_id=None,
        actor_role="adviser",
    )
    conflict = post_form(client, url, url, {**stale, "details": "Wednesday", "status": "done"})
    assert conflict.status_code == 409
    page = parse(conflict.text)
    assert page.title is not None and page.title.get_text().startswith("Error:")
    clashes = page.select_one("#conflicts")
    assert clashes is not None
    words = " ".join(clashes.get_text().split())
    assert "How is it going?: the plan now says “Doing it”. You wrote “Done”." in words
    assert "More detail (optional): the plan now says “Tuesday at the library”." in words
    assert "details:" not in words and "status:" not in words and "“doing”" not in words


def test_edits_to_different_fields_merge_and_the_same_field_is_a_conflict(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    plan = service.plan_for(session=db, client_id=profile.id)  # type: ignore[arg-type]
    step = service.add_step(
        session=db, plan=plan, title="Go to a group", actor_user_id=None, actor_role="adviser"
    )
    assert step.id is not None
    sign_in_client(client, db, user)
    url = f"/plan/steps/{step.id}"
    opened = step_form_values(client.get(url).text, url)  # the client opens the page...
    # ...and meanwhile the adviser changes the details.
    service.edit_step(
        session=db,
        step_id=step.id,
        base_version=step.version,
        original={"details": ""},
        submitted={"details": "Tuesday at the library"},
        actor_user_id=None,
        actor_role="adviser",
    )
    merged = post_form(client, url, url, {**opened, "title": "Go to a walking group"})
    assert merged.status_code == 303
    db.refresh(step)
    assert (step.title, step.details) == ("Go to a walking group", "Tuesday at the library")

    stale = step_form_values(client.get(url).text, url)
    service.edit_step(
        session=db,
        step_id=step.id,
        base_version=step.version,
        original={"title": step.title},
        submitted={"title": "Go to the Thursday group"},
        actor_user_id=None,
        actor_role="adviser",
    )
    conflict = post_form(client, url, url, {**stale, "title": "Go to a group with my friend"})
    assert conflict.status_code == 409
    body = text(conflict.text)
    assert "Someone else changed this step" in body
    assert "Go to the Thursday group" in body and "Go to a group with my friend" in body
    db.refresh(step)
    assert step.title == "Go to the Thursday group"  # not overwritten until the client chooses
    # Choosing their own words and saving again goes through.
    chosen = step_form_values(conflict.text, url)
    assert post_form(client, url, url, chosen).status_code == 303
    db.refresh(step)
    assert step.title == "Go to a group with my friend"
    changes = db.exec(
        select(PlanChange).where(PlanChange.step_id == step.id, PlanChange.field == "title")
    ).all()
    assert [c.new_value for c in changes][-3:] == [
        "Go to a walking group",
        "Go to the Thursday group",
        "Go to a group with my friend",
    ]


def test_history_is_visible_to_both_and_plans_are_private_to_their_client(
    client: TestClient, db: Session
) -> None:
    adviser, _adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    other_profile, _ = make_client(db, adviser)
    other_plan = service.plan_for(session=db, client_id=other_profile.id)  # type: ignore[arg-type]
    other_step = service.add_step(
        session=db,
        plan=other_plan,
        title="Private to them",
        actor_user_id=None,
        actor_role="adviser",
    )
    sign_in_client(client, db, user)
    post_form(client, "/plan/steps/new", "/plan/steps", {"title": "Ring the counselling service"})
    assert "Ring the counselling service" in client.get("/plan/history").text
    assert client.get(f"/plan/steps/{other_step.id}").status_code == 404
    client.cookies.clear()
    _theirs, stranger = make_adviser(db, name="Stranger")
    sign_in_staff(client, stranger)
    assert client.get(f"/adviser/clients/{profile.id}/plan").status_code == 404


def test_the_plan_can_be_downloaded(client: TestClient, db: Session) -> None:
    _adviser, _ = make_adviser(db)
    _profile, user = make_client(db)
    sign_in_client(client, db, user)
    post_form(client, "/plan/steps/new", "/plan/steps", {"title": "Walk to the park"})
    download = client.get("/plan/download")
    assert download.headers["content-type"].startswith("text/plain")
    assert "1. Walk to the park" in download.text


def test_a_service_from_the_directory_and_a_guide_from_the_adviser_become_steps(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    services_page = client.get("/services").text
    slug = re.search(r'action="/plan/services/([\w-]+)"', services_page).group(1)  # type: ignore[union-attr]
    assert post_form(client, "/services", f"/plan/services/{slug}", {}).status_code == 303
    assert f'href="/services#{slug}"' in client.get("/plan").text
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    post_form(
        client,
        f"{prefix}/steps/new",
        f"{prefix}/steps",
        {
            "title": "Read about Return to Work Credit",
            "suggest": "yes",
            "explainer": "return-to-work-credit",
        },
    )
    step = db.exec(
        select(PlanStep).where(PlanStep.title == "Read about Return to Work Credit")
    ).one()
    assert step.explainer_slug == "return-to-work-credit" and step.state == StepState.suggested


@pytest.mark.parametrize("forged", ["javascript:alert(1)", "../../etc/passwd", "no-such-guide"])
def test_a_guide_not_on_the_list_is_an_error_with_the_step_kept(
    client: TestClient, db: Session, forged: str
) -> None:
    """It was saved without its link and without a word (outside-in pass)."""
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    answer = post_form(
        client,
        f"{prefix}/steps/new",
        f"{prefix}/steps",
        {"title": "Read a guide", "explainer": forged},
    )
    assert answer.status_code == 400
    page = parse(answer.text)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None and "Choose a guide from the list" in summary.get_text()
    title = page.select_one("#title")
    assert title is not None and title.get("value") == "Read a guide"
    assert db.exec(select(PlanStep).where(PlanStep.title == "Read a guide")).first() is None


def test_small_wins_are_noted_without_scores(client: TestClient, db: Session) -> None:
    _profile, user = make_client(db)
    sign_in_client(client, db, user)
    assert (
        post_form(client, "/plan", "/plan/progress", {"progress": "went-to-a-group"}).status_code
        == 303
    )
    page = client.get("/plan").text
    assert "I went to a group" in text(page)
    for pressure in ("streak", "score", "overdue"):
        assert pressure not in page.lower()


def test_the_adviser_sets_the_review_date_and_the_client_sees_it_at_the_top(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    prefix = f"/adviser/clients/{profile.id}/plan"
    assert (
        post_form(client, prefix, f"{prefix}/review-date", {"review_on": "2026-12-15"}).status_code
        == 303
    )
    client.cookies.clear()
    sign_in_client(client, db, user)
    top = parse(client.get("/plan").text).find(id="whats-next")
    assert top is not None and "15 December 2026" in top.get_text()


def test_a_declined_suggestion_cannot_be_opened_or_moved(client: TestClient, db: Session) -> None:
    """Found by the architecture review: moving a declined step was a 500."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = service.plan_for(session=db, client_id=profile.id)
    step = service.add_step(
        session=db,
        plan=plan,
        title="Try a group",
        actor_user_id=adviser_user.id,
        actor_role="adviser",
        suggested=True,
    )
    sign_in_client(client, db, user)
    post_form(client, "/plan", f"/plan/steps/{step.id}/decline", {})
    assert client.get(f"/plan/steps/{step.id}").status_code == 404
    moved = post_form(client, "/plan", f"/plan/steps/{step.id}/move", {"direction": "up"})
    assert moved.status_code == 404
