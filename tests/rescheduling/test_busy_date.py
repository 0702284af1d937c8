"""A busy time "just once" has the same date rules and words as a plan step's date: plain
errors, a real example ahead, today or later; the date and the day open under their choice."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.clock import london_today
from app.rescheduling.models import BusyTime
from tests.factories import make_client, post_form, sign_in_client
from tests.html import parse

BUSY = {"label": "Therapy", "repeat": "once", "starts": "10:00", "ends": "11:00"}


def _error(html: str) -> str:
    found = parse(html).find(class_="govuk-error-summary__list")
    assert found is not None, "no error summary"
    return " ".join(found.get_text(" ").split())


def test_a_one_off_busy_date_is_checked_in_plain_words(client: TestClient, db: Session) -> None:
    _profile, user = make_client(db)
    sign_in_client(client, db, user)
    today = london_today()
    page = "/your-times"
    empty = post_form(client, page, "/your-times/busy", {**BUSY, "on_date": ""})
    assert _error(empty.text) == "Enter the date you are busy, or choose 'Every week'"
    for past in ("2020-01-01", (today - timedelta(days=1)).isoformat()):
        refused = post_form(client, page, "/your-times/busy", {**BUSY, "on_date": past})
        assert _error(refused.text) == "The date must be today or later"
    example = today + timedelta(days=30)
    typo = post_form(client, page, "/your-times/busy", {**BUSY, "on_date": "2026-12-01x"})
    assert f"like {example.day} {example.month} {example.year}" in _error(typo.text)
    day = today + timedelta(days=3)
    typed = f"{day.day} {day.month} {day.year}"
    saved = post_form(client, page, "/your-times/busy", {**BUSY, "on_date": typed})
    assert saved.status_code == 303
    assert db.exec(select(BusyTime)).one().on_date == day
    form = parse(client.get(page).text)
    for field in ("on_date", "weekday"):
        found = form.find(id=field)
        assert found is not None and found.find_parent(class_="govuk-radios__conditional")
