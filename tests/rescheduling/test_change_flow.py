"""Changing an appointment as a client: suitable times only, confirmed or asked, never blocked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AvailabilitySlot,
    HelpKind,
    HelpRequest,
)
from app.core.clock import frozen_now, london_datetime
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.models import BusyTime, RequestKind, RequestStatus, RescheduleRequest
from tests.factories import (
    csrf_from,
    done_in,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import heading, parse, text

# Monday 1 June 2026, 9am in London (BST). Every test here runs at this moment.
NOW = london_datetime(date(2026, 6, 1), 9, 0)
MON, TUE, WED, THU, FRI = (date(2026, 6, d) for d in range(1, 6))
WARNING_WORDS = ("sanction", "penalty", "warning", "must", "failed", "fail to", "benefit")


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


@dataclass
class Setup:
    adviser: Adviser
    adviser_user: User
    profile: ClientProfile
    user: User
    appointment: Appointment
    original_slot: AvailabilitySlot


def _set_up(client: TestClient, db: Session) -> Setup:
    """A signed-in client with a first interview on Wednesday 10 June at 2pm."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Cara Client")
    original = make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14, 0))
    appointment = make_appointment(db, profile, original)
    sign_in_client(client, db, user)
    return Setup(adviser, adviser_user, profile, user, appointment, original)


def _offered(html: str) -> list[int]:
    """The slot ids offered as radio buttons, in page order."""
    return [int(str(i["value"])) for i in parse(html).select('input[name="slot"]')]


def _choose(
    client: TestClient, setup: Setup, slot_id: int | str | None, reason: str = ""
) -> Response:
    assert slot_id is not None, "the slot has not been saved"
    page = f"/appointments/{setup.appointment.id}/change"
    data = {"slot": str(slot_id)}
    if reason:
        data["reason"] = reason
    return post_form(client, page, page, data)


def _main_text(html: str) -> str:
    main = parse(html).find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def _assert_no_warning_words(html: str) -> None:
    words = _main_text(html).lower()
    for word in WARNING_WORDS:
        assert word not in words, word


# Which times are offered


