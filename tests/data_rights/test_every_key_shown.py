"""The readable copy (/account/your-data) shows everything the JSON download holds: every
top-level key of export_client_data has a section on the page, with a row for each of its
rows. A new key without a section fails here."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.data_rights.export import export_client_data
from app.people.models import ClientProfile
from tests.accounts.world import build_world, sign_in_as
from tests.factories import post_form
from tests.html import parse


def _rows_in(section) -> int:  # type: ignore[no-untyped-def]
    return len(section.select("tbody tr")) + len(section.select("li"))


def test_every_key_of_the_json_has_a_section_with_its_rows(client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    # A message, and (in the world) a call asked for and "please book this for me".
    assert post_form(client, "/messages", "/messages", {"body": "Can we talk?"}).status_code == 303
    profile = db.get(ClientProfile, int(world.ids["client_id"]))
    assert profile is not None
    data = export_client_data(session=db, profile=profile, user=world.people["client"])
    page = parse(client.get("/account/your-data").text)
    missing = []
    for key, value in data.items():
        sections = page.select(f'[data-export-key~="{key}"]')
        if not sections:
            missing.append(f"{key}: no section")
            continue
        shown = sum(_rows_in(s) for s in sections)
        rows = value["steps"] if key == "plan" and value else value
        if isinstance(rows, list) and shown < len(rows):
            missing.append(f"{key}: {len(rows)} rows held, {shown} shown")
        words = " ".join(s.get_text(" ") for s in sections).split()
        if value and not words:
            missing.append(f"{key}: empty section")
    assert data["calls_you_asked_for"] and data["messages"]  # the walk is not vacuous
    assert missing == [], "\n".join(missing)


def test_what_the_adviser_was_asked_includes_calls_messages_and_bookings(
    client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    assert post_form(client, "/messages", "/messages", {"body": "Can we talk?"}).status_code == 303
    page = parse(client.get("/account/your-data").text)
    asked = page.select_one('[data-export-key="asked_of_your_adviser"]')
    assert asked is not None
    words = " ".join(asked.get_text(" ").split())
    assert "Call you" in words
    assert "Read your message" in words
    assert "Book “Confidence course”" in words
    calls = page.select_one('[data-export-key="calls_you_asked_for"]')
    assert calls is not None and "Any time we are open" in calls.get_text()
