"""Every plan action that sends the person back with `?saved=…` shows a banner saying what
happened (or, for a booking that did not happen, why): views_common.Saved lists them all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans.views_common import Saved
from app.core.done_links import done_url
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
        signed = done_url(plan, {"saved": note.value}, user_id=world.people[role].id)
        page = parse(client.get(signed).text)
        banner = page.select_one("#saved-banner")
        assert banner is not None, f"no banner for ?saved={note.value}"
        shown[note] = " ".join(banner.get_text(" ").split())
        assert "-" not in note.value or note.value not in shown[note]
    assert len(set(shown.values())) >= len(Saved) - 3  # words of their own, not one catch-all
    nonsense = done_url(plan, {"saved": "nonsense"}, user_id=world.people[role].id)
    assert parse(client.get(nonsense).text).select_one("#saved-banner") is None
    # Typed into the address, a banner says nothing (a link cannot claim a step was booked).
    forged = parse(client.get(f"{plan}?saved=booked").text)
    assert forged.select_one("#saved-banner") is None


def test_accepting_a_suggestion_says_so(client: TestClient, db: Session) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "client")
    page = client.get(done_url("/plan", {"saved": "accepted"}, user_id=world.people["client"].id))
    banner = parse(page.text).select_one("#saved-banner")
    assert banner is not None and "Added to the plan." in banner.get_text()
