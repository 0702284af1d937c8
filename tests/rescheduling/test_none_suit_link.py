"""On a phone, "None of these times work for you?" is found before the list of times, not
only below it (outside-in #5): a link to that section comes before the first time."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import frozen_now, london_datetime
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_client
from tests.html import parse

NOW = london_datetime(date(2026, 6, 1), 9)


def test_the_way_out_is_linked_before_the_list_of_times(client: TestClient, db: Session) -> None:
    with frozen_now(NOW):
        adviser, _ = make_adviser(db)
        profile, user = make_client(db, adviser)
        appointment = make_appointment(
            db, profile, make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14))
        )
        for day in range(2, 9):
            for hour in (10, 11, 14, 15):
                make_slot(db, adviser, london_datetime(date(2026, 6, 1) + timedelta(day), hour))
        sign_in_client(client, db, user)
        page = parse(client.get(f"/appointments/{appointment.id}/change").text)
    elements = page.select("a[href='#none-suit'], input[name=slot]")
    assert elements and elements[0].name == "a"
    assert elements[0].get_text(strip=True) == "None of these times work for you?"
    assert page.find(id="none-suit") is not None
