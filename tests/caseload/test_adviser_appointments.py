"""The adviser's side: free times, booking with the client's needs in view, answering requests."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.availability import publish
from app.appointments.booking import book_slot, move_to_slot
from app.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
)
from app.appointments.wfi import proposed_dates
from app.core.clock import london_datetime, london_today, to_london, utcnow
from app.core.formatting import human_datetime
from app.offices.models import Venue, VenueKind
from app.rescheduling.models import (
    BusyTime,
    RequestKind,
    RequestStatus,
    RescheduleRequest,
    TimePreference,
)
from app.rescheduling.repository import open_slots
from tests.factories import (
    done_in,
    last_message_to,
    make_adviser,
    make_appointment,
    make_client,
    make_office,
    make_slot,
    open_day_ahead,
    post_form,
    sign_in_staff,
)
from tests.html import parse


def _venue(db: Session) -> Venue:
    office = make_office(db)
    venue = Venue(office_id=office.id, name="Test Office", kind=VenueKind.office)  # type: ignore[arg-type]
    db.add(venue)
    db.flush()
    return venue


def test_six_interviews_eight_weeks_then_every_four() -> None:
    dates = proposed_dates(date(2026, 1, 5))
    assert dates[0] == date(2026, 3, 2)
    assert [(b - a).days for a, b in itertools.pairwise(dates)] == [28] * 5
    assert len(dates) == 6


def test_repeating_free_times_keep_their_wall_clock_time_across_the_clock_change(
    db: Session,
) -> None:
    adviser, _ = make_adviser(db)
    assert adviser.id is not None
    slots = publish(
        session=db,
        adviser_id=adviser.id,
        day=date(2026, 3, 17),
        hour=10,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
        repeat_weeks=3,
    )
    assert [to_london(s.starts_at).hour for s in slots] == [10, 10, 10]
    assert [s.starts_at.hour for s in slots] == [10, 10, 9]  # GMT, GMT, then BST (29 March)
    assert len({s.series for s in slots}) == 1


def test_the_adviser_publishes_free_times_through_the_page(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    venue = _venue(db)
    sign_in_staff(client, user)
    day = open_day_ahead(7).isoformat()
    response = post_form(
        client,
        "/adviser/availability",
        "/adviser/availability",
        {"day": day, "starts": "14:30", "duration": "60", "venue_id": str(venue.id), "repeat": "2"},
    )
    assert response.status_code == 303
    slots = db.exec(select(AvailabilitySlot).where(AvailabilitySlot.adviser_id == adviser.id)).all()
    # Said on the page it returns to (the outside-in pass found no word that it had worked).
    banner = parse(client.get(response.headers["location"]).text).select_one("#published")
    assert banner is not None
    assert len(slots) >= 1 and f"{len(slots)} free time" in banner.get_text()
    assert parse(client.get("/adviser/availability").text).select_one("#published") is None
    bad = post_form(
        client,
        "/adviser/availability",
        "/adviser/availability",
        {"day": "not a date", "starts": "", "duration": "5", "venue_id": ""},
    )
    assert bad.status_code == 400
    assert "Enter a real date, like" in bad.text and 'value="not a date"' in bad.text


def test_the_client_record_shows_needs_with_busy_times_but_never_their_labels(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    assert profile.id is not None
    db.add(
        BusyTime(
            client_id=profile.id,
            label="Therapy with Dr Example",
            weekday=1,
            starts=time(10),
            ends=time(11),
        )
    )
    db.add(TimePreference(client_id=profile.id, not_before=time(13)))
    db.flush()
    sign_in_staff(client, user)
    page = client.get(f"/adviser/clients/{profile.id}").text
    assert "Therapy" not in page
    assert "every Tuesday 10:00–11:00" in page
    assert "Nothing before 13:00" in page


def test_booking_offers_only_slots_that_suit_the_client(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    assert adviser.id is not None and profile.id is not None
    db.add(TimePreference(client_id=profile.id, not_before=time(13)))
    day = london_today() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    morning, afternoon = (
        publish(
            session=db,
            adviser_id=adviser.id,
            day=day,
            hour=h,
            minute=0,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=None,
        )[0]
        for h in (10, 14)
    )
    sign_in_staff(client, user)
    page = parse(client.get(f"/adviser/clients/{profile.id}").text)
    offered = {o["value"] for o in page.select("#slot option")}
    assert str(afternoon.id) in offered and str(morning.id) not in offered
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/clients/{profile.id}/book",
        {"slot": str(afternoon.id), "wfi_number": "1"},
    )
    assert done_in(response.headers["location"])["booked"] == "yes"
    booked = db.exec(select(Appointment).where(Appointment.client_id == profile.id)).one()
    assert booked.wfi_number == 1 and booked.starts_at == afternoon.starts_at
    again = post_form(
        client,
        "/adviser/availability",
        f"/adviser/clients/{profile.id}/book",
        {"slot": str(afternoon.id)},
    )
    assert done_in(again.headers["location"]) == {"booked": "taken"}


def _request(db: Session, adviser, profile, kind: RequestKind):  # type: ignore[no-untyped-def]
    day = open_day_ahead(9)
    current, wanted = (
        publish(
            session=db,
            adviser_id=adviser.id,
            day=day,
            hour=h,
            minute=0,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=None,
        )[0]
        for h in (10, 15)
    )
    appointment = book_slot(
        session=db,
        slot=current,
        client_id=profile.id,
        kind=AppointmentKind.review,
        wfi_number=None,
        actor_user_id=None,
        actor_role="adviser",
    )
    request = RescheduleRequest(
        appointment_id=appointment.id,
        client_id=profile.id,
        kind=kind,
        wanted_slot_id=wanted.id if kind == RequestKind.change else None,
    )
    db.add(request)
    db.flush()
    return request, appointment, wanted


def test_accepting_a_request_moves_the_appointment_and_tells_the_client(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    profile, client_user = make_client(db, adviser, name="Iwan Request")
    request, appointment, wanted = _request(db, adviser, profile, RequestKind.change)
    sign_in_staff(client, user)
    assert "Iwan Request" in client.get("/adviser").text
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/requests/{request.id}",
        {"answer": "accept"},
    )
    assert response.status_code == 303
    db.refresh(appointment)
    db.refresh(request)
    assert appointment.starts_at == wanted.starts_at and request.status == RequestStatus.accepted
    assert "answered your request" in last_message_to(db, client_user.phone).body  # type: ignore[arg-type,union-attr]


@pytest.mark.parametrize("kind", [RequestKind.change, RequestKind.not_well])
def test_answering_a_request_with_other_times_tells_the_client_of_them(
    client: TestClient, db: Session, kind: RequestKind
) -> None:
    """The client hears "new times" (the same words as "Offer these times"), and the banner
    says a message is going, not "No message has gone" (outside-in pass)."""
    adviser, user = make_adviser(db)
    profile, client_user = make_client(db, adviser, name="Kiran Offered")
    request, _appointment, _ = _request(db, adviser, profile, kind)
    other = make_slot(db, adviser, london_datetime(open_day_ahead(12), 11))
    sign_in_staff(client, user)
    record = f"/adviser/clients/{profile.id}"
    response = post_form(
        client,
        record,
        f"/adviser/requests/{request.id}",
        {"answer": "offer-other-times", "slots": str(other.id)},
    )
    assert done_in(response.headers["location"]) == {"offered": "1"}
    note = last_message_to(db, client_user.phone)  # type: ignore[arg-type]
    assert note is not None and "offered you some new times" in note.body
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None and "No message has gone" not in banner.get_text()


def test_a_not_well_request_whose_appointment_moved_since_says_both_times(
    client: TestClient, db: Session
) -> None:
    """The client said "not well enough", then chose a later time themselves: the card must
    not name the new time as the one they were not well enough for (outside-in pass)."""
    adviser, user = make_adviser(db)
    profile, client_user = make_client(db, adviser, name="Moved Since")
    request, appointment, wanted = _request(db, adviser, profile, RequestKind.not_well)
    was = appointment.starts_at
    move_to_slot(
        session=db,
        appointment=appointment,
        slot=wanted,
        actor_user_id=client_user.id,
        actor_role="client",
    )
    db.flush()
    sign_in_staff(client, user)
    about = parse(client.get(f"/adviser/clients/{profile.id}").text).select_one(
        f"#about-{request.id}"
    )
    assert about is not None
    words = " ".join(about.get_text().split())
    assert words == (
        f"About the appointment that was on {human_datetime(was)}. "
        f"It has since moved to {human_datetime(wanted.starts_at)}."
    )


def test_not_well_notices_can_be_answered_with_a_call(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Mari Notwell")
    request, _appointment, _ = _request(db, adviser, profile, RequestKind.not_well)
    sign_in_staff(client, user)
    assert "not well enough right now" in client.get("/adviser").text
    # The item goes straight to the request's card and says when it was asked.
    item = parse(client.get("/adviser").text).select_one(
        f'#attention a[href="/adviser/clients/{profile.id}#request-{request.id}"]'
    )
    assert item is not None and item.parent is not None
    assert f"(asked on {human_datetime(request.created_at)})" in item.parent.get_text()
    post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/requests/{request.id}",
        {"answer": "arrange-call"},
    )
    db.refresh(request)
    assert request.status == RequestStatus.call_arranged
    # The request is answered; the call promised stays until it is made.
    attention = client.get("/adviser").text.split("Clients")[0]
    assert "not well enough" not in attention
    assert "Mari Notwell</a>: you said you would call them" in attention


def test_an_adviser_cannot_answer_another_caseloads_request(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _other, other_user = make_adviser(db, name="Other")
    profile, _ = make_client(db, adviser)
    request, _appointment, _ = _request(db, adviser, profile, RequestKind.not_well)
    sign_in_staff(client, other_user)
    response = post_form(
        client,
        "/adviser/availability",
        f"/adviser/requests/{request.id}",
        {"answer": "arrange-call"},
    )
    assert response.status_code == 404


def test_times_offered_to_one_client_are_theirs_alone(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    chosen_profile, chosen_user = make_client(db, adviser, name="Offered Client")
    other_profile, _ = make_client(db, adviser, name="Other Client")
    assert adviser.id is not None
    day = london_today() + timedelta(days=12)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    slot = publish(
        session=db,
        adviser_id=adviser.id,
        day=day,
        hour=14,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
    )[0]
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{chosen_profile.id}"
    response = post_form(client, url, f"{url}/offer", {"slots": str(slot.id)})
    assert done_in(response.headers["location"]) == {"offered": "1"}
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None and "1 time offered" in banner.get_text()
    db.refresh(slot)
    assert slot.offered_to_client_id == chosen_profile.id
    assert "offered you some new times" in last_message_to(db, chosen_user.phone).body  # type: ignore[arg-type,union-attr]
    window = (slot.starts_at - timedelta(hours=1), slot.starts_at + timedelta(hours=1))
    for profile, expected in ((chosen_profile, True), (other_profile, False)):
        assert profile.id is not None
        free = open_slots(
            session=db,
            adviser_id=adviser.id,
            client_id=profile.id,
            start=window[0],
            end=window[1],
        )
        assert (slot in free) is expected


def test_a_time_the_client_could_not_choose_is_not_offered(client: TestClient, db: Session) -> None:
    """Within a day (or gone): the client would be told of it, then refused it."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Soon Client")
    assert adviser.id is not None
    soon = make_slot(db, adviser, utcnow() + timedelta(hours=5))
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    response = post_form(client, url, f"{url}/offer", {"slots": str(soon.id)})
    assert done_in(response.headers["location"]) == {"offered": "0"}
    db.refresh(soon)
    assert soon.offered_to_client_id is None
    note = last_message_to(db, user.phone)  # type: ignore[arg-type]
    assert note is None or "offered" not in note.body