def test_only_times_that_suit_the_client_are_offered(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    # The client tells us their times through their own page, as in scenarios 2 and 3.
    for busy in (
        {
            "label": "Therapy at Oakwood",
            "repeat": "weekly",
            "weekday": "1",
            "starts": "14:00",
            "ends": "15:00",
        },
        {
            "label": "",
            "repeat": "once",
            "on_date": "2026-06-08",
            "starts": "13:00",
            "ends": "14:00",
        },
    ):
        assert post_form(client, "/your-times", "/your-times/busy", busy).status_code == 303
    prefs = {"not_before": "13:00", "avoid": "4"}  # nothing before 1pm, not Fridays
    assert post_form(client, "/your-times", "/your-times/preferences", prefs).status_code == 303

    a = setup.adviser
    tue_3pm = make_slot(db, a, london_datetime(TUE, 15, 0))
    wed_1pm = make_slot(db, a, london_datetime(WED, 13, 0))
    thu_4pm = make_slot(db, a, london_datetime(THU, 16, 0))
    hidden = [
        make_slot(db, a, london_datetime(TUE, 14, 0)),  # therapy
        make_slot(db, a, london_datetime(TUE, 13, 30)),  # runs into therapy
        make_slot(db, a, london_datetime(date(2026, 6, 9), 14, 0)),  # therapy, next week
        make_slot(db, a, london_datetime(WED, 12, 30)),  # before 1pm
        make_slot(db, a, london_datetime(FRI, 14, 0)),  # a Friday
        make_slot(db, a, london_datetime(date(2026, 6, 8), 13, 0)),  # the one-off busy time
    ]
    # Not offered at all: someone else's booking, another adviser, offered to another client.
    other, _ = make_client(db, a, name="Other Client")
    make_appointment(db, other, make_slot(db, a, london_datetime(THU, 14, 0)))
    other_adviser, _ = make_adviser(db, name="Bea Adviser")
    make_slot(db, other_adviser, london_datetime(THU, 15, 0))
    make_slot(db, a, london_datetime(WED, 15, 0), offered_to_client_id=other.id)

    response = client.get(f"/appointments/{setup.appointment.id}/change")

    assert response.status_code == 200
    assert heading(response.text) == "Choose a new time"
    assert _offered(response.text) == [tue_3pm.id, wed_1pm.id, thu_4pm.id]
    assert not {s.id for s in hidden} & set(_offered(response.text))
    assert "We have left out times that clash with your busy times" in text(response.text)
    assert "You do not need to give a reason" in text(response.text)
    # The label is the client's own: they see it on their page (advisers never do, below).
    assert "Therapy at Oakwood" in client.get("/your-times").text


def test_nothing_is_said_to_be_left_out_when_nothing_was(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    slots = [make_slot(db, setup.adviser, london_datetime(d, 10)) for d in (TUE, WED, THU)]

    response = client.get(f"/appointments/{setup.appointment.id}/change")

    assert _offered(response.text) == [s.id for s in slots]
    assert "left out" not in text(response.text)


def test_a_time_offered_to_this_client_is_shown_to_them(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    offered = make_slot(
        db, setup.adviser, london_datetime(WED, 11), offered_to_client_id=setup.profile.id
    )
    response = client.get(f"/appointments/{setup.appointment.id}/change")
    assert _offered(response.text) == [offered.id]


def test_the_adviser_never_sees_the_label_of_a_busy_time(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    assert setup.profile.id is not None
    db.add(
        BusyTime(
            client_id=setup.profile.id,
            label="Therapy with Dr Patel",
            weekday=1,
            starts=time(10),
            ends=time(11),
        )
    )
    db.flush()
    assert "Therapy with Dr Patel" in client.get("/your-times").text

    client.cookies.clear()
    sign_in_staff(client, setup.adviser_user)
    response = client.get(f"/adviser/clients/{setup.profile.id}")

    assert response.status_code == 200
    assert "Cara Client" in response.text  # the right record
    # Scenario 3: the adviser sees when the client is busy, never what the busy time is.
    needs = parse(response.text).find(id="needs")
    assert needs is not None, "the adviser should see the client's needs before booking"
    assert "Busy: every Tuesday 10:00–11:00" in " ".join(needs.get_text().split())
    assert "Therapy" not in response.text
    assert "Dr Patel" not in response.text


# Choosing a time


def test_when_no_listed_time_works_the_page_leads_to_asking_for_a_call(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    make_slot(db, setup.adviser, london_datetime(THU, 10, 0))
    for listed in (True, False):  # with times to choose from, and with none
        html = client.get(f"/appointments/{setup.appointment.id}/change").text
        assert bool(_offered(html)) is listed
        section = parse(html).select_one("#none-suit")
        assert section is not None and "None of these times work for you?" in section.text
        link = parse(html).select_one('a[href="/contact#call-me"]')
        assert link is not None and link.get_text(strip=True) == "Ask your adviser to call you"
        for free in db.exec(
            select(AvailabilitySlot).where(col(AvailabilitySlot.appointment_id).is_(None))
        ).all():
            db.delete(free)
        db.flush()
    asked = post_form(client, "/contact", "/contact/call-me", {"suits": "morning"})
    assert asked.status_code == 303
    sign_in_staff(client, setup.adviser_user)
    assert "Cara Client : asked you to call them" in text(client.get("/adviser").text)


def test_a_time_inside_the_rules_is_confirmed_at_once(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    new = make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    appointment = setup.appointment
    old_start, old_sequence = appointment.starts_at, appointment.sequence

    response = _choose(client, setup, new.id)

    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/appointments/{appointment.id}/changed?outcome=confirmed"
    )
    db.refresh(appointment)
    db.refresh(new)
    db.refresh(setup.original_slot)
    assert appointment.starts_at == new.starts_at
    assert appointment.sequence == old_sequence + 1
    assert new.appointment_id == appointment.id
    assert setup.original_slot.appointment_id is None
    moved = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == "moved",
        )
    ).one()
    assert (moved.actor_role, moved.actor_user_id) == ("client", setup.user.id)
    assert (moved.from_starts_at, moved.to_starts_at) == (old_start, new.starts_at)
    assert db.exec(select(RescheduleRequest)).all() == []

    confirmed = client.get(response.headers["location"])
    assert heading(confirmed.text).startswith("Your new time")
    assert "Tuesday 2 June, 3pm" in text(confirmed.text)
    # Both the new time and the history show on the appointment page.
    page = text(client.get(f"/appointments/{appointment.id}").text)
    assert "moved from Wednesday 10 June, 2pm to Tuesday 2 June, 3pm" in page


def _moved_twice(db: Session, setup: Setup) -> None:
    """The client has moved this appointment twice: the next choice goes to the adviser."""
    assert setup.appointment.id is not None
    for _ in range(2):
        db.add(
            AppointmentChange(
                appointment_id=setup.appointment.id, actor_role="client", change="moved"
            )
        )
    db.flush()


def test_a_third_change_becomes_a_request(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    _moved_twice(db, setup)
    later = make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    appointment = setup.appointment

    response = _choose(client, setup, later.id, reason="medication")

    assert response.status_code == 303
    assert response.headers["location"].endswith("?outcome=requested")
    request = db.exec(select(RescheduleRequest)).one()
    assert request.kind == RequestKind.change
    assert request.status == RequestStatus.open
    assert request.wanted_slot_id == later.id
    assert request.appointment_id == appointment.id
    assert request.reason == "medication"
    db.refresh(appointment)
    db.refresh(later)
    assert appointment.starts_at == setup.original_slot.starts_at
    assert later.appointment_id is None
    assert setup.original_slot.appointment_id == appointment.id

    asked = client.get(response.headers["location"])
    assert heading(asked.text) == "We have asked your adviser"
    assert "stays at Wednesday 10 June, 2pm" in text(asked.text)
    assert "You asked for a new time" in text(client.get("/home").text)


def test_the_changed_page_says_we_asked_only_when_a_request_is_open(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    typed = client.get(f"/appointments/{setup.appointment.id}/changed?outcome=requested")
    assert typed.status_code == 200
    assert heading(typed.text) != "We have asked your adviser"
    assert "We have asked" not in text(typed.text)

    _moved_twice(db, setup)
    later = make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    asked = client.get(_choose(client, setup, later.id).headers["location"])
    assert heading(asked.text) == "We have asked your adviser"


def test_an_unknown_reason_is_refused_and_nothing_is_stored(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    today = make_slot(db, setup.adviser, london_datetime(MON, 15, 0))
    response = _choose(client, setup, today.id, reason="my diagnosis is ...")
    assert response.status_code == 400
    assert "Choose one of the options" in response.text
    assert db.exec(select(RescheduleRequest)).first() is None


def test_the_third_change_by_the_client_asks_the_adviser(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    first, second, third = (
        make_slot(db, setup.adviser, london_datetime(d, 15)) for d in (TUE, WED, THU)
    )
    assert _choose(client, setup, first.id).headers["location"].endswith("confirmed")
    assert _choose(client, setup, second.id).headers["location"].endswith("confirmed")

    response = _choose(client, setup, third.id)

    assert response.headers["location"].endswith("requested")
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == second.starts_at
    assert db.exec(select(RescheduleRequest)).one().wanted_slot_id == third.id


def test_a_time_taken_meanwhile_gets_a_kind_message_and_fresh_choices(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    wanted = make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    still_free = [make_slot(db, setup.adviser, london_datetime(d, 15, 0)) for d in (WED, THU)]
    page = f"/appointments/{setup.appointment.id}/change"
    form = client.get(page)
    assert wanted.id in _offered(form.text)

    # Someone else books that time while the client is reading the page.
    someone, _ = make_client(db, setup.adviser, name="Quick Client")
    make_appointment(db, someone, wanted)
    response = client.post(
        page,
        data={"slot": str(wanted.id), "reason": "medication", "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )

    assert response.status_code == 409
    assert "someone else chose that time" in text(response.text)
    assert _offered(response.text) == [s.id for s in still_free]
    medication = parse(response.text).find("input", id="reason-medication")
    assert medication is not None and medication.has_attr("checked")
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == setup.original_slot.starts_at
    assert setup.original_slot.appointment_id == setup.appointment.id
    assert db.exec(select(RescheduleRequest)).all() == []


def test_a_time_that_no_longer_exists_is_treated_as_gone(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    response = _choose(client, setup, 987654, reason="nhs-appointment")
    assert response.status_code == 409
    assert "that time is no longer free" in text(response.text)
    assert "someone else chose that time" not in text(response.text)


def test_no_time_chosen_asks_again_and_keeps_the_reason(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    response = _choose(client, setup, "", reason="nhs-appointment")
    assert response.status_code == 400
    summary = parse(response.text).select_one(".govuk-error-summary")
    assert summary is not None
    assert "Choose a new time" in summary.get_text()
    nhs = parse(response.text).find("input", id="reason-nhs-appointment")
    assert nhs is not None and nhs.has_attr("checked")


# "I'm not well enough right now"


def test_not_well_enough_needs_no_reason_and_counts_once(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    appointment_id = str(setup.appointment.id)

    for _ in range(2):  # an anxious double tap
        response = post_form(
            client, "/home", "/not-well-enough", {"appointment_id": appointment_id}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/not-well-enough/thank-you"

    requests = db.exec(
        select(RescheduleRequest).where(RescheduleRequest.client_id == setup.profile.id)
    ).all()
    assert len(requests) == 1
    assert requests[0].kind == RequestKind.not_well
    assert requests[0].reason is None
    assert requests[0].appointment_id == setup.appointment.id
    not_well = db.exec(
        select(AppointmentChange).where(AppointmentChange.change == "not-well")
    ).all()
    assert len(not_well) == 1
    # The appointment itself is left alone until the adviser gets in touch.
    db.refresh(setup.appointment)
    assert setup.appointment.status == AppointmentStatus.booked
    assert "You told us you are not well enough right now" in text(client.get("/home").text)


def test_the_thank_you_page_is_only_for_someone_who_told_us(
    client: TestClient, db: Session
) -> None:
    """A link to it said "We have let your adviser know" when nothing had been sent
    (outside-in re-check): without a "not well enough" open, it goes home."""
    _set_up(client, db)
    response = client.get("/not-well-enough/thank-you", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/home"


def test_the_not_well_thank_you_page_is_kind(client: TestClient, db: Session) -> None:
    _set_up(client, db)
    told = post_form(client, "/home", "/not-well-enough", {})
    assert told.headers["location"] == "/not-well-enough/thank-you"
    response = client.get("/not-well-enough/thank-you")
    assert response.status_code == 200
    assert heading(response.text) == "Thank you for telling us"
    words = _main_text(response.text)
    assert "You do not need to give a reason" in words
    assert "nothing you need to do" in words
    assert "116 123" in words  # somewhere to turn right now
    _assert_no_warning_words(response.text)


def test_not_well_enough_works_without_an_appointment(client: TestClient, db: Session) -> None:
    profile, user = make_client(db, make_adviser(db)[0])
    sign_in_client(client, db, user)
    # No appointment, so the form on the home page is not there: any page's token will do.
    response = post_form(client, "/your-times", "/not-well-enough", {})
    assert response.status_code == 303
    request = db.exec(
        select(RescheduleRequest).where(RescheduleRequest.client_id == profile.id)
    ).one()
    assert (request.kind, request.appointment_id) == (RequestKind.not_well, None)


# Help before an appointment


def test_help_requests_are_stored_and_shown_with_their_status(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    page = f"/appointments/{setup.appointment.id}"
    response = client.post(
        f"{page}/help",
        data={
            "kinds": ["travel", "interpreter", "companion", "call-before"],
            "interpreter_language": "Polish",
            "companion_name": "Jo, my support worker",
            "csrf_token": csrf_from(client.get(page).text),
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert done_in(response.headers["location"]) == {"sent": "help"}
    stored = db.exec(
        select(HelpRequest)
        .where(HelpRequest.appointment_id == setup.appointment.id)
        .order_by(col(HelpRequest.id))
    ).all()
    assert [(h.kind, h.detail, h.status) for h in stored] == [
        (HelpKind.travel, None, "asked"),
        (HelpKind.interpreter, "Polish", "asked"),
        (HelpKind.companion, "Jo, my support worker", "asked"),
        (HelpKind.call_before, None, "asked"),
    ]
    listed = parse(client.get(response.headers["location"]).text).find(id="help-requests")
    assert listed is not None
    items = [" ".join(li.get_text().split()) for li in listed.find_all("li")]
    assert items == [
        "You asked for help with travel costs. asked",
        "You asked for an interpreter (Polish). asked",
        "You are bringing someone (Jo, my support worker). asked",
        "You asked for a phone call before the appointment. asked",
    ]

    # The adviser arranges the travel costs: the client sees the new status.
    stored[0].status = "arranged"
    db.add(stored[0])
    db.flush()
    listed = parse(client.get(page).text).find(id="help-requests")
    assert listed is not None
    assert "arranged" in listed.find_all("li")[0].get_text()
    assert "Help with travel costs is arranged. Bring your tickets." in listed.get_text()
    assert "asked" in listed.find_all("li")[1].get_text()


def test_asking_for_the_same_help_twice_stores_it_once(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    page = f"/appointments/{setup.appointment.id}"
    for _ in range(2):
        post_form(client, page, f"{page}/help", {"kinds": "private-room"})
    stored = db.exec(
        select(HelpRequest).where(HelpRequest.appointment_id == setup.appointment.id)
    ).all()
    assert [h.kind for h in stored] == [HelpKind.private_room]


# Someone else's appointment


def test_another_clients_appointment_is_not_found_on_every_route(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    other, _ = make_client(db, setup.adviser, name="Other Client")
    theirs = make_appointment(db, other, make_slot(db, setup.adviser, london_datetime(THU, 10)))
    free = make_slot(db, setup.adviser, london_datetime(TUE, 15))
    token = csrf_from(client.get(f"/appointments/{setup.appointment.id}").text)
    base = f"/appointments/{theirs.id}"

    for path in (base, f"{base}/change", f"{base}/changed", f"{base}/calendar.ics"):
        assert client.get(path).status_code == 404, path
    for path, data in (
        (f"{base}/help", {"kinds": "travel"}),
        (f"{base}/change", {"slot": str(free.id)}),
    ):
        response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 404, path
    # "Not well enough" is never lost: naming someone else's appointment, it is taken as
    # general, and their appointment is not touched.
    data = {"appointment_id": str(theirs.id), "csrf_token": token}
    response = client.post("/not-well-enough", data=data, follow_redirects=False)
    assert response.status_code == 303
    said = db.exec(select(RescheduleRequest)).one()
    assert (said.client_id, said.appointment_id) == (setup.profile.id, None)
    lines = db.exec(
        select(AppointmentChange.change).where(AppointmentChange.appointment_id == theirs.id)
    ).all()
    assert list(lines) == ["booked"]

    db.refresh(theirs)
    db.refresh(free)
    assert theirs.starts_at == london_datetime(THU, 10)
    assert free.appointment_id is None
    assert db.exec(select(HelpRequest)).all() == []
    assert db.exec(select(RescheduleRequest)).all() == [said]  # only the client's own
    # And an id that does not exist at all looks the same.
    assert client.get("/appointments/987654").status_code == 404


# A missed appointment


def _missed_appointment(db: Session, adviser: Adviser, profile: ClientProfile) -> Appointment:
    """Friday 29 May, booked the week before and marked missed."""
    with frozen_now(NOW - timedelta(days=10)):
        slot = make_slot(db, adviser, london_datetime(date(2026, 5, 29), 10, 0))
        missed = make_appointment(db, profile, slot)
    missed.status = AppointmentStatus.missed
    db.add(missed)
    db.flush()
    return missed


def test_a_missed_appointment_gets_a_kind_word_and_no_warning(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    _missed_appointment(db, adviser, profile)

    response = client.get("/home")

    assert response.status_code == 200
    words = _main_text(response.text)
    assert "We'll be in touch to find a new time" in words
    assert "Friday 29 May" in words
    _assert_no_warning_words(response.text)


def test_the_missed_message_goes_once_a_new_time_is_booked(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)  # the Wednesday 10 June appointment is booked "now"
    _missed_appointment(db, setup.adviser, setup.profile)
    assert "We'll be in touch" not in _main_text(client.get("/home").text)


# Known gaps, written down as the behaviour we expect


@pytest.mark.parametrize("status", [AppointmentStatus.cancelled, AppointmentStatus.missed])
def test_a_slot_is_never_held_by_an_appointment_that_is_not_booked(
    client: TestClient, db: Session, status: AppointmentStatus
) -> None:
    setup = _set_up(client, db)
    setup.appointment.status = status
    db.add(setup.appointment)
    db.flush()
    new = make_slot(db, setup.adviser, london_datetime(TUE, 15, 0))
    page = f"/appointments/{setup.appointment.id}"

    # A choice sent from a change page left open before it was cancelled or missed.
    sent = post_form(client, "/home", f"{page}/change", {"slot": str(new.id)})

    assert sent.status_code == 303 and sent.headers["location"] == page
    db.refresh(new)
    db.refresh(setup.appointment)
    assert new.appointment_id is None and setup.appointment.status == status


def test_sending_the_help_form_with_nothing_new_adds_no_history(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    page = f"/appointments/{setup.appointment.id}"

    nothing = post_form(client, page, f"{page}/help", {})
    assert nothing.status_code == 400 and "Choose the help you would like" in nothing.text

    changes = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == setup.appointment.id,
            AppointmentChange.change == "help-requested",
        )
    ).all()
    assert changes == []
    assert "help asked for" not in text(client.get(page).text)
