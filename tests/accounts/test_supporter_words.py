"""A support person reads the client's pages about the client: "Angharad's adviser", never
"your adviser" (the support person has no adviser here). Every page a support person can open
that is about the client (one an anonymous visitor is refused) is walked, as each kind of
support person, in English and Welsh; words quoted from someone (a message) are left out."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.accounts.test_permission_table import STREAMS
from tests.accounts.world import build_world, every_route, fill, refused, sign_in_as
from tests.html import parse

YOUR_ADVISER = {
    "en": re.compile(r"\byour adviser", re.IGNORECASE),
    "cy": re.compile(r"(\beich|'ch) cynghorydd", re.IGNORECASE),
}
# Pages that end a session or switch the language: not pages about the client.
NOT_PAGES = ("/sign-out", "/signed-out", "/language/", "/sign-in")


def _client_pages(client: TestClient, db: Session) -> tuple[object, list[str]]:
    world = build_world(db)
    pages = []
    for method, path in every_route():
        if method != "GET" or path in STREAMS or path.startswith(NOT_PAGES):
            continue
        if not refused(client.get(fill(path, world), follow_redirects=False)):
            continue  # open to anyone: general information, not about the client
        pages.append(path)
    return world, pages


def _words(html: str) -> str:
    page = parse(html)
    for quoted in page.select("blockquote, .app-quoted, script, template"):
        quoted.decompose()
    body = page.body or page
    return " ".join(body.get_text(" ").split())


@pytest.mark.parametrize("role", ["supporter-read-only", "supporter-may-ask"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_support_person_never_reads_your_adviser(
    role: str, language: str, client: TestClient, db: Session
) -> None:
    world, pages = _client_pages(client, db)
    sign_in_as(client, db, world, role)  # type: ignore[arg-type]
    client.cookies.set("lang", language)
    seen = 0
    wrong = []
    for path in pages:
        response = client.get(fill(path, world))  # type: ignore[arg-type]
        if (
            "text/html" not in response.headers.get("content-type", "")
            or response.status_code != 200
        ):
            continue
        seen += 1
        words = _words(response.text)
        for found in YOUR_ADVISER[language].finditer(words):
            wrong.append(f"{path}: …{words[max(0, found.start() - 50) : found.end() + 30]}…")
    assert seen >= 8
    assert wrong == [], "\n".join(wrong)
