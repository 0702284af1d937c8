"""The adviser's pages say what actually happened (found by an outside-in tester): a search
with no matches says so and how to clear it; an empty review date is not "saved"; a job that
started in the past "started", it does not "start"."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import london_datetime, london_today
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_staff,
)
from tests.html import parse, text


def test_a_search_with_no_matches_says_so_with_a_way_back(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    page = parse(client.get("/adviser?q=zzz").text)
    assert page.find(id="caseload") is None  # no empty table under "0 clients"
    empty = page.find(id="no-clients")
    assert empty is not None and "No clients match ‘zzz’" in empty.get_text()
    link = empty.find("a")
    assert link is not None and "q=" not in str(link["href"])
    assert link.get_text(strip=True) == "Clear the search"


def test_an_empty_review_date_is_not_said_to_be_saved(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    plan = f"/adviser/clients/{profile.id}/plan"
    empty = post_form(client, plan, f"{plan}/review-date", {"review_on": ""})
    banner = text(client.get(empty.headers["location"]).text)
    assert "Review date saved" not in banner and "no date was entered" in banner
    day = (london_today() + timedelta(days=14)).isoformat()
    post_form(client, plan, f"{plan}/review-date", {"review_on": day})
    cleared = post_form(client, plan, f"{plan}/review-date", {"review_on": ""})
    assert "The review date is taken off" in text(client.get(cleared.headers["location"]).text)


def test_a_job_start_in_the_past_is_said_in_the_past(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Sam Started")
    starts = london_datetime(london_today() + timedelta(days=5), 11)
    make_appointment(db, profile, make_slot(db, adviser, starts))
    profile.in_work_since = london_today() - timedelta(days=4)
    profile.work_hours_per_week = 20
    db.add(profile)
    db.flush()
    sign_in_staff(client, adviser_user)
    caseload = text(client.get("/adviser").text)
    assert "started work on" in caseload
    assert "starts work on" not in caseload
    record = text(client.get(f"/adviser/clients/{profile.id}").text)
    assert "Started work on" in record and "Starts work on" not in record
