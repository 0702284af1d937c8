"""A message about a moved appointment says every change the client must act on: the time,
the place, and phone or in person, in discreet words (no place name on a lock screen), in
English and Welsh; and it says so whichever message about the new version goes first
(outside-in pass, reminders and texts, item 2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from app.appointments.booking import move_to_slot
from app.appointments.models import AppointmentMode
from app.core.clock import frozen_now, london_datetime
from app.delivery.models import Notification, NotificationKind
from app.offices.models import Venue, VenueKind
from app.people.models import ReminderSettings
from tests.factories import make_adviser, make_appointment, make_client, make_office, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.timeline import run_until

MONDAY, THURSDAY, FRIDAY = date(2026, 12, 7), date(2026, 12, 10), date(2026, 12, 11)


def _venue(session: Session, name: str, kind: VenueKind = VenueKind.office) -> int:
    office = make_office(session)
    assert office.id is not None
    venue = Venue(office_id=office.id, name=name, kind=kind)
    session.add(venue)
    session.flush()
    assert venue.id is not None
    return venue.id


def _moved_text(
    outbox: Outbox,
    fake_notify: FakeNotify,
    committed: Callable[[], Session],
    *,
    to_venue: str | None,
    to_mode: AppointmentMode = AppointmentMode.in_person,
    same_time: bool = True,
    language: str = "en",
) -> list[str]:
    """Book Thursday 2pm at Job Centre Plus Riverside, then (with the booking told) move it."""
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser, language=language)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False, lead_times="day-before"))
        first = _venue(session, "Jobcentre Plus Riverside")
        slot = make_slot(session, adviser, london_datetime(THURSDAY, 14), venue_id=first)
        appointment = make_appointment(session, profile, slot)
        session.commit()
    run_until(outbox, fake_notify, str(user.phone), london_datetime(MONDAY, 11))
    with frozen_now(london_datetime(MONDAY, 12)):
        venue_id = _venue(session, to_venue) if to_venue else None
        when = london_datetime(THURSDAY if same_time else FRIDAY, 14 if same_time else 11)
        new_slot = make_slot(session, adviser, when, venue_id=venue_id, mode=to_mode)
        move_to_slot(
            session=session,
            appointment=appointment,
            slot=new_slot,
            actor_user_id=adviser_user.id,
            actor_role="adviser",
        )
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(FRIDAY, 12))
    return [a.body for a in arrivals]


def test_a_discreet_moved_text_says_the_place_changed_without_naming_it(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    texts = _moved_text(outbox, fake_notify, committed, to_venue="Jobcentre Plus Hillside")
    assert texts[0] == (
        "Your appointment has moved. It is now on Thursday 10 December at 2pm. "
        "The place has changed."
    )
    assert all("Jobcentre" not in text for text in texts)
    # The day-before reminder has nothing new to say about the place.
    assert texts[1] == "Reminder: you have an appointment tomorrow at 2pm."


def test_a_moved_text_says_it_is_now_a_phone_call(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    texts = _moved_text(
        outbox,
        fake_notify,
        committed,
        to_venue=None,
        to_mode=AppointmentMode.phone,
        same_time=False,
    )
    assert texts[0] == (
        "Your appointment has moved. It is now on Friday 11 December at 11am. "
        "Your adviser will phone you instead."
    )


def test_a_welsh_moved_text_says_the_place_changed(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    texts = _moved_text(
        outbox, fake_notify, committed, to_venue="Jobcentre Plus Hillside", language="cy"
    )
    assert "Mae'r lle wedi newid." in texts[0]
    assert "Jobcentre" not in texts[0]


def test_a_reminder_that_goes_before_the_moved_text_says_the_place_changed(
    outbox: Outbox, fake_notify: FakeNotify, committed: Callable[[], Session]
) -> None:
    """The "moved" text held back (a provider outage) until after the reminder: the reminder
    is the first the client hears of the new version, so it carries the change."""
    session = committed()
    with frozen_now(london_datetime(MONDAY, 10)):
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser)
        assert profile.id is not None
        session.add(ReminderSettings(client_id=profile.id, push_on=False, lead_times="day-before"))
        first = _venue(session, "Riverside")
        slot = make_slot(session, adviser, london_datetime(THURSDAY, 14), venue_id=first)
        appointment = make_appointment(session, profile, slot)
        session.commit()
    run_until(outbox, fake_notify, str(user.phone), london_datetime(MONDAY, 11))
    with frozen_now(london_datetime(MONDAY, 12)):
        other = _venue(session, "Hillside")
        new_slot = make_slot(session, adviser, london_datetime(THURSDAY, 14), venue_id=other)
        move_to_slot(
            session=session,
            appointment=appointment,
            slot=new_slot,
            actor_user_id=adviser_user.id,
            actor_role="adviser",
        )
        moved = session.exec(
            select(Notification).where(
                Notification.user_id == user.id,
                Notification.kind == NotificationKind.confirmation,
                Notification.status == "pending",
            )
        ).one()
        moved.next_attempt_at = london_datetime(THURSDAY, 9)
        session.add(moved)
        session.commit()
    arrivals = run_until(outbox, fake_notify, str(user.phone), london_datetime(FRIDAY, 12))
    assert [a.body for a in arrivals] == [
        "Reminder: you have an appointment tomorrow at 2pm. The place has changed."
    ]
