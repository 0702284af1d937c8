"""A step's "Aim for a date": errors say what is wrong in plain words, the example is a real
date ahead written as people write it, and one rule holds (today or later). Found by an
outside-in tester: 2020-01-01 and an empty date both got "Enter a date, like 2026-12-01"."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service
from app.action_plans.models import PlanStep
from app.core.clock import london_today
from tests.factories import make_adviser, make_client, post_form, sign_in_client
from tests.html import parse, step_form_values


def _step(client: TestClient, db: Session) -> tuple[str, PlanStep]:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    plan = service.plan_for(session=db, client_id=profile.id)  # type: ignore[arg-type]
    step = service.add_step(
        session=db, plan=plan, title="Go to a group", actor_user_id=None, actor_role="client"
    )
    sign_in_client(client, db, user)
    return f"/plan/steps/{step.id}", step


def _error(html: str) -> str:
    found = parse(html).find(class_="govuk-error-summary__list")
    assert found is not None, "no error summary"
    return " ".join(found.get_text(" ").split())


def test_date_errors_say_what_is_wrong_and_one_rule_holds(client: TestClient, db: Session) -> None:
    url, step = _step(client, db)
    opened = step_form_values(client.get(url).text, url)
    today = london_today()

    empty = post_form(client, url, url, {**opened, "when": "date", "when_date": ""})
    assert empty.status_code == 400
    assert _error(empty.text) == "Enter the date you are aiming for, or choose 'No rush'"

    for past in ("2020-01-01", (today - timedelta(days=1)).isoformat()):
        refused = post_form(client, url, url, {**opened, "when": "date", "when_date": past})
        assert refused.status_code == 400, past
        assert _error(refused.text) == "The date must be today or later"

    typo = post_form(client, url, url, {**opened, "when": "date", "when_date": "31 2 2027"})
    example = today + timedelta(days=30)
    assert f"like {example.day} {example.month} {example.year}" in _error(typo.text)
    assert "2026-12-01" not in typo.text
    # What was typed stays in the box.
    kept = parse(typo.text).find("input", id="when_date")
    assert kept is not None and kept["value"] == "31 2 2027"

    ahead = today + timedelta(days=10)
    typed = f"{ahead.day} {ahead.month} {ahead.year}"
    saved = post_form(client, url, url, {**opened, "when": "date", "when_date": typed})
    assert saved.status_code == 303
    db.refresh(step)
    assert step.target_on == ahead
    assert (
        post_form(
            client, url, url, {**opened, "when": "date", "when_date": today.isoformat()}
        ).status_code
        == 303
    )


def test_a_date_already_set_can_stay_after_it_passes(client: TestClient, db: Session) -> None:
    url, step = _step(client, db)
    step.target_on = london_today() - timedelta(days=3)
    step.no_rush = False
    db.add(step)
    db.flush()
    opened = step_form_values(client.get(url).text, url)
    assert post_form(client, url, url, {**opened, "status": "done"}).status_code == 303


def test_the_date_and_the_other_person_open_under_their_choice(
    client: TestClient, db: Session
) -> None:
    url, _step_row = _step(client, db)
    page = parse(client.get(url).text)
    date_box = page.find("input", id="when_date")
    assert date_box is not None and date_box.find_parent(class_="govuk-radios__conditional")
    who = page.find("input", id="owner_name")
    assert who is not None and who.find_parent(class_="govuk-radios__conditional")
    # No rush with words left in the hidden box is fine.
    opened = step_form_values(str(page), url)
    sent = post_form(client, url, url, {**opened, "when": "no-rush", "when_date": "soon"})
    assert sent.status_code == 303
