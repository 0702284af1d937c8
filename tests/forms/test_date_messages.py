"""A date that does not exist is said to be one ("Enter a real date"), not "out of range", on
every form; examples in date messages are a month ahead of the day they are shown, never a
fixed date that has gone by (outside-in pass: 29 2 2027 was "from today to 6 months ahead",
and hints said "For example, 2026-12-21")."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service
from app.core.clock import london_today
from app.core.forms import EXAMPLE_DAYS_AHEAD
from tests.factories import make_adviser, make_client, post_form, sign_in_staff
from tests.html import parse


def _summary(html: str) -> str:
    summary = parse(html).select_one(".govuk-error-summary")
    assert summary is not None
    return " ".join(summary.get_text().split())


def _example() -> str:
    return (london_today() + timedelta(days=EXAMPLE_DAYS_AHEAD)).isoformat()


def test_find_a_time_says_an_impossible_date_is_not_real(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    page = client.get(f"/adviser/clients/{profile.id}/times?day=2027-02-29&where=any")
    words = _summary(page.text)
    assert f"Enter a real date, like {_example()}" in words
    assert "6 months ahead" not in words
    hint = parse(client.get(f"/adviser/clients/{profile.id}/times").text).select_one("#day-hint")
    assert hint is not None and hint.get_text().strip() == f"For example, {_example()}"


def test_a_pause_with_an_impossible_review_date_is_told_so(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    answer = post_form(
        client, record, f"{record}/defer", {"review_on": "2027-02-29", "reason": "health"}
    )
    assert answer.status_code == 400
    assert f"Enter a real date, like {_example()}" in _summary(answer.text)


def test_the_plan_review_date_takes_a_date_typed_as_day_month_year(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    assert profile.id is not None
    service.plan_for(session=db, client_id=profile.id)
    sign_in_staff(client, adviser_user)
    day = london_today() + timedelta(days=20)
    plan = f"/adviser/clients/{profile.id}/plan"
    answer = post_form(
        client, plan, f"{plan}/review-date", {"review_on": f"{day.day} {day.month} {day.year}"}
    )
    assert answer.status_code == 303, answer.text[:500]
    assert service.plan_for(session=db, client_id=profile.id).next_review_on == day
