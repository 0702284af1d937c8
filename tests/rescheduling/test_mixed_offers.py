"""Offered times that can no longer be chosen are said so (outside-in #3: a mixed offer,
some times now too soon, silently dropped some). The client's pages say plainly that some
times are no longer free, and list the ones that still are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import frozen_now, london_datetime
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_client
from tests.html import parse

NOW = london_datetime(date(2026, 6, 1), 9)  # Monday 1 June 2026, 9am (BST)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


def _offered_ids(html: str) -> set[int]:
    return {int(str(i["value"])) for i in parse(html).select("#offered-times input[name=slot]")}


def test_a_mixed_offer_says_some_times_are_gone_and_lists_the_rest(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14))
    )
    # Offered last week: one is now less than a day away, one is still fine.
    soon = make_slot(
        db, adviser, london_datetime(date(2026, 6, 2), 8), offered_to_client_id=profile.id
    )
    fine = make_slot(
        db, adviser, london_datetime(date(2026, 6, 4), 14), offered_to_client_id=profile.id
    )
    sign_in_client(client, db, user)
    page = client.get(f"/appointments/{appointment.id}/change").text
    assert _offered_ids(page) == {fine.id}
    assert soon.id not in _offered_ids(page)
    gone = parse(page).find(id="offers-gone")
    assert gone is not None
    assert "Some of the times your adviser offered are no longer free." in gone.get_text()
    home = parse(client.get("/home").text).find(id="offered-times")
    assert home is not None
    assert "Some of the times your adviser offered are no longer free." in home.get_text()
    listed = [" ".join(li.get_text().split()) for li in home.select("li")]
    assert len(listed) == 1 and listed[0].startswith("Thursday 4 June, 2pm")


def test_when_no_offered_time_is_left_the_client_is_told_kindly(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14))
    )
    make_slot(db, adviser, london_datetime(date(2026, 6, 2), 8), offered_to_client_id=profile.id)
    make_slot(db, adviser, london_datetime(date(2026, 6, 4), 14))  # free to anyone
    sign_in_client(client, db, user)
    page = client.get(f"/appointments/{appointment.id}/change").text
    gone = parse(page).find(id="offers-gone")
    assert gone is not None
    assert "Sorry, the times your adviser offered are no longer free." in gone.get_text()
    assert _offered_ids(page) == set()
