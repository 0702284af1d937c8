"""A success banner says only what was just done: its values are signed for the adviser who
did it and expire (app/core/done_links.py). A typed or forwarded address once showed "999 times
offered" or "The account is closed", and a huge or non-ASCII number in it was a 500."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.datastructures import QueryParams

from app.core.clock import frozen_now, london_datetime, utcnow
from app.core.done_links import LIFETIME, done_url, done_values
from tests.factories import (
    make_adviser,
    make_client,
    make_slot,
    open_day_ahead,
    post_form,
    sign_in_staff,
)
from tests.html import parse

FORGED = [
    "offered=99999999999999999999",
    "offered=%C2%B2",  # ², which str.isdigit() accepts
    "offered=%D9%A3",  # Arabic-Indic three
    "offered=2",
    "moved=99999999999999999999",
    "moved=%C2%B2",
    "moved=%D9%A1%D9%A3%D9%A5",
    "cancelled=9223372036854775808",
    "booked=yes&appointment=9223372036854775808",
    "deferred=yes&were_booked=%C2%B2",
    "offered=2&at=1&done=00000000000000000000000000000000",
]


@pytest.mark.parametrize("query", FORGED)
def test_a_banner_typed_into_the_address_is_not_shown_and_never_a_500(
    client: TestClient, db: Session, query: str
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Forged Banner")
    sign_in_staff(client, adviser_user)
    response = client.get(f"/adviser/clients/{profile.id}?{query}")
    assert response.status_code == 200
    assert parse(response.text).select_one("#done") is None


def test_a_closed_account_banner_typed_into_the_address_is_not_shown(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    page = parse(client.get("/adviser?closed=1").text)
    assert page.select_one("#closed") is None


def test_the_banner_of_a_real_offer_shows_for_its_adviser_then_expires(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Real Offer")
    slot = make_slot(db, adviser, london_datetime(open_day_ahead(10), 11))
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    location = post_form(client, record, f"{record}/offer", {"slots": str(slot.id)}).headers[
        "location"
    ]
    banner = parse(client.get(location).text).select_one("#done")
    assert banner is not None and "1 time offered" in banner.get_text()
    with frozen_now(utcnow() + LIFETIME + timedelta(seconds=5)):
        assert parse(client.get(location).text).select_one("#done") is None


def test_a_banner_signed_for_one_adviser_is_not_shown_to_another(
    client: TestClient, db: Session
) -> None:
    _first, first_user = make_adviser(db, name="First Adviser")
    _second, second_user = make_adviser(db, name="Second Adviser")
    signed = done_url("/adviser", {"closed": 1}, user_id=first_user.id)
    query = QueryParams(urlsplit(signed).query)
    assert done_values(query, path="/adviser", user_id=first_user.id) == {"closed": "1"}
    assert done_values(query, path="/adviser", user_id=second_user.id) == {}
    assert done_values(query, path="/adviser/clients/1", user_id=first_user.id) == {}
    sign_in_staff(client, second_user)
    assert parse(client.get(signed).text).select_one("#closed") is None
