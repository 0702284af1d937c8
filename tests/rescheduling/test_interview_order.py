"""Interviews keep their order (outside-in #1: interview 1 could be moved after interview 2).

A time for interview n is offered, chosen, accepted or booked only if it starts after the
earlier interview ends and ends before the next booked one starts (app/appointments/order.py),
whoever asks: the client's list and choice, the adviser's offer, move and booking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.booking import OutOfOrder, book_slot, move_to_slot
from app.appointments.models import Appointment, AppointmentKind, AvailabilitySlot
from app.core.clock import frozen_now, london_datetime
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.decisions import Answer, TimeGone, answer_request
from app.rescheduling.models import RequestKind, RequestStatus, RescheduleRequest
from tests.factories import (
    done_in,
    make_adviser,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse, text

NOW = london_datetime(date(2026, 6, 1), 9)  # Monday 1 June 2026, 9am (BST)
FIRST = london_datetime(date(2026, 6, 10), 14)  # interview 1: Wednesday 10 June, 2pm
SECOND = london_datetime(date(2026, 7, 8), 14)  # interview 2: Wednesday 8 July, 2pm


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


@dataclass
class World:
    adviser: Adviser
    adviser_user: User
    profile: ClientProfile
    user: User
    first: Appointment
    second: Appointment
    between: AvailabilitySlot  # Tuesday 16 June: after interview 1, before interview 2
    after_second: AvailabilitySlot  # Thursday 9 July: after interview 2


def _book(db: Session, profile: ClientProfile, slot: AvailabilitySlot, n: int) -> Appointment:
    assert profile.id is not None
    return book_slot(
        session=db,
        slot=slot,
        client_id=profile.id,
        kind=AppointmentKind.wfi,
        wfi_number=n,
        actor_user_id=None,
        actor_role="adviser",
    )


def _world(db: Session) -> World:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Nia Order")
    first = _book(db, profile, make_slot(db, adviser, FIRST), 1)
    second = _book(db, profile, make_slot(db, adviser, SECOND), 2)
    between = make_slot(db, adviser, london_datetime(date(2026, 6, 16), 14))
    after_second = make_slot(db, adviser, london_datetime(date(2026, 7, 9), 14))
    return World(adviser, adviser_user, profile, user, first, second, between, after_second)


def _listed(html: str) -> set[int]:
    return {int(str(i["value"])) for i in parse(html).select("input[name=slot]")}


def test_the_client_is_never_offered_a_time_that_leapfrogs_the_next_interview(
    client: TestClient, db: Session
) -> None:
    world = _world(db)
    sign_in_client(client, db, world.user)
    page = client.get(f"/appointments/{world.first.id}/change")
    assert world.between.id in _listed(page.text)
    assert world.after_second.id not in _listed(page.text)
    assert "Interviews go in order" in text(page.text)


def test_a_time_after_the_next_interview_is_never_chosen_or_asked_for(
    client: TestClient, db: Session
) -> None:
    world = _world(db)
    sign_in_client(client, db, world.user)
    url = f"/appointments/{world.first.id}/change"
    response = post_form(client, url, url, {"slot": str(world.after_second.id)})
    assert response.status_code == 409
    db.refresh(world.first)
    assert world.first.starts_at == FIRST
    assert db.exec(select(RescheduleRequest)).all() == []


def test_a_later_interview_is_never_moved_before_an_earlier_one(db: Session) -> None:
    world = _world(db)
    earlier = make_slot(db, world.adviser, london_datetime(date(2026, 6, 8), 10))
    with pytest.raises(OutOfOrder):
        move_to_slot(
            session=db,
            appointment=world.second,
            slot=earlier,
            actor_user_id=None,
            actor_role="adviser",
        )
    db.refresh(world.second)
    assert world.second.starts_at == SECOND


def test_the_adviser_is_not_offered_an_out_of_order_time_to_move_to(
    client: TestClient, db: Session
) -> None:
    world = _world(db)
    sign_in_staff(client, world.adviser_user)
    base = f"/adviser/clients/{world.profile.id}/appointments/{world.first.id}/change"
    june = client.get(f"{base}?day=2026-06-15&where=any")
    assert world.between.id in _listed(june.text)
    july = client.get(f"{base}?day=2026-07-06&where=any")
    assert world.after_second.id not in _listed(july.text)
    moved = post_form(
        client,
        f"{base}?day=2026-06-15&where=any",
        base,
        {"slot": str(world.after_second.id), "seen": str(world.first.sequence)},
    )
    assert moved.status_code == 409
    db.refresh(world.first)
    assert world.first.starts_at == FIRST


def test_the_adviser_booking_an_interview_out_of_order_is_told_why(
    client: TestClient, db: Session
) -> None:
    world = _world(db)
    early = make_slot(db, world.adviser, london_datetime(date(2026, 6, 5), 10))
    sign_in_staff(client, world.adviser_user)
    record = f"/adviser/clients/{world.profile.id}"
    response = post_form(
        client, record, f"{record}/book", {"slot": str(early.id), "wfi_number": "3"}
    )
    assert response.status_code == 400
    assert (
        "Interview 3 of 6 must come after interview 2 (Wednesday 8 July, 2pm), so the"
        " interviews stay in order." in text(response.text)
    )
    assert db.exec(select(Appointment).where(Appointment.wfi_number == 3)).first() is None


def test_an_adviser_cannot_offer_or_accept_an_out_of_order_time(
    client: TestClient, db: Session
) -> None:
    world = _world(db)
    assert world.profile.id is not None and world.first.id is not None
    request = RescheduleRequest(
        appointment_id=world.first.id,
        client_id=world.profile.id,
        kind=RequestKind.change,
        wanted_slot_id=world.between.id,
    )
    db.add(request)
    db.flush()
    sign_in_staff(client, world.adviser_user)
    record = f"/adviser/clients/{world.profile.id}"
    response = post_form(
        client,
        record,
        f"/adviser/requests/{request.id}",
        {"answer": Answer.offer_other_times.value, "slots": str(world.after_second.id)},
    )
    assert done_in(response.headers["location"]) == {"offered": "0"}
    db.refresh(world.after_second)
    assert world.after_second.offered_to_client_id is None
    # Accepting a time that went out of order since it was asked for is refused too.
    request.wanted_slot_id = world.after_second.id
    db.add(request)
    db.flush()
    with pytest.raises(TimeGone):
        answer_request(
            session=db, request=request, answer=Answer.accept, adviser_user=world.adviser_user
        )
    db.refresh(request)
    assert request.status == RequestStatus.open
