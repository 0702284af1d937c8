"""The adviser moves or cancels a booked appointment from the client's record (#18): through
the same booking services as the client's own change, so the client is told, the history says
the adviser did it, the old time is free, nothing is booked twice; a cancelled interview is
never a missed one. After every action the record says what was done (a success banner)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AvailabilitySlot,
    ChangeKind,
)
from app.audit.models import AuditEvent
from app.caseload.attention import attention_list
from app.caseload.repository import caseload
from app.core.clock import london_datetime, london_today
from app.delivery.models import Notification
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.models import RequestKind, RescheduleRequest
from tests.caseload.test_find_a_time import _weekday_in
from tests.factories import (
    done_in,
    last_message_to,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_staff,
)
from tests.html import parse


def _seen(appointment: Appointment) -> dict[str, str]:
    """The hidden field the adviser's change and cancel pages carry: the version shown."""
    return {"seen": str(appointment.sequence)}


def _world(
    db: Session,
) -> tuple[Adviser, User, ClientProfile, User, Appointment, AvailabilitySlot, Venue]:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Rhian Moved")
    hall = Venue(office_id=adviser.office_id, name="Community Hall", kind=VenueKind.community)
    db.add(hall)
    db.flush()
    day = _weekday_in(8)
    booked = make_slot(db, adviser, london_datetime(day, 10), venue_id=hall.id)
    appointment = make_appointment(db, profile, booked)
    return adviser, adviser_user, profile, user, appointment, booked, hall


def _audit(db: Session, action: str) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_the_adviser_moves_an_appointment_and_the_client_is_told(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user, profile, user, appointment, old, hall = _world(db)
    new = make_slot(db, adviser, london_datetime(_weekday_in(8), 14), venue_id=hall.id)
    sequence = appointment.sequence
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    page = parse(client.get(record).text)
    change = page.select_one(f"#change-{appointment.id}")
    assert change is not None and str(change["href"]).endswith(f"/{appointment.id}/change")
    listed = parse(client.get(str(change["href"])).text)
    # Each free time says its place; the page starts at the appointment's own place, in
    # the week around it.
    labels = [label.get_text(strip=True) for label in listed.select("label[for^=slot]")]
    assert labels and all(label.endswith("– Community Hall, 60 minutes") for label in labels)
    assert listed.select_one("#where option[selected]")["value"] == str(hall.id)  # type: ignore[index]
    response = post_form(
        client,
        str(change["href"]),
        str(change["href"]),
        {"slot": str(new.id), **_seen(appointment)},
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{record}?") and location.endswith("#appointments")
    assert done_in(location) == {"moved": str(appointment.id)}
    db.refresh(appointment)
    db.refresh(old)
    db.refresh(new)
    assert appointment.starts_at == new.starts_at and appointment.sequence == sequence + 1
    assert old.appointment_id is None and new.appointment_id == appointment.id
    moved = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == ChangeKind.moved,
        )
    ).one()
    assert moved.actor_role == "adviser" and moved.actor_user_id == adviser_user.id
    told = db.exec(select(Notification.body).where(Notification.recipient == user.phone)).all()
    assert any("Your appointment has moved" in body for body in told)
    assert len(_audit(db, "appointment.moved")) == 1
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None
    assert "Moved to" in banner.get_text() and "Rhian" in banner.get_text()
    # Nothing has sent it yet (no worker here): on its way, or waiting for quiet hours.
    text = " ".join(banner.get_text().split())
    assert "has been told" not in text
    assert "A message to Rhian Moved is on its way." in text or "We will send Rhian" in text


def test_a_time_taken_meanwhile_is_never_booked_twice(client: TestClient, db: Session) -> None:
    adviser, adviser_user, profile, _user, appointment, old, _hall = _world(db)
    other, _ = make_client(db, adviser, name="Other Client")
    taken = make_slot(db, adviser, london_datetime(_weekday_in(8), 15))
    make_appointment(db, other, taken)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    url = f"{record}/appointments/{appointment.id}/change"
    response = post_form(client, record, url, {"slot": str(taken.id), **_seen(appointment)})
    assert response.status_code == 409
    assert parse(response.text).select_one("#gone") is not None
    db.refresh(appointment)
    db.refresh(old)
    assert appointment.starts_at == old.starts_at and old.appointment_id == appointment.id
    # No time chosen: the error summary, nothing changed.
    response = post_form(client, record, url, {"slot": ""})
    assert response.status_code == 400 and "There is a problem" in response.text