def test_offering_with_nothing_ticked_asks_for_a_time(client: TestClient, db: Session) -> None:
    """Nothing ticked is the adviser's slip, not the times' fault: the record again (400)
    with "choose at least one", linked to the first box, and nobody is offered anything."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Empty Offer")
    later = make_slot(db, adviser, london_datetime(open_day_ahead(10), 11))
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    response = post_form(client, url, f"{url}/offer", {})
    assert response.status_code == 400
    page = parse(response.text)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None and "Choose at least one time to offer" in summary.get_text()
    assert "None of those times" not in summary.get_text()
    link = summary.select_one("a")
    assert link is not None and page.select_one(str(link["href"])) is not None
    db.refresh(later)
    assert later.offered_to_client_id is None
    note = last_message_to(db, user.phone)  # type: ignore[arg-type]
    assert note is None or "offered" not in note.body


def _book_interview_one_again(
    client: TestClient, db: Session, *, first_at: date, first_status: AppointmentStatus
) -> str:
    """Book interview 1 on `first_at`, give it `first_status`, then ask to book another
    "interview 1"; returns the refusal's page (and checks nothing was booked)."""
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Twice Client")
    first = make_appointment(db, profile, make_slot(db, adviser, london_datetime(first_at, 10)))
    first.status = first_status
    db.add(first)
    db.commit()
    day = london_today() + timedelta(days=9)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    spare = make_slot(db, adviser, london_datetime(day, 14))
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    response = post_form(client, url, f"{url}/book", {"slot": str(spare.id), "wfi_number": "1"})
    assert response.status_code == 400
    db.refresh(spare)
    assert spare.appointment_id is None
    return response.text


