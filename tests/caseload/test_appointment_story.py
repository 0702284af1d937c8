"""The record tells the whole appointment story in time order (#18): booked, times offered to
the client and the one they chose, a pause with its review date, calls asked for and made,
a missed appointment, each saying who."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.booking import move_to_slot, record_outcome
from app.caseload import deferral
from app.core.clock import frozen_now, london_datetime, london_today, utcnow
from app.messages import service as messages
from app.messages.models import CallTime
from app.rescheduling.service import Outcome, choose_slot
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    open_day_ahead,
    post_form,
    sign_in_staff,
)
from tests.html import parse


def _story(client: TestClient, client_id: int) -> list[str]:
    page = parse(client.get(f"/adviser/clients/{client_id}").text)
    return [" ".join(li.get_text(" ").split()) for li in page.select("#history li")]


def test_the_story_has_offers_the_choice_pauses_calls_and_a_missed_time(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db, name="Jo Adviser")
    profile, client_user = make_client(db, adviser)
    assert profile.id is not None
    day = london_today() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    first, other, far = (
        make_slot(db, adviser, london_datetime(day, 10)),
        make_slot(db, adviser, london_datetime(day, 14)),
        make_slot(db, adviser, london_datetime(day + timedelta(days=28), 14)),
    )
    start = utcnow()
    with frozen_now(start - timedelta(days=3)):
        appointment = make_appointment(db, profile, first)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    with frozen_now(start - timedelta(days=2)):
        offered = post_form(
            client, record, f"{record}/offer", {"slots": [str(other.id), str(far.id)]}
        )
    assert offered.status_code == 303
    with frozen_now(start - timedelta(days=1)):
        move_to_slot(
            session=db,
            appointment=appointment,
            slot=far,
            actor_user_id=client_user.id,
            actor_role="client",
        )
        call = messages.ask_for_call(session=db, profile=profile, suits=CallTime.morning)
    messages.call_made(session=db, call=call, adviser_user=adviser_user)
    review = london_today() + timedelta(weeks=6)
    deferral.defer(
        session=db, profile=profile, review_on=review, reason="health", adviser_user=adviser_user
    )
    with frozen_now(start - timedelta(days=20)):
        earlier = make_appointment(
            db, profile, make_slot(db, adviser, utcnow() + timedelta(days=2))
        )
    record_outcome(session=db, appointment=earlier, attended=False, actor_user_id=adviser_user.id)

    lines = _story(client, profile.id)
    said = "\n".join(lines)
    assert any("booked for" in line for line in lines)
    offer = next(line for line in lines if "times offered to the client by you" in line)
    assert "They chose" in offer
    assert "asked you to call them" in said and "call made by you" in said
    assert "interviews paused by you, review on" in said
    # Which appointment: its date, not only "cancelled" (#18 outside-in).
    assert any("the appointment for" in line and "cancelled by you" in line for line in lines)
    assert "they did not come (noted by you)" in said
    kinds = [
        next(
            (
                k
                for k in ("booked", "offered", "moved", "asked you to call", "call made", "paused")
                if k in line
            ),
            "",
        )
        for line in lines
    ]
    order = [k for k in kinds if k]
    assert order.index("booked") < order.index("offered") < order.index("moved")
    assert order.index("moved") < order.index("call made") < order.index("paused")


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("nhs-appointment", "(reason given: they have a hospital or NHS appointment)"),
        ("medication", "(reason given: their medication makes the time hard)"),
        ("rather-not-say", None),
        (None, None),
    ],
)
def test_a_move_the_client_made_says_the_reason_they_gave(
    client: TestClient, db: Session, reason: str | None, said: str | None
) -> None:
    """The reason was kept only when the adviser had to agree the move; a move the client made
    themselves dropped it, the clue an adviser needs before a pause (outside-in pass)."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Aled Reason")
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(open_day_ahead(10), 10))
    )
    later = make_slot(db, adviser, london_datetime(open_day_ahead(11), 14))
    assert later.id is not None
    outcome = choose_slot(
        session=db,
        profile=profile,
        appointment=appointment,
        slot_id=later.id,
        reason=reason,
        actor_user_id=user.id,
    )
    assert outcome == Outcome.confirmed
    sign_in_staff(client, adviser_user)
    [line] = [line for line in _story(client, profile.id) if "moved from" in line]  # type: ignore[arg-type]
    assert "by the client" in line
    if said is None:
        assert "reason given" not in line
    else:
        assert line.endswith(said), line