def test_the_adviser_cancels_after_a_confirmation_and_it_is_never_a_missed_one(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user, profile, user, appointment, slot, _hall = _world(db)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    link = parse(client.get(record).text).select_one(f"#cancel-{appointment.id}")
    assert link is not None
    url = str(link["href"])
    confirm = client.get(url)
    assert "Cancel this appointment?" in confirm.text
    assert "It does not count as a missed appointment." in confirm.text
    # The reason is a fixed choice: anything else is refused and nothing changes.
    assert post_form(client, url, url, {"reason": "feeling low"}).status_code == 400
    db.refresh(appointment)
    still = appointment.status
    assert still == AppointmentStatus.booked
    response = post_form(client, url, url, {"reason": "client-asked", **_seen(appointment)})
    location = response.headers["location"]
    assert location.startswith(f"{record}?") and location.endswith("#appointments")
    assert done_in(location) == {"cancelled": str(appointment.id)}
    db.refresh(appointment)
    db.refresh(slot)
    assert appointment.status == AppointmentStatus.cancelled and slot.appointment_id is None
    cancelled = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == ChangeKind.cancelled,
        )
    ).one()
    assert cancelled.actor_role == "adviser"
    told = last_message_to(db, user.phone or "")
    assert told is not None and "is cancelled. You do not need to do anything." in told.body
    (audit,) = _audit(db, "appointment.cancelled")
    assert "client-asked" in audit.detail
    assert adviser.id is not None
    everyone = caseload(session=db, adviser_id=adviser.id)
    attention = attention_list(session=db, adviser_id=adviser.id, caseload=everyone)
    assert not [i for i in attention.items if i.kind == "missed"]
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None and "cancelled" in banner.get_text()
    assert "does not count as a missed appointment" in banner.get_text()
    # Cancelled: there is nothing to move or cancel again (a kind page, not an error).
    again = post_form(client, record, url, {})
    assert again.status_code == 409
    assert "can no longer be changed" in again.text