def test_an_interview_number_already_booked_is_not_booked_twice(
    client: TestClient, db: Session
) -> None:
    day = london_today() + timedelta(days=9)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    page = _book_interview_one_again(
        client, db, first_at=day, first_status=AppointmentStatus.booked
    )
    assert "Interview 1 of 6 is already booked for" in page


def test_an_interview_number_that_took_place_says_so_not_already_booked(
    client: TestClient, db: Session
) -> None:
    """#18 outside-in: an attended interview 1 was called "already booked", with advice to move
    or cancel it, which cannot be done to an interview that has happened."""
    past = london_today() - timedelta(days=14)
    while past.weekday() >= 5:
        past -= timedelta(days=1)
    page = _book_interview_one_again(
        client, db, first_at=past, first_status=AppointmentStatus.attended
    )
    assert "Interview 1 of 6 took place on" in page
    assert "already booked" not in page


@pytest.mark.parametrize(("weeks_apart", "warned"), [(1, True), (2, True), (4, False)])
def test_an_interview_booked_close_to_the_one_before_says_so(
    client: TestClient, db: Session, weeks_apart: int, warned: bool
) -> None:
    """Interview 6 booked a week after interview 5 (the next number by default) went through
    without a word (outside-in pass): the banner says how close they are, and books it all
    the same (a client may ask for it). About every 4 weeks: PSI 2009, ch. 4."""
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Close Together")
    fifth_day = open_day_ahead(7)
    fifth = make_appointment(db, profile, make_slot(db, adviser, london_datetime(fifth_day, 10)))
    fifth.wfi_number = 5
    db.add(fifth)
    sixth_day = open_day_ahead((fifth_day - london_today()).days + 7 * weeks_apart)
    sixth_slot = make_slot(db, adviser, london_datetime(sixth_day, 11))
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    response = post_form(
        client, url, f"{url}/book", {"slot": str(sixth_slot.id), "wfi_number": "6"}
    )
    assert response.status_code == 303
    banner = parse(client.get(response.headers["location"]).text).select_one("#done")
    assert banner is not None and "Booked for" in banner.get_text()
    close = banner.select_one("#close-together")
    if warned:
        assert close is not None
        assert f"Interview 5 is on {human_datetime(fifth.starts_at)}" in close.get_text()
    else:
        assert close is None


