"""Every page's <title> is short plain text, "Page – My Pathways", with nothing private in
it: titles show in tabs, browser history, shared-phone app switchers and screen readers."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.accounts.test_permission_table import STREAMS
from tests.accounts.world import PRIVATE_WORDS, build_world, every_route, fill, sign_in_as

# Either name: the walk visits /language/cy, so an "en" walk reads Welsh pages after it.
TITLE = re.compile(r"^[^<>&\n]{1,80} – (My Pathways|Fy Llwybrau)$")
# An event stream never finishes; it is not a page.
NOT_PAGES = STREAMS  # live-update streams: never a page, and they run on their own session


@pytest.mark.parametrize("role", ["anonymous", "client", "supporter-read-only", "adviser", "admin"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_page_title_is_short_plain_and_private_free(
    role: str, language: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, role)
    client.cookies.set("lang", language)
    pages = 0
    wrong = []
    for method, path in every_route():
        if method != "GET" or path in NOT_PAGES:
            continue
        response = client.get(fill(path, world))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages += 1
        raw = re.search(r"<title>(.*?)</title>", response.text, re.DOTALL)
        title = raw.group(1) if raw else ""
        text = BeautifulSoup(title, "html.parser").get_text()
        if not TITLE.match(title) or any(word in text for word in PRIVATE_WORDS):
            wrong.append(f"{path}: {title!r}")
    assert pages > 25
    assert wrong == [], "\n".join(wrong)
