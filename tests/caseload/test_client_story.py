"""The client's story on one screen (#18): the record reads in the order an adviser asks
"what do I need to know before I ring this person?"."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service as plans
from app.appointments.activities import book_activity
from app.appointments.models import HelpKind
from app.appointments.needs import keep_need
from app.caseload import repository as caseload_repository
from app.caseload.rows import caseload_rows
from app.core.clock import frozen_now, london_datetime, london_today, utcnow
from app.messages import service as messages
from app.messages.models import CallTime
from app.rescheduling.models import RequestKind, RescheduleRequest
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_staff
from tests.html import parse, text

STORY = [
    "Needs and preferences",
    "What's next",
    "Messages with the client",
    "Plan steps due",
    "What has changed",
    "Appointments",
]


def test_the_record_tells_the_story_in_order(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Rhys Story")
    assert profile.id is not None
    keep_need(session=db, client_id=profile.id, kind=HelpKind.private_room, detail=None)
    day = london_today() + timedelta(days=6)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    book_activity(
        session=db,
        client_id=profile.id,
        title="Confidence course",
        provider="Leeds City College",
        place="Park Lane",
        starts_at=utcnow() + timedelta(days=9),
        duration_minutes=120,
        bring="",
        contact="",
        actor_user_id=adviser_user.id,
    )
    plan = plans.plan_for(session=db, client_id=profile.id)
    due = plans.add_step(
        session=db, plan=plan, title="Update my CV", actor_user_id=None, actor_role="client"
    )
    due.target_on, due.no_rush = london_today() + timedelta(days=3), False
    later = plans.add_step(
        session=db, plan=plan, title="Visit the library", actor_user_id=None, actor_role="client"
    )
    later.target_on, later.no_rush = london_today() + timedelta(days=60), False
    asked = plans.add_step(
        session=db, plan=plan, title="Book me a course", actor_user_id=None, actor_role="client"
    )
    plans.ask_to_book(session=db, step=asked, actor_user_id=user.id)
    messages.write_as_client(session=db, profile=profile, user=user, body="Can we talk?")
    db.flush()

    sign_in_staff(client, adviser_user)
    page = parse(client.get(f"/adviser/clients/{profile.id}").text)
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    positions = [headings.index(h) for h in STORY]
    assert positions == sorted(positions), headings

    next_up = text(str(page.find(id="whats-next-list")))
    assert "(interview 1 of 6)" in next_up and "Confidence course" in next_up
    steps = page.find(id="steps-due")
    assert steps is not None
    due_list = text(str(steps.find_next("ul")))
    assert "Update my CV" in due_list
    assert "Book me a course – the client asked you to book this" in due_list
    assert "Visit the library" not in due_list  # two months away: not due


def test_a_request_says_which_time_the_client_chose(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Tomos Chooser")
    assert profile.id is not None
    day = london_today() + timedelta(days=8)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    appointment = make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    wanted = make_slot(db, adviser, london_datetime(day + timedelta(days=1), 14), 45)
    db.add(
        RescheduleRequest(
            appointment_id=appointment.id,
            client_id=profile.id,
            kind=RequestKind.change,
            wanted_slot_id=wanted.id,
        )
    )
    db.flush()
    sign_in_staff(client, adviser_user)
    page = parse(client.get(f"/adviser/clients/{profile.id}").text)
    chose = page.select_one("[id^=wanted-]")
    assert chose is not None
    assert "They chose:" in chose.get_text() and "45 minutes" in chose.get_text()


def test_last_contact_counts_a_reply_and_a_call(db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _user = make_client(db, adviser, name="Theo Contact")
    assert adviser.id is not None and profile.id is not None
    adviser_id = adviser.id

    def last() -> object:
        everyone = caseload_repository.caseload(session=db, adviser_id=adviser_id)
        (row,) = [
            r
            for r in caseload_rows(session=db, adviser_id=adviser_id, caseload=everyone)
            if r.profile.id == profile.id
        ]
        return row.last_contact

    assert last() is None
    with frozen_now(london_datetime(london_today(), 9)):
        messages.reply_as_adviser(session=db, profile=profile, adviser_user=adviser_user, body="Hi")
    assert last() == london_datetime(london_today(), 9)
    call = messages.ask_for_call(session=db, profile=profile, suits=CallTime.any)
    call.done_at = london_datetime(london_today(), 11)
    db.add(call)
    db.flush()
    assert last() == london_datetime(london_today(), 11)
