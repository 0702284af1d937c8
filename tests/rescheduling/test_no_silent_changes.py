"""No silent changes (#17 part 3): every time offered says where it is and how long it lasts;
choosing one never changes the place, phone or in person, or the length unless the client has
seen it first ("This is at a different place"), however the choice arrives (a tap now, or the
phone's offline queue sending it later); later times a week at a time; a cancelled
appointment's page leads with "Cancelled"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
    ChangeKind,
)
from app.core.clock import frozen_now, london_datetime
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling import policy
from app.rescheduling.models import RescheduleRequest
from tests.factories import (
    csrf_from,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
)
from tests.html import heading, parse, text

# Monday 1 June 2026, 9am in London (BST).
NOW = london_datetime(date(2026, 6, 1), 9, 0)
TUE, WED, THU = (date(2026, 6, d) for d in (2, 3, 4))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with frozen_now(NOW):
        yield


@dataclass
class Setup:
    adviser: Adviser
    profile: ClientProfile
    user: User
    appointment: Appointment
    office: Venue
    hall: Venue
    phone: Venue


def _set_up(
    client: TestClient, db: Session, mode: AppointmentMode = AppointmentMode.in_person
) -> Setup:
    """A signed-in client with an hour-long interview on Wednesday 10 June at 2pm, at the
    Jobcentre (or by phone)."""
    adviser, _ = make_adviser(db)
    office, hall, phone = (
        Venue(office_id=adviser.office_id, name=name, kind=kind, address=address)
        for name, kind, address in (
            ("Riverside Jobcentre", VenueKind.office, "1 River Street"),
            ("Community Hall", VenueKind.community, "2 Chapel Lane"),
            ("Phone", VenueKind.phone, None),
        )
    )
    db.add_all([office, hall, phone])
    db.flush()
    profile, user = make_client(db, adviser)
    where = phone if mode == AppointmentMode.phone else office
    booked = make_slot(
        db, adviser, london_datetime(date(2026, 6, 10), 14), mode=mode, venue_id=where.id
    )
    appointment = make_appointment(db, profile, booked)
    sign_in_client(client, db, user)
    return Setup(adviser, profile, user, appointment, office, hall, phone)


def _slot(
    setup: Setup, db: Session, day: date, venue: Venue, minutes: int = 60, hour: int = 15
) -> AvailabilitySlot:
    mode = {VenueKind.phone: AppointmentMode.phone, VenueKind.home: AppointmentMode.home_visit}
    return make_slot(
        db,
        setup.adviser,
        london_datetime(day, hour),
        duration_minutes=minutes,
        mode=mode.get(venue.kind, AppointmentMode.in_person),
        venue_id=venue.id,
    )


def _page(setup: Setup) -> str:
    return f"/appointments/{setup.appointment.id}/change"


def _choose(client: TestClient, setup: Setup, slot: AvailabilitySlot, **extra: str) -> Response:
    """What the change page sends: a time, and nothing about where (as the offline queue
    sends it, hours later, too)."""
    return post_form(client, _page(setup), _page(setup), {"slot": str(slot.id), **extra})


def _labels(html: str) -> dict[int, str]:
    """Each offered time's label and hint, by slot id."""
    page = parse(html)
    found = {}
    for radio in page.select('input[name="slot"]'):
        label = page.find("label", attrs={"for": radio["id"]})
        hint = page.find(id=f"{radio['id']}-item-hint")
        words = " ".join(label.get_text().split()) if label else ""
        if hint:
            words += " | " + " ".join(hint.get_text().split())
        found[int(str(radio["value"]))] = words
    return found


def _send_confirm_form(client: TestClient, html: str) -> Response:
    """Press "Yes, choose this time" on the page, sending every field the form holds."""
    form = parse(html).find("form", attrs={"action": lambda a: bool(a and a.endswith("/change"))})
    assert form is not None
    data = {str(i["name"]): str(i.get("value", "")) for i in form.find_all("input")}
    response: Response = client.post(str(form["action"]), data=data, follow_redirects=False)
    return response


def _unchanged(db: Session, setup: Setup, mode: AppointmentMode, venue: Venue) -> None:
    db.refresh(setup.appointment)
    a = setup.appointment
    assert (a.starts_at, a.mode, a.venue_id, a.duration_minutes, a.sequence) == (
        london_datetime(date(2026, 6, 10), 14),
        mode,
        venue.id,
        60,
        0,
    )
    assert db.exec(select(RescheduleRequest)).all() == []


# Every time names the place and the length


