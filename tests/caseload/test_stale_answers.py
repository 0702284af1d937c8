"""An adviser's answer sent from a page drawn before something changed (another tab, a
colleague, the client, the clock) changes nothing and says so kindly: a request already
answered, a chosen time that has gone, help answered or taken back, a call or task already
done. Each is the 409 page with what the answer was; no appointment moves, nobody is texted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AvailabilitySlot, HelpKind, HelpRequest
from app.core.clock import frozen_now, london_datetime
from app.delivery.models import Notification
from app.messages.models import CallRequest, CallTime
from app.people.models import Adviser, AdviserTask, ClientProfile, User
from app.rescheduling.models import RequestKind, RequestStatus, RescheduleRequest
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_staff,
)
from tests.html import heading, parse, text

# Monday 1 June 2026, 9am in London.
NOW = london_datetime(date(2026, 6, 1), 9, 0)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


@dataclass
class Asked:
    adviser: Adviser
    adviser_user: User
    profile: ClientProfile
    appointment: Appointment
    wanted: AvailabilitySlot
    request: RescheduleRequest


def _asked(db: Session) -> Asked:
    """A client whose interview is on Wednesday 10 June at 2pm has asked for Thursday 4 June
    at 3pm."""
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Sian Stale")
    appointment = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14))
    )
    wanted = make_slot(db, adviser, london_datetime(date(2026, 6, 4), 15))
    assert appointment.id is not None and profile.id is not None
    request = RescheduleRequest(
        appointment_id=appointment.id,
        client_id=profile.id,
        kind=RequestKind.change,
        wanted_slot_id=wanted.id,
    )
    db.add(request)
    db.flush()
    return Asked(adviser, adviser_user, profile, appointment, wanted, request)


def _messages(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(Notification)).one())


def _answer(client: TestClient, asked: Asked, answer: str) -> Response:
    record = f"/adviser/clients/{asked.profile.id}"
    return post_form(client, record, f"/adviser/requests/{asked.request.id}", {"answer": answer})


def _answer_page_says(response: Response, title: str, *said: str) -> None:
    status = response.status_code
    page = response.text
    assert status == 409, page
    assert heading(page) == title
    box = parse(page).find(id="answer")
    words = text(page)
    for words_said in said:
        assert box is not None and words_said in box.get_text(), words
    assert "Nothing has been changed, and nothing has been sent to the client." in words


def test_a_request_answered_arrange_call_cannot_then_be_accepted_from_a_stale_tab(
    client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    sign_in_staff(client, asked.adviser_user)
    assert _answer(client, asked, "arrange-call").status_code == 303
    sent = _messages(db)

    stale = _answer(client, asked, "accept")

    _answer_page_says(stale, "This request has already been answered", "A call was arranged.")
    db.refresh(asked.appointment)
    db.refresh(asked.request)
    db.refresh(asked.wanted)
    assert asked.appointment.starts_at == london_datetime(date(2026, 6, 10), 14)
    assert asked.wanted.appointment_id is None
    assert asked.request.status == RequestStatus.call_arranged
    assert _messages(db) == sent  # nobody is texted twice


@pytest.mark.parametrize("second", ["accept", "offer-other-times", "arrange-call"])
def test_an_accepted_request_is_never_answered_again(
    second: str, client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    sign_in_staff(client, asked.adviser_user)
    assert _answer(client, asked, "accept").status_code == 303
    sent, moved_to = _messages(db), asked.wanted.starts_at

    _answer_page_says(
        _answer(client, asked, second),
        "This request has already been answered",
        "The time they chose was accepted.",
    )
    db.refresh(asked.appointment)
    db.refresh(asked.request)
    assert asked.appointment.starts_at == moved_to
    assert asked.request.status == RequestStatus.accepted
    assert _messages(db) == sent


def test_accepting_a_time_that_has_gone_by_books_nothing(client: TestClient, db: Session) -> None:
    asked = _asked(db)
    # The adviser answers on Friday 5 June: the time the client chose (Thursday) has gone.
    with frozen_now(london_datetime(date(2026, 6, 5), 9)):
        sign_in_staff(client, asked.adviser_user)
        sent = _messages(db)
        _answer_page_says(
            _answer(client, asked, "accept"),
            "That time can no longer be booked",
            "Their request is still open",
        )
    db.refresh(asked.appointment)
    db.refresh(asked.request)
    assert asked.appointment.starts_at == london_datetime(date(2026, 6, 10), 14)
    assert asked.request.status == RequestStatus.open and asked.request.decided_at is None
    assert _messages(db) == sent


def test_accepting_a_time_less_than_a_day_away_books_nothing(
    client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    with frozen_now(london_datetime(date(2026, 6, 3), 18)):  # 21 hours before it
        sign_in_staff(client, asked.adviser_user)
        response = _answer(client, asked, "accept")
    assert response.status_code == 409
    db.refresh(asked.request)
    assert asked.request.status == RequestStatus.open


def test_accepting_a_time_kept_for_another_client_books_nothing(
    client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    other, _ = make_client(db, asked.adviser, name="Other Client")
    asked.wanted.offered_to_client_id = other.id
    db.add(asked.wanted)
    db.flush()
    sign_in_staff(client, asked.adviser_user)
    response = _answer(client, asked, "accept")
    assert response.status_code == 409
    db.refresh(asked.appointment)
    assert asked.appointment.starts_at == london_datetime(date(2026, 6, 10), 14)


def _help(db: Session, asked: Asked) -> HelpRequest:
    assert asked.appointment.id is not None
    help_request = HelpRequest(appointment_id=asked.appointment.id, kind=HelpKind.private_room)
    db.add(help_request)
    db.flush()
    return help_request


def _answer_help(client: TestClient, asked: Asked, help_id: int, data: dict[str, str]) -> Response:
    record = f"/adviser/clients/{asked.profile.id}"
    return post_form(client, record, f"{record}/help/{help_id}", data)


def test_help_already_answered_is_not_answered_again(client: TestClient, db: Session) -> None:
    asked = _asked(db)
    help_request = _help(db, asked)
    assert help_request.id is not None
    sign_in_staff(client, asked.adviser_user)
    first = _answer_help(
        client, asked, help_request.id, {"answer": "arranged", "arranged_note": "Room 3"}
    )
    assert first.status_code == 303

    stale = _answer_help(client, asked, help_request.id, {"answer": "not-possible"})

    _answer_page_says(stale, "This help has already been answered", "It was arranged.", "Room 3")
    db.refresh(help_request)
    assert (help_request.status, help_request.arranged_note) == ("arranged", "Room 3")


def test_help_taken_back_meanwhile_is_a_kind_page_not_page_not_found(
    client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    help_request = _help(db, asked)
    assert help_request.id is not None
    help_id = help_request.id
    sign_in_staff(client, asked.adviser_user)
    client.get(f"/adviser/clients/{asked.profile.id}")
    db.delete(help_request)  # the client unticked it on their needs page
    db.flush()
    stale = _answer_help(client, asked, help_id, {"answer": "arranged"})
    assert stale.status_code == 409
    assert heading(stale.text) == "This help is no longer asked for"
    assert db.exec(select(HelpRequest)).all() == []


def test_another_clients_help_is_still_page_not_found(client: TestClient, db: Session) -> None:
    asked = _asked(db)
    other, _ = make_client(db, asked.adviser, name="Other Client")
    theirs = make_appointment(
        db, other, make_slot(db, asked.adviser, london_datetime(date(2026, 6, 11), 10))
    )
    assert theirs.id is not None
    help_request = HelpRequest(appointment_id=theirs.id, kind=HelpKind.travel)
    db.add(help_request)
    db.flush()
    assert help_request.id is not None
    sign_in_staff(client, asked.adviser_user)
    response = _answer_help(client, asked, help_request.id, {"answer": "arranged"})
    assert response.status_code == 404


def test_a_call_or_task_already_done_is_a_kind_page(client: TestClient, db: Session) -> None:
    asked = _asked(db)
    assert asked.profile.id is not None
    call = CallRequest(client_id=asked.profile.id, suits=CallTime.any)
    task = AdviserTask(adviser_id=asked.adviser.id, client_id=asked.profile.id, kind="check-in")
    db.add_all([call, task])
    db.flush()
    record = f"/adviser/clients/{asked.profile.id}"
    sign_in_staff(client, asked.adviser_user)
    for action in (f"{record}/calls/{call.id}/done", f"/adviser/tasks/{task.id}/done"):
        assert post_form(client, record, action, {}).status_code == 303
        again = post_form(client, record, action, {})
        assert again.status_code == 409, action
        assert "Nothing has been changed" in text(again.text)
    done = db.exec(select(CallRequest).where(col(CallRequest.done_at).is_not(None))).all()
    assert len(done) == 1


def test_the_already_answered_page_keeps_the_client_out_of_its_title(
    client: TestClient, db: Session
) -> None:
    asked = _asked(db)
    sign_in_staff(client, asked.adviser_user)
    _answer(client, asked, "arrange-call")
    page = _answer(client, asked, "accept").text
    title = parse(page).find("title")
    assert title is not None and "Sian" not in title.get_text()
    link = parse(page).find("a", string="Back to their record")
    assert link is not None and link["href"] == f"/adviser/clients/{asked.profile.id}"


def test_whether_they_came_is_recorded_once(client: TestClient, db: Session) -> None:
    asked = _asked(db)
    record = f"/adviser/clients/{asked.profile.id}"
    action = f"{record}/appointments/{asked.appointment.id}/outcome"
    with frozen_now(london_datetime(date(2026, 6, 10), 16)):  # after the interview
        sign_in_staff(client, asked.adviser_user)
        assert post_form(client, record, action, {"outcome": "attended"}).status_code == 303
        stale = post_form(client, record, action, {"outcome": "missed"})
    assert stale.status_code == 409
    assert heading(stale.text) == "Whether they came is already recorded"
    box = parse(stale.text).find(id="answer")
    assert box is not None and "They came." in box.get_text()
    db.refresh(asked.appointment)
    assert asked.appointment.status == "attended"
