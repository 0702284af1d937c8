"""Every plan action that sends the person back with `?saved=…` shows a banner saying what
happened (or, for a booking that did not happen, why): views_common.Saved lists them all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans.views_common import Saved
from tests.accounts.world import build_world, sign_in_as
from tests.html import parse


@pytest.mark.parametrize("role", ["client", "supporter-may-ask", "adviser"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_saved_value_shows_a_banner(
    role: str, language: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, role)
    client.cookies.set("lang", language)
    plan = "/plan" if role != "adviser" else f"/adviser/clients/{world.ids['client_id']}/plan"
    shown = {}
    for note in Saved:
        page = parse(client.get(f"{plan}?saved={note.value}").text)
        banner = page.select_one("#saved-banner")
        assert banner is not None, f"no banner for ?saved={note.value}"
        shown[note] = " ".join(banner.get_text(" ").split())
        assert "-" not in note.value or note.value not in shown[note]
    assert len(set(shown.values())) >= len(Saved) - 3  # words of their own, not one catch-all
    assert parse(client.get(f"{plan}?saved=nonsense").text).select_one("#saved-banner") is None


def test_accepting_a_suggestion_says_so(client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    page = client.get("/plan?saved=accepted")
    banner = parse(page.text).select_one("#saved-banner")
    assert banner is not None and "Added to the plan." in banner.get_text()
