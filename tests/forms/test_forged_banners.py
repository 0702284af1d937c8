"""No page says something was done because its address says so: every success banner reads
signed, expiring values made by the redirect after the action, for the person who did it
(app/core/done_links.py). A link "/plan?saved=book-requested" once told a client "We have
asked your adviser to book this" when nothing had been asked (outside-in re-check)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_adviser, make_client, sign_in_client, sign_in_staff
from tests.html import parse

CLIENT_PAGES = [
    "/plan?saved=book-requested",
    "/plan?saved=saved",
    "/settings/reminders?saved=1",
    "/settings/reminders?tested=1",
    "/your-needs?saved=yes",
    "/your-times?saved=times",
    "/messages?sent=1",
    "/contact?asked=1",
    "/account?support=added",
    "/stories?asked=1",
    "/check-in?answered=ready",
]


def _words(client: TestClient, address: str) -> str:
    page = parse(client.get(address).text)
    main = page.select_one("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


@pytest.mark.parametrize("address", CLIENT_PAGES)
def test_a_client_page_says_nothing_more_for_a_typed_banner(
    client: TestClient, db: Session, address: str
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    plain = address.split("?")[0]
    assert _words(client, address) == _words(client, plain)


@pytest.mark.parametrize(
    "query", ["invited=1", "job=yes", "replied=1", "read=1", "booked=taken", "booked=clash"]
)
def test_the_client_record_says_nothing_more_for_a_typed_banner(
    client: TestClient, db: Session, query: str
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    assert _words(client, f"{record}?{query}") == _words(client, record)
