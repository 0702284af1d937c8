"""Only an appointment still to come can be moved, and a time the adviser offered replaces
the appointment it was offered for (#18 outside-in): not whichever is next, not one that has
begun, been cancelled or missed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.booking import cancel
from app.appointments.models import Appointment, AppointmentStatus
from app.caseload.attention_state import request_still_asks
from app.caseload.deferral import defer
from app.core.clock import frozen_now, london_datetime, utcnow
from app.rescheduling.models import RequestKind, RequestStatus, RescheduleRequest
from tests.factories import make_appointment, make_slot, post_form, sign_in_client
from tests.html import parse
from tests.rescheduling.test_no_silent_changes import NOW, WED, Setup, _page, _set_up, _slot

FRI_12 = date(2026, 6, 12)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


def _client_id(setup: Setup) -> int:
    assert setup.profile.id is not None
    return setup.profile.id


def _offer(db: Session, setup: Setup) -> int:
    offered = _slot(setup, db, WED, setup.office)
    offered.offered_to_client_id = setup.profile.id
    db.add(offered)
    db.flush()
    assert offered.id is not None
    return offered.id


def _booked_and_asked_during_the_pause(
    db: Session, setup: Setup
) -> tuple[Appointment, RescheduleRequest, RescheduleRequest]:
    """An appointment booked during the pause (Friday 12 June), a request to move it, and
    "not well enough" said since."""
    booked = make_appointment(
        db, setup.profile, make_slot(db, setup.adviser, london_datetime(FRI_12, 10))
    )
    during = RescheduleRequest(
        appointment_id=booked.id, client_id=_client_id(setup), kind=RequestKind.change
    )
    not_well = RescheduleRequest(client_id=_client_id(setup), kind=RequestKind.not_well)
    db.add_all([during, not_well])
    db.flush()
    return booked, during, not_well


def _home_links(client: TestClient) -> list[str]:
    box = parse(client.get("/home").text).find(id="offered-times")
    assert box is not None
    return [str(a["href"]) for a in box.find_all("a")]


def test_an_offer_answering_a_request_leads_to_the_appointment_asked_about(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)  # Wednesday 10 June, the next appointment
    later = make_appointment(
        db, setup.profile, make_slot(db, setup.adviser, london_datetime(FRI_12, 10))
    )
    _offer(db, setup)
    db.add(
        RescheduleRequest(
            appointment_id=later.id,
            client_id=_client_id(setup),
            kind=RequestKind.change,
            status=RequestStatus.other_times_offered,
            decided_at=utcnow(),
        )
    )
    db.flush()
    assert _home_links(client) == [f"/appointments/{later.id}/change"]


def test_an_offer_with_two_appointments_ahead_and_no_request_asks_which(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    later = make_appointment(
        db, setup.profile, make_slot(db, setup.adviser, london_datetime(FRI_12, 10))
    )
    _offer(db, setup)
    box = parse(client.get("/home").text).find(id="offered-for")
    assert box is not None
    links = box.find_all("a")
    assert [str(a["href"]) for a in links] == [_page(setup), f"/appointments/{later.id}/change"]
    assert "instead of the appointment on Wednesday 10 June at 2pm" in links[0].get_text()
    assert "instead of the appointment on Friday 12 June at 10am" in links[1].get_text()


def _cannot_be_changed(
    client: TestClient, db: Session, setup: Setup, offered: int
) -> BeautifulSoup:
    page = f"/appointments/{setup.appointment.id}"
    shown = client.get(_page(setup), follow_redirects=False)
    assert shown.status_code == 303 and shown.headers["location"] == page
    # The form as it was when the page was open (a tab left open, or the offline queue).
    sent = post_form(client, "/home", _page(setup), {"slot": str(offered)})
    assert sent.status_code == 303 and sent.headers["location"] == page
    assert db.exec(select(RescheduleRequest)).all() == []
    shown_page = parse(client.get(page).text)
    assert shown_page.find("a", string="Change this") is None
    return shown_page


def test_an_appointment_that_has_begun_and_is_not_yet_recorded_cannot_be_changed(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    offered = _offer(db, setup)
    starts = setup.appointment.starts_at
    with frozen_now(starts + timedelta(minutes=5)):
        db.refresh(setup.appointment)
        assert setup.appointment.status == AppointmentStatus.booked
        sign_in_client(client, db, setup.user)
        page = _cannot_be_changed(client, db, setup, offered)
    begun = page.find(id="begun")
    assert begun is not None and "began at 2pm, so it can no longer be changed" in begun.get_text()
    assert page.find("a", string="Add to your calendar") is None


def test_a_cancelled_appointment_cannot_be_changed(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    offered = _offer(db, setup)
    cancel(session=db, appointment=setup.appointment, actor_user_id=None, actor_role="adviser")
    db.flush()
    page = _cannot_be_changed(client, db, setup, offered)
    # Nothing about what will happen there, or help to ask for: it is not happening.
    assert page.find(id="help") is None and "What will happen" not in page.get_text()


def test_a_pause_closes_requests_made_before_it_and_those_made_during_it_reach_the_adviser(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    before = RescheduleRequest(
        appointment_id=setup.appointment.id, client_id=_client_id(setup), kind=RequestKind.change
    )
    db.add(before)
    db.flush()
    from tests.factories import make_adviser

    _other, adviser_user = make_adviser(db)
    defer(
        session=db,
        profile=setup.profile,
        review_on=date(2026, 6, 22),
        reason="health",
        adviser_user=adviser_user,
    )
    db.flush()
    db.refresh(before)
    assert before.status == RequestStatus.paused
    # Booked during the pause (the client felt able to), then asked to move: the adviser sees it.
    _booked, during, not_well = _booked_and_asked_during_the_pause(db, setup)
    assert request_still_asks(session=db, request=during)
    # Said during the pause: the client was told the adviser will be in touch.
    assert request_still_asks(session=db, request=not_well)


def test_a_new_review_date_cancels_nothing_booked_since_the_pause(
    client: TestClient, db: Session
) -> None:
    """Changing only the review date: what was booked during the pause stands (the client was
    told it is booked), a new time asked for stays open, and "not well enough" said during
    the pause is answered by the new date."""
    setup = _set_up(client, db)
    from tests.factories import make_adviser

    _other, adviser_user = make_adviser(db)

    def pause_until(day: int) -> int:
        cancelled = defer(
            session=db,
            profile=setup.profile,
            review_on=date(2026, 6, day),
            reason="health",
            adviser_user=adviser_user,
        )
        db.flush()
        return cancelled

    assert pause_until(22) == 1  # the first pause cancels the Wednesday 10 June interview
    booked, during, not_well = _booked_and_asked_during_the_pause(db, setup)
    assert pause_until(29) == 0
    db.refresh(booked)
    db.refresh(during)
    db.refresh(not_well)
    assert booked.status == AppointmentStatus.booked
    assert during.status == RequestStatus.open and request_still_asks(session=db, request=during)
    assert not_well.status == RequestStatus.paused
