"""A refusal by an app-wide guard (a form from a stale page, a form from elsewhere) is drawn
for the person signed in: their own header and menu, never the signed-out one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.accounts.world import build_world, sign_in_as
from tests.html import parse


def _menu(html: str) -> list[str]:
    return [str(a.get("href")) for a in parse(html).select(".govuk-service-navigation__list a")]


@pytest.mark.parametrize("role", ["client", "supporter-may-ask", "adviser"])
def test_the_csrf_page_shows_the_signed_in_header(
    role: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, role)
    response = client.post(
        "/plan/progress", data={"progress": "more-confident", "csrf_token": "stale"}
    )
    assert response.status_code == 403
    assert "Sorry, that did not go through" in response.text
    menu = _menu(response.text)
    assert "/sign-out" in menu and "/sign-in" not in menu
    if role != "adviser":
        assert "/plan" in menu