def test_every_time_says_where_it_is_and_how_long(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    same = _slot(setup, db, TUE, setup.office)
    hall = _slot(setup, db, WED, setup.hall, minutes=90)
    phone = _slot(setup, db, THU, setup.phone)
    _slot(setup, db, THU, setup.office, minutes=30, hour=16)  # too short for this appointment

    response = client.get(_page(setup))

    # Each time lasts as long as the appointment (outside-in #4): never "confirm the length".
    assert _labels(response.text) == {
        same.id: "Tuesday 2 June, 3pm – Riverside Jobcentre, 60 minutes",
        hall.id: "Wednesday 3 June, 3pm – Community Hall, 60 minutes | A different place from now",
        phone.id: "Thursday 4 June, 3pm – by phone, 60 minutes | A different place from now",
    }
    now = parse(response.text).find(id="now-place")
    assert now is not None
    assert now.get_text() == "It is at Riverside Jobcentre and lasts about 60 minutes."


def test_times_the_adviser_offered_are_marked_and_listed_on_home(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    offered = _slot(setup, db, WED, setup.office)
    offered.offered_to_client_id = setup.profile.id
    db.add(offered)
    db.flush()
    page = client.get(_page(setup)).text
    labels = _labels(page)
    assert offered.id is not None
    assert labels[offered.id] == "Wednesday 3 June, 3pm – Riverside Jobcentre, 60 minutes"
    group = parse(page).select_one("#offered-times")
    assert group is not None
    legend = group.select_one("legend")
    assert legend is not None and legend.get_text(strip=True) == "Times your adviser offered"
    assert [int(str(i["value"])) for i in group.select('input[name="slot"]')] == [offered.id]
    home = parse(client.get("/home").text).find(id="offered-times")
    assert home is not None
    assert "Wednesday 3 June, 3pm – Riverside Jobcentre, 60 minutes" in home.get_text()
    link = home.find("a")
    assert link is not None and link["href"] == _page(setup)


# Nothing changes where or how long without the client seeing it first


def test_a_time_at_another_place_is_shown_before_anything_changes(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    hall = _slot(setup, db, TUE, setup.hall, minutes=90)

    response = _choose(client, setup, hall, reason="medication")

    assert response.status_code == 200
    assert heading(response.text) == "This is at a different place"
    words = text(response.text)
    assert "The new time is at Community Hall, not at Riverside Jobcentre." in words
    assert "It lasts about" not in words  # it keeps its own length: nothing to agree
    assert "Community Hall, 2 Chapel Lane" in words
    assert "Is that all right?" in words
    _unchanged(db, setup, AppointmentMode.in_person, setup.office)
    db.refresh(hall)
    assert hall.appointment_id is None

    # "Yes": now it moves, to the place she saw, keeping its length, and the page says both.
    moved = _send_confirm_form(client, response.text)

    assert moved.status_code == 303
    assert moved.headers["location"].endswith("?outcome=confirmed")
    db.refresh(setup.appointment)
    a = setup.appointment
    assert (a.starts_at, a.venue_id, a.duration_minutes) == (hall.starts_at, setup.hall.id, 60)
    changed = client.get(moved.headers["location"])
    placed = parse(changed.text).find(id="new-place")
    assert placed is not None
    assert "Community Hall, 2 Chapel Lane" in text(str(placed))
    assert "About 60 minutes" in text(str(placed))


def test_no_goes_back_to_the_times(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    hall = _slot(setup, db, TUE, setup.hall)
    response = _choose(client, setup, hall)
    no = parse(response.text).find("a", string="No, choose another time")
    assert no is not None and no["href"] == _page(setup)
    _unchanged(db, setup, AppointmentMode.in_person, setup.office)


def test_a_phone_appointment_never_becomes_in_person_unseen(
    client: TestClient, db: Session
) -> None:
    """The report: a change made offline and sent later came back in person at the Jobcentre.
    The kept copy of the change page sends only the time; the server now answers with the
    difference to look at (the offline queue keeps that answer as "needs a look")."""
    setup = _set_up(client, db, AppointmentMode.phone)
    jobcentre = _slot(setup, db, TUE, setup.office)

    replayed = _choose(client, setup, jobcentre)

    assert replayed.status_code == 200  # an answer to look at, not a redirect ("sent")
    assert "location" not in replayed.headers
    assert "The new time is at Riverside Jobcentre, not by phone." in text(replayed.text)
    _unchanged(db, setup, AppointmentMode.phone, setup.phone)


@pytest.mark.parametrize(
    "confirmed",
    [
        "",
        "yes",
        "<script>",
        "phone.60>in-person-999.60",  # well formed, for another pair of places
        "x" * 5000,
    ],
)
def test_anything_but_this_very_difference_is_not_a_yes(
    client: TestClient, db: Session, confirmed: str
) -> None:
    setup = _set_up(client, db, AppointmentMode.phone)
    jobcentre = _slot(setup, db, TUE, setup.office)
    response = _choose(client, setup, jobcentre, confirmed=confirmed)
    assert response.status_code == 200
    assert heading(response.text) == "This is at a different place"
    _unchanged(db, setup, AppointmentMode.phone, setup.phone)


def test_a_yes_given_before_the_appointment_moved_is_asked_again(
    client: TestClient, db: Session
) -> None:
    """She said yes to "the Jobcentre, not by phone"; before that reached us the appointment
    was moved to the Community Hall. Her yes was about another change: she is asked again."""
    setup = _set_up(client, db, AppointmentMode.phone)
    jobcentre = _slot(setup, db, TUE, setup.office)
    asked = _choose(client, setup, jobcentre)
    setup.appointment.mode = AppointmentMode.in_person
    setup.appointment.venue_id = setup.hall.id
    db.add(setup.appointment)
    db.flush()

    again = _send_confirm_form(client, asked.text)

    assert again.status_code == 200
    assert "The new time is at Riverside Jobcentre, not at Community Hall." in text(again.text)
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == london_datetime(date(2026, 6, 10), 14)


def test_a_longer_time_keeps_the_appointments_own_length_without_asking(
    client: TestClient, db: Session
) -> None:
    """Outside-in #4: a 45-minute appointment offered a 60-minute time asked the client to
    "confirm the length". The time takes the appointment's own length: nothing to confirm."""
    setup = _set_up(client, db)
    setup.appointment.duration_minutes = 45
    db.add(setup.appointment)
    db.flush()
    longer = _slot(setup, db, TUE, setup.office, minutes=60)
    assert longer.id is not None
    assert _labels(client.get(_page(setup)).text)[longer.id] == (
        "Tuesday 2 June, 3pm – Riverside Jobcentre, 45 minutes"
    )
    response = _choose(client, setup, longer)
    assert response.status_code == 303
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == longer.starts_at
    assert setup.appointment.duration_minutes == 45


def test_a_time_too_short_for_the_appointment_is_not_offered_or_taken(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    shorter = _slot(setup, db, TUE, setup.office, minutes=30)
    assert shorter.id not in _labels(client.get(_page(setup)).text)
    assert _choose(client, setup, shorter).status_code == 409
    _unchanged(db, setup, AppointmentMode.in_person, setup.office)


def test_the_same_place_and_length_is_changed_at_once(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    same = _slot(setup, db, TUE, setup.office)
    response = _choose(client, setup, same)
    assert response.status_code == 303
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == same.starts_at


def test_a_request_to_the_adviser_waits_for_the_yes_too(client: TestClient, db: Session) -> None:
    """Moved twice already, so the adviser is asked; their "accept" would move it there, so
    the client sees the difference before the request is made."""
    setup = _set_up(client, db)
    assert setup.appointment.id is not None
    for _ in range(policy.FREE_CHANGES):
        db.add(
            AppointmentChange(
                appointment_id=setup.appointment.id, actor_role="client", change=ChangeKind.moved
            )
        )
    db.flush()
    today = _slot(setup, db, THU, setup.hall)
    asked = _choose(client, setup, today, reason="nhs-appointment")
    assert heading(asked.text) == "This is at a different place"
    assert db.exec(select(RescheduleRequest)).all() == []

    sent = _send_confirm_form(client, asked.text)

    assert sent.headers["location"].endswith("?outcome=requested")
    request = db.exec(select(RescheduleRequest)).one()
    assert (request.wanted_slot_id, request.reason) == (today.id, "nhs-appointment")


# Later times, a week at a time


def _many_times(setup: Setup, db: Session) -> list[AvailabilitySlot]:
    """Two times a weekday from Tuesday 2 June for three weeks to Friday 19 June (28 times), then none for a
    week, then one on Wednesday 1 July."""
    slots = []
    day = TUE
    while day < date(2026, 6, 22):
        if day.weekday() < 5:
            slots += [_slot(setup, db, day, setup.office, hour=h) for h in (10, 15)]
        day += timedelta(days=1)
    slots.append(_slot(setup, db, date(2026, 7, 1), setup.office))
    return slots


def _offered(html: str) -> list[int]:
    return [int(str(i["value"])) for i in parse(html).select('input[name="slot"]')]


def test_later_times_a_week_at_a_time(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    slots = _many_times(setup, db)

    first = client.get(_page(setup))
    assert _offered(first.text) == [s.id for s in slots[:12]]  # to Tuesday 9 June, 3pm
    later = parse(first.text).find(id="later-times")
    assert later is not None and later.get_text() == "Show later times"
    assert later["href"] == f"{_page(setup)}?from=2026-06-10"

    week = client.get(str(later["href"]))
    assert week.status_code == 200
    # Wednesday 10 to Tuesday 16 June: five weekdays, two times each.
    assert _offered(week.text) == [s.id for s in slots[12:22]]
    assert "Free times from Wednesday 10 June to Tuesday 16 June" in text(week.text)
    assert parse(week.text).find("a", string="Back to the soonest times") is not None
    nxt = parse(week.text).find(id="later-times")
    assert nxt is not None and nxt["href"] == f"{_page(setup)}?from=2026-06-17"

    last_full = client.get(str(nxt["href"]))
    assert _offered(last_full.text) == [s.id for s in slots[22:28]]
    # The week after has no times: the link goes on to the next time there is.
    skip = parse(last_full.text).find(id="later-times")
    assert skip is not None and skip["href"] == f"{_page(setup)}?from=2026-07-01"
    end = client.get(str(skip["href"]))
    assert _offered(end.text) == [slots[28].id]
    assert parse(end.text).find(id="later-times") is None


def test_an_offered_time_far_ahead_is_shown_once_under_its_own_heading(
    client: TestClient, db: Session
) -> None:
    setup = _set_up(client, db)
    slots = _many_times(setup, db)
    far, soon = slots[-1], slots[3]  # Wednesday 1 July, weeks after the soonest twelve
    for slot in (far, soon):
        slot.offered_to_client_id = setup.profile.id
        db.add(slot)
    db.flush()
    first = parse(client.get(_page(setup)).text)
    group = first.select_one("#offered-times")
    assert group is not None
    legend = group.select_one("legend")
    assert legend is not None and legend.get_text(strip=True) == "Times your adviser offered"
    offered_ids = [int(str(i["value"])) for i in group.select('input[name="slot"]')]
    assert offered_ids == [soon.id, far.id]
    shown = _offered(str(first))
    assert len(shown) == len(set(shown)), "no time twice on the first page"
    # Every page of weeks after it: the offered times are never listed again.
    seen = set(shown)
    later = first.find(id="later-times")
    while later is not None:
        week = client.get(str(later["href"]))
        ids = _offered(week.text)
        assert not set(ids) & seen and not {far.id, soon.id} & set(ids)
        assert parse(week.text).select_one("#offered-times") is None
        seen |= set(ids)
        later = parse(week.text).find(id="later-times")
    assert seen == {s.id for s in slots}, "every time is on some page, once"


def test_an_offered_time_can_be_chosen_from_its_own_list(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    offered = _slot(setup, db, WED, setup.office)
    offered.offered_to_client_id = setup.profile.id
    db.add(offered)
    db.flush()
    chosen = _choose(client, setup, offered)
    assert chosen.status_code == 303
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == offered.starts_at


def test_a_day_is_never_split_so_no_time_is_shown_twice(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    slots = [
        _slot(setup, db, day, setup.office, hour=h)
        for day in (TUE, WED, THU, date(2026, 6, 5), date(2026, 6, 8))
        for h in (9, 10, 11, 14, 15)
    ]  # five a day: the twelfth time is Thursday's second
    first = _offered(client.get(_page(setup)).text)
    assert first == [s.id for s in slots[:15]]  # all of Thursday
    later = parse(client.get(_page(setup)).text).find(id="later-times")
    assert later is not None and later["href"] == f"{_page(setup)}?from=2026-06-05"
    second = _offered(client.get(str(later["href"])).text)
    assert set(first).isdisjoint(second)
    assert second == [s.id for s in slots[15:]]


def test_a_time_from_a_later_week_can_be_chosen(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    slots = _many_times(setup, db)
    page = f"{_page(setup)}?from=2026-06-17"
    token = csrf_from(client.get(page).text)

    # Nothing chosen: the same week again, not the soonest times.
    nothing = client.post(
        _page(setup), data={"week": "2026-06-17", "csrf_token": token}, follow_redirects=False
    )
    assert nothing.status_code == 400
    assert _offered(nothing.text) == [s.id for s in slots[22:28]]

    chosen = post_form(client, page, _page(setup), {"slot": str(slots[24].id)})
    assert chosen.status_code == 303
    db.refresh(setup.appointment)
    assert setup.appointment.starts_at == slots[24].starts_at


@pytest.mark.parametrize("value", ["", "nonsense", "2026-02-30", "2020-01-01", "2026-06-01"])
def test_an_odd_week_shows_the_soonest_times(client: TestClient, db: Session, value: str) -> None:
    setup = _set_up(client, db)
    slots = _many_times(setup, db)
    response = client.get(f"{_page(setup)}?from={value}")
    assert response.status_code == 200
    assert _offered(response.text) == [s.id for s in slots[:12]]


def test_a_week_with_no_times_says_so_and_leads_on(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    slots = _many_times(setup, db)
    response = client.get(f"{_page(setup)}?from=2026-06-23")
    assert _offered(response.text) == []
    assert "There are no free times from Tuesday 23 June." in text(response.text)
    later = parse(response.text).find(id="later-times")
    assert later is not None and str(later["href"]).endswith("from=2026-07-01")
    assert len(slots) == 29


# A cancelled appointment


def test_a_cancelled_appointment_leads_with_cancelled(client: TestClient, db: Session) -> None:
    setup = _set_up(client, db)
    page = f"/appointments/{setup.appointment.id}"
    assert heading(client.get(page).text) == "Wednesday 10 June, 2pm"

    setup.appointment.status = AppointmentStatus.cancelled
    db.add(setup.appointment)
    db.flush()
    response = client.get(page)

    assert heading(response.text) == "Cancelled"
    words = text(response.text)
    assert words.index("Cancelled") < words.index("Wednesday 10 June, 2pm")
    assert "This appointment on Wednesday 10 June, 2pm was cancelled. You do not need to go." in (
        words
    )
    assert "Change this" not in words


# In Welsh


def test_in_welsh(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    hall = Venue(office_id=adviser.office_id, name="Neuadd y Pentref", kind=VenueKind.community)
    db.add(hall)
    db.flush()
    profile, user = make_client(db, adviser, language="cy")
    appointment = make_appointment(
        db,
        profile,
        make_slot(db, adviser, london_datetime(date(2026, 6, 10), 14), mode=AppointmentMode.phone),
    )
    sign_in_client(client, db, user)
    slot = make_slot(db, adviser, london_datetime(TUE, 15), duration_minutes=90, venue_id=hall.id)
    page = f"/appointments/{appointment.id}/change"

    labels = _labels(client.get(page).text)
    assert slot.id is not None
    assert labels[slot.id].endswith("– Neuadd y Pentref, 60 munud | Lle gwahanol i'r un nawr")

    asked = post_form(client, page, page, {"slot": str(slot.id)})
    assert heading(asked.text) == "Mae hwn mewn lle gwahanol"
    assert "Mae'r amser newydd yn Neuadd y Pentref, nid dros y ffôn." in text(asked.text)
    assert "Ydy hynny'n iawn?" in text(asked.text)

    appointment.status = AppointmentStatus.cancelled
    db.add(appointment)
    db.flush()
    assert heading(client.get(f"/appointments/{appointment.id}").text) == "Wedi'i ganslo"


# The rule itself


def test_what_counts_as_a_different_place_or_length() -> None:
    def at(mode: str, venue: int | None, minutes: int = 60) -> policy.Arrangement:
        return policy.Arrangement(mode=mode, venue_id=venue, duration_minutes=minutes)

    place, length = policy.Difference.place, policy.Difference.length
    assert policy.differences(at("in-person", 1), at("in-person", 1)) == frozenset()
    assert policy.differences(at("in-person", 1), at("in-person", 2)) == {place}
    assert policy.differences(at("phone", 3), at("in-person", 3)) == {place}
    assert policy.differences(at("home-visit", 4), at("phone", 3, 45)) == {place, length}
    # A phone call is a phone call, whichever diary venue it is filed under.
    assert policy.differences(at("phone", 3), at("phone", 5)) == frozenset()
    assert policy.differences(at("in-person", 1), at("in-person", 1, 30)) == {length}
    # A yes is for one pair: from here to there.
    yes = policy.confirmation(at("phone", 3), at("in-person", 1))
    assert yes == "phone.60>in-person-1.60"
    assert yes != policy.confirmation(at("in-person", 2), at("in-person", 1))