def test_another_caseloads_appointment_cannot_be_moved_or_cancelled(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, _user, appointment, _slot, _hall = _world(db)
    _other, other_user = make_adviser(db, name="Other Adviser")
    sign_in_staff(client, other_user)
    base = f"/adviser/clients/{profile.id}/appointments/{appointment.id}"
    assert client.get(f"{base}/cancel").status_code == 404
    assert client.get(f"{base}/change").status_code == 404


def test_each_appointment_on_the_record_says_where_it_is(client: TestClient, db: Session) -> None:
    _adviser, adviser_user, profile, _user, appointment, _slot, _hall = _world(db)
    sign_in_staff(client, adviser_user)
    page = parse(client.get(f"/adviser/clients/{profile.id}").text)
    listed = page.select_one(f"#appointments + ul li:has(#change-{appointment.id})")
    assert listed is not None and "– Community Hall" in listed.get_text()


def test_pausing_is_by_the_not_well_request_and_says_what_was_done(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, _user, appointment, _slot, _hall = _world(db)
    assert profile.id is not None
    db.add(
        RescheduleRequest(
            appointment_id=appointment.id, client_id=profile.id, kind=RequestKind.not_well
        )
    )
    db.flush()
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    page = parse(client.get(record).text)
    link = page.select_one("[id^=pause-link-]")
    assert link is not None and link["href"] == "#pause"
    assert page.select_one("#pause") is not None
    # Ready for "not well enough": reason Health, a review in four weeks on an open day.
    review = page.select_one("#review_on")
    assert review is not None and date.fromisoformat(str(review["value"])) >= london_today() + (
        timedelta(weeks=4)
    )
    assert page.select_one("#reason option[selected]")["value"] == "health"  # type: ignore[index]
    response = post_form(
        client,
        record,
        f"{record}/defer",
        {"review_on": str(review["value"]), "reason": "health"},
    )
    assert done_in(response.headers["location"])["deferred"] == "yes"
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None
    words = " ".join(banner.get_text().split())
    assert "Interviews paused until" in words and "has been told" not in words
    assert "A message to Rhian Moved is on its way." in words or "We will send Rhian" in words
    assert "The appointments they had booked are cancelled" in words


def test_booking_says_what_was_booked_and_the_form_starts_at_the_next_interview(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user, profile, _user, _appointment, _slot, hall = _world(db)
    spare = make_slot(db, adviser, london_datetime(_weekday_in(9), 11), venue_id=hall.id)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    page = parse(client.get(record).text)
    # Interview 1 is booked: the next is 2. No time is chosen for the adviser.
    assert page.select_one("#wfi_number option[selected]")["value"] == "2"  # type: ignore[index]
    first = page.select_one("#slot option")
    assert first is not None and first["value"] == "" and first.get_text() == "Choose a time"
    # The place to look starts where the client usually meets their adviser.
    times = parse(client.get(f"{record}/times").text)
    assert times.select_one("#where option[selected]")["value"] == str(hall.id)  # type: ignore[index]
    week = parse(client.get(f"{record}/times?day={_weekday_in(9)}&where=any").text)
    assert week.select_one("#wfi_number option[selected]")["value"] == "2"  # type: ignore[index]
    assert week.select_one("#book-slot option")["value"] == ""  # type: ignore[index]
    response = post_form(
        client, record, f"{record}/book", {"slot": str(spare.id), "wfi_number": "2"}
    )
    assert done_in(response.headers["location"])["booked"] == "yes"
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None and "Booked for" in banner.get_text()
    assert "Community Hall" in banner.get_text()
    held = db.exec(
        select(Appointment.wfi_number).where(
            Appointment.client_id == profile.id, col(Appointment.wfi_number).is_not(None)
        )
    ).all()
    assert sorted(n for n in held if n is not None) == [1, 2]


def test_offers_stay_open_when_the_adviser_moves_to_another_time(
    client: TestClient, db: Session
) -> None:
    """Times offered to the client are theirs until they choose one: the adviser moving the
    appointment to some other time does not hand the offers back to everyone (#18 outside-in:
    offers vanished after a move, and another client saw them)."""
    adviser, adviser_user, profile, _user, appointment, _old, hall = _world(db)
    offers = [
        make_slot(db, adviser, london_datetime(_weekday_in(15), hour), venue_id=hall.id)
        for hour in (10, 14)
    ]
    for slot in offers:
        slot.offered_to_client_id = profile.id
        db.add(slot)
    other = make_slot(db, adviser, london_datetime(_weekday_in(8), 14), venue_id=hall.id)
    db.flush()
    sign_in_staff(client, adviser_user)
    change = f"/adviser/clients/{profile.id}/appointments/{appointment.id}/change"
    assert (
        post_form(client, change, change, {"slot": str(other.id), **_seen(appointment)}).status_code
        == 303
    )
    for slot in offers:
        db.refresh(slot)
    assert [slot.offered_to_client_id for slot in offers] == [profile.id, profile.id]
    # Choosing one of the offers is what hands the rest back.
    db.refresh(appointment)
    chosen = {"slot": str(offers[0].id), **_seen(appointment)}
    assert post_form(client, change, change, chosen).status_code == 303
    for slot in offers:
        db.refresh(slot)
    assert offers[0].appointment_id == appointment.id
    assert offers[1].offered_to_client_id is None


def test_a_cancel_page_gone_stale_shows_the_new_time_and_cancels_nothing(
    client: TestClient, db: Session
) -> None:
    """The client moved the appointment while the adviser's cancel page was open: posting it
    says what the time is now and changes nothing (#18 outside-in: the new time the client
    had just chosen was cancelled)."""
    adviser, adviser_user, profile, _user, appointment, _slot, hall = _world(db)
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}/appointments/{appointment.id}/cancel"
    seen = parse(client.get(url).text).select_one("input[name=seen]")
    assert seen is not None and seen["value"] == str(appointment.sequence)
    # Meanwhile the client moves it (the sequence goes up).
    moved_to = make_slot(db, adviser, london_datetime(_weekday_in(9), 15), venue_id=hall.id)
    from app.appointments.booking import move_to_slot

    move_to_slot(
        session=db, appointment=appointment, slot=moved_to, actor_user_id=None, actor_role="client"
    )
    db.flush()
    stale = post_form(client, url, url, {"reason": "client-asked", "seen": str(seen["value"])})
    assert stale.status_code == 409
    assert "has changed since you opened the page" in stale.text
    db.refresh(appointment)
    assert appointment.status == AppointmentStatus.booked
    assert appointment.starts_at == moved_to.starts_at


def test_a_change_page_gone_stale_shows_the_new_time_and_moves_nothing(
    client: TestClient, db: Session
) -> None:
    """The client moved the appointment while the adviser's change page was open: choosing a
    time there says what the time is now and moves nothing (the client's own choice stands)."""
    adviser, adviser_user, profile, _user, appointment, _slot, hall = _world(db)
    make_slot(db, adviser, london_datetime(_weekday_in(8), 11), venue_id=hall.id)
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}/appointments/{appointment.id}/change"
    page = parse(client.get(url).text)
    seen = page.select_one("input[name=seen]")
    offered = page.select_one("input[name=slot]")
    assert seen is not None and seen["value"] == str(appointment.sequence)
    assert offered is not None
    moved_to = make_slot(db, adviser, london_datetime(_weekday_in(9), 15), venue_id=hall.id)
    from app.appointments.booking import move_to_slot

    move_to_slot(
        session=db, appointment=appointment, slot=moved_to, actor_user_id=None, actor_role="client"
    )
    db.flush()
    record = f"/adviser/clients/{profile.id}"
    stale = post_form(
        client, record, url, {"slot": str(offered["value"]), "seen": str(seen["value"])}
    )
    assert stale.status_code == 409
    assert "has changed since you opened the page" in stale.text
    assert "Nothing has been moved" in stale.text
    db.refresh(appointment)
    assert appointment.starts_at == moved_to.starts_at


def test_a_time_of_another_length_says_so_before_the_move(client: TestClient, db: Session) -> None:
    adviser, adviser_user, profile, _user, appointment, _old, hall = _world(db)
    day = _weekday_in(8)
    make_slot(db, adviser, london_datetime(day, 13), duration_minutes=30, venue_id=hall.id)
    make_slot(db, adviser, london_datetime(day, 15), duration_minutes=90, venue_id=hall.id)
    make_slot(db, adviser, london_datetime(day, 17), venue_id=hall.id)
    sign_in_staff(client, adviser_user)
    page = parse(
        client.get(f"/adviser/clients/{profile.id}/appointments/{appointment.id}/change").text
    )
    hints = {}
    for item in page.select(".govuk-radios__item"):
        label, hint = item.select_one("label"), item.select_one(".govuk-hint")
        assert label is not None
        hour = label.get_text(strip=True).split(" – ")[0][-3:]
        hints[hour] = hint.get_text(strip=True) if hint else None
    assert hints == {
        "1pm": "Shorter than now: 30 minutes instead of 60.",
        "3pm": "Longer than now: 90 minutes instead of 60.",
        "5pm": None,
    }


@pytest.mark.parametrize("seen", [None, "", "abc", "0.0", "-1"])
def test_a_change_or_cancel_without_the_version_it_was_drawn_at_changes_nothing(
    client: TestClient, db: Session, seen: str | None
) -> None:
    """A form without the hidden version (missing, blank or garbled) is treated as drawn
    before the latest change: the page again, as the appointment is now, and nothing moved
    or cancelled (#18 outside-in: leaving it out skipped the check)."""
    adviser, adviser_user, profile, _user, appointment, _slot, hall = _world(db)
    free = make_slot(db, adviser, london_datetime(_weekday_in(8), 11), venue_id=hall.id)
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    base = f"{record}/appointments/{appointment.id}"
    extra = {} if seen is None else {"seen": seen}
    moved = post_form(client, record, f"{base}/change", {"slot": str(free.id), **extra})
    cancelled = post_form(client, record, f"{base}/cancel", {"reason": "client-asked", **extra})
    assert (moved.status_code, cancelled.status_code) == (409, 409)
    assert "has changed since you opened the page" in moved.text
    db.refresh(appointment)
    assert appointment.status == AppointmentStatus.booked and appointment.sequence == 0


def test_an_offer_of_more_times_than_a_page_shows_holds_nothing(
    client: TestClient, db: Session
) -> None:
    """Offered times are the client's alone: a forged offer of the whole diary would leave no
    times for anyone else. More than MAX_OFFERED is refused, and nothing is held."""
    from app.caseload.forms import MAX_OFFERED

    adviser, adviser_user, profile, _user, _appointment, _slot, hall = _world(db)
    diary = [
        make_slot(
            db, adviser, london_datetime(_weekday_in(8 + n // 8), 9 + n % 8), venue_id=hall.id
        )
        for n in range(MAX_OFFERED + 1)
    ]
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    ids = [str(slot.id) for slot in diary]
    assert post_form(client, record, f"{record}/offer", {"slots": ids}).status_code == 400
    for slot in diary:
        db.refresh(slot)
    assert all(slot.offered_to_client_id is None for slot in diary)
    fewer = post_form(client, record, f"{record}/offer", {"slots": ids[:MAX_OFFERED]})
    assert fewer.status_code == 303
