"""The adviser's appointment history says who moved a time (#18): the client, their support
person by name, "you", or another adviser by name; and whose request the adviser carried out."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.booking import move_to_slot
from app.core.clock import london_datetime, london_today
from app.rescheduling.decisions import Answer, answer_request
from app.rescheduling.models import RequestKind, RescheduleRequest
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    sign_in_staff,
)
from tests.html import parse


def _history(client: TestClient, client_id: int) -> list[str]:
    page = client.get(f"/adviser/clients/{client_id}")
    items = parse(page.text).select("#history li")
    return [" ".join(li.get_text(" ").split()) for li in items]


def test_each_move_says_who_made_it(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db, name="Jo Adviser")
    colleague, colleague_user = make_adviser(db, name="Kim Colleague")
    profile, client_user = make_client(db, adviser)
    supporter = make_support_person(db, profile, name="Sam Support", can_ask=True)
    day = london_today() + timedelta(days=20)
    slots = [make_slot(db, adviser, london_datetime(day, 9 + n)) for n in range(6)]
    appointment = make_appointment(db, profile, slots[0])
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=slots[1],
        actor_user_id=client_user.id,
        actor_role="client",
    )
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=slots[2],
        actor_user_id=supporter.id,
        actor_role="supporter",
    )
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=slots[3],
        actor_user_id=colleague_user.id,
        actor_role="adviser",
    )
    assert profile.id is not None
    asked = RescheduleRequest(
        appointment_id=appointment.id,
        client_id=profile.id,
        kind=RequestKind.change,
        wanted_slot_id=slots[4].id,
        asked_by_user_id=client_user.id,
        asked_by_role="client",
    )
    db.add(asked)
    db.flush()
    answer_request(session=db, request=asked, answer=Answer.accept, adviser_user=adviser_user)
    sign_in_staff(client, adviser_user)
    lines = _history(client, profile.id)
    moves = [line for line in lines if "moved from" in line]
    assert len(moves) == 4
    by_client, by_supporter, by_colleague, newest = moves  # oldest first: the story in order
    assert newest.endswith("by you, as the client asked")
    assert by_colleague.endswith("by Kim Colleague")
    assert by_supporter.endswith("by Sam Support (support person)")
    assert by_client.endswith("by the client")
    assert colleague.id != adviser.id