def test_times_offered_and_not_yet_chosen_are_in_what_s_next(
    client: TestClient, db: Session
) -> None:
    """After "Offer these times" the record said nothing of them until the client chose
    (outside-in pass): "What's next" says they are waiting to be chosen."""
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Waiting Choice")
    slot = make_slot(db, adviser, london_datetime(open_day_ahead(10), 11))
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    post_form(client, url, f"{url}/offer", {"slots": str(slot.id)})
    listed = parse(client.get(url).text).select_one("#whats-next-list")
    assert listed is not None
    words = " ".join(listed.get_text(" ").split())
    assert f"Times offered Waiting for them to choose: {human_datetime(slot.starts_at)}" in words


def test_offering_from_a_request_with_nothing_ticked_asks_for_a_time(
    client: TestClient, db: Session
) -> None:
    """It said "None of those times was offered… choose a time at least a day ahead", the
    wrong reason, with no box to go to (outside-in re-check). The request stays open."""
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Nothing Ticked")
    request, _appointment, _wanted = _request(db, adviser, profile, RequestKind.not_well)
    make_slot(db, adviser, london_datetime(open_day_ahead(12), 11))
    sign_in_staff(client, user)
    record = f"/adviser/clients/{profile.id}"
    answer = post_form(
        client, record, f"/adviser/requests/{request.id}", {"answer": "offer-other-times"}
    )
    assert answer.status_code == 400
    page = parse(answer.text)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None and "Choose at least one time to offer" in summary.get_text()
    link = summary.select_one("a")
    assert link is not None and link["href"] == f"#offer-{request.id}"
    assert page.select_one(f"#offer-{request.id}") is not None
    db.refresh(request)
    assert request.status == RequestStatus.open


def test_a_free_time_that_overlaps_one_already_there_is_refused_or_left_out(
    client: TestClient, db: Session
) -> None:
    """10:00 for 45 minutes beside 9:30 for 60 was added, and Find a time listed both: two
    clients could be booked into the same half hour (outside-in re-check)."""
    adviser, user = make_adviser(db)
    venue = _venue(db)
    day = open_day_ahead(9)
    existing = make_slot(db, adviser, london_datetime(day, 9, 30), 60)
    sign_in_staff(client, user)
    fields = {"starts": "10:00", "duration": "45", "venue_id": str(venue.id), "repeat": "1"}
    refused = post_form(
        client, "/adviser/availability", "/adviser/availability", {**fields, "day": day.isoformat()}
    )
    assert refused.status_code == 400
    summary = parse(refused.text).select_one(".govuk-error-summary")
    assert summary is not None
    assert f"overlaps a free time you already have: {human_datetime(existing.starts_at)}" in (
        summary.get_text()
    )
    # End to start is not an overlap: 10:30 straight after 9:30-10:30 is added.
    touching = post_form(
        client,
        "/adviser/availability",
        "/adviser/availability",
        {**fields, "starts": "10:30", "day": day.isoformat()},
    )
    assert touching.status_code == 303
    slots = db.exec(select(AvailabilitySlot).where(AvailabilitySlot.adviser_id == adviser.id)).all()
    assert sorted(s.duration_minutes for s in slots) == [45, 60]
