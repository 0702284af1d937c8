"""Without JavaScript, the "Turn on/off notifications on this phone" buttons (which need it)
are not shown: the page marks them hidden, and the stylesheet keeps a hidden GOV.UK button
hidden (found by an outside-in tester: both showed, and did nothing)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.assets import asset_manifest
from app.core.config import get_settings
from tests.factories import make_adviser, make_client, sign_in_client
from tests.html import parse


def test_push_buttons_stay_hidden_until_the_script_reveals_them(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    buttons = parse(client.get("/settings/reminders").text).select("[data-push]")
    assert len(buttons) == 2
    assert all(b.has_attr("hidden") and "govuk-button" in b["class"] for b in buttons)
    css = (get_settings().assets_dir / "assets" / asset_manifest()["app.css"]).read_text()
    # GOV.UK's ".govuk-button{display:inline-block}" would otherwise outrank [hidden].
    assert re.search(r"\.govuk-button\[hidden\]\{display:none", css)
