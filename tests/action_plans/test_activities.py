""" "Please book this for me" for a course: the adviser records what was booked with the
provider, and the client sees and is reminded of it as what it is (issue #17, 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.action_plans import service
from app.action_plans.models import PlanStep, StepStatus
from app.appointments.activities import cancel_activity
from app.appointments.activity_models import Activity
from app.core.clock import frozen_now, london_datetime, london_today
from app.core.forms import EXAMPLE_DAYS_AHEAD
from app.delivery.models import Notification, NotificationStatus
from app.people.models import Adviser, ClientProfile, DetailLevel, ReminderSettings, User
from app.reminders.activities import compose_activity_message
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


@dataclass
class Asked:
    profile: ClientProfile
    user: User
    adviser_user: User
    step: PlanStep


def _weekday_ahead(days: int) -> date:
    day = london_today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def asked(client: TestClient, db: Session) -> Asked:
    """A client who asked their adviser to book a course; the adviser is signed in."""
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = service.plan_for(session=db, client_id=profile.id)
    step = service.add_step(
        session=db, plan=plan, title="Confidence course", actor_user_id=None, actor_role="client"
    )
    service.ask_to_book(session=db, step=step, actor_user_id=user.id)
    sign_in_staff(client, adviser_user)
    return Asked(profile, user, adviser_user, step)


FORM = {
    "title": "Confidence course",
    "provider": "Mind in Leeds",
    "place": "Leeds Central Library, Calverley Street",
    "at": "10:00",
    "duration_minutes": "120",
    "bring": "Nothing, just yourself",
    "contact": "0113 000 0000",
}


def _record(client: TestClient, asked: Asked, **changes: str) -> object:
    plan = f"/adviser/clients/{asked.profile.id}/plan"
    form = {**FORM, "day": _weekday_ahead(10).isoformat(), **changes}
    return post_form(
        client,
        f"{plan}/steps/{asked.step.id}/activity",
        f"{plan}/steps/{asked.step.id}/activity",
        form,
    )


def test_the_adviser_records_a_course_and_the_client_sees_it_as_what_it_is(
    client: TestClient, db: Session, asked: Asked
) -> None:
    plan = f"/adviser/clients/{asked.profile.id}/plan"
    link = parse(client.get(plan).text).select_one(
        f'a[href="{plan}/steps/{asked.step.id}/activity"]'
    )
    assert link is not None and "Record a course or group booked with a provider" in link.get_text()
    response = _record(client, asked)
    assert response.status_code == 303  # type: ignore[attr-defined]
    db.refresh(asked.step)
    activity = db.get(Activity, asked.step.booked_activity_id)
    assert activity is not None and activity.provider == "Mind in Leeds"

    client.cookies.clear()
    sign_in_client(client, db, asked.user)
    plan_page = client.get("/plan").text
    assert "your adviser will book this" not in plan_page
    assert f'href="/activities/{activity.id}"' in plan_page
    page = parse(client.get(f"/activities/{activity.id}").text)
    details = " ".join(page.select_one("#activity-details").get_text(" ").split())  # type: ignore[union-attr]
    for words in (
        "Mind in Leeds",
        "Leeds Central Library",
        "120 minutes",
        "Nothing, just yourself",
        "0113 000 0000",
    ):
        assert words in details
    assert "app-keep-lines" not in details and "<span" not in details  # markup is not shown
    assert page.select_one("#activity-title").get_text() == "Confidence course"  # type: ignore[union-attr]
    assert "adviser will call" not in page.get_text().lower()
    home = parse(client.get("/home").text).select_one("#activities")
    assert home is not None and "Confidence course" in home.get_text()


@pytest.mark.parametrize("interview_days", [3, 20])
def test_home_shows_first_what_comes_first(
    client: TestClient, db: Session, asked: Asked, interview_days: int
) -> None:
    adviser = db.get(Adviser, asked.profile.adviser_id)
    assert adviser is not None
    slot = make_slot(db, adviser, london_datetime(_weekday_ahead(interview_days), 11, 0))
    make_appointment(db, asked.profile, slot)
    _record(client, asked)  # the course is ten weekdays or so ahead
    client.cookies.clear()
    sign_in_client(client, db, asked.user)
    page = client.get("/home").text
    course_first = page.index('href="/activities/') < page.index('id="next-appointment"')
    assert course_first == (interview_days == 20)
    if not course_first:  # after the next appointment: in the one list of what comes later
        later = parse(page).find(id="coming-up")
        assert later is not None and "Booked for you: Confidence course" in later.get_text()


def test_later_appointments_and_courses_are_one_list_by_time(
    client: TestClient, db: Session, asked: Asked
) -> None:
    adviser = db.get(Adviser, asked.profile.adviser_id)
    assert adviser is not None
    for days in (3, 25):
        make_appointment(
            db, asked.profile, make_slot(db, adviser, london_datetime(_weekday_ahead(days), 11))
        )
    _record(client, asked)  # ten weekdays or so ahead: between the two
    client.cookies.clear()
    sign_in_client(client, db, asked.user)
    later = parse(client.get("/home").text).find(id="coming-up")
    assert later is not None
    lines = [li.get_text(" ", strip=True) for li in later.find_all("li")]
    assert len(lines) == 2
    assert lines[0].startswith("Booked for you: Confidence course")
    assert lines[1].startswith("Appointment,")


def test_its_calendar_file_is_discreet_unless_the_client_chose_detail(
    client: TestClient, db: Session, asked: Asked
) -> None:
    _record(client, asked)
    db.refresh(asked.step)
    client.cookies.clear()
    sign_in_client(client, db, asked.user)
    ics = client.get(f"/activities/{asked.step.booked_activity_id}/calendar.ics").text
    assert "SUMMARY:Something booked for you" in ics and "Confidence" not in ics
    # Where to go is what she needs on the day: the place is always there (the adviser is
    # asked to write an address there, not a name that says what it is).
    assert "LOCATION:Leeds Central Library" in ics.replace("\r\n ", "")
    assert asked.profile.id is not None
    db.add(ReminderSettings(client_id=asked.profile.id, detail=DetailLevel.detailed))
    db.flush()
    ics = client.get(f"/activities/{asked.step.booked_activity_id}/calendar.ics").text
    assert "SUMMARY:Confidence course" in ics and "Leeds Central Library" in ics


def test_the_private_calendar_feed_has_the_course_too(
    client: TestClient, db: Session, asked: Asked
) -> None:
    _record(client, asked)
    client.cookies.clear()
    sign_in_client(client, db, asked.user)
    response = post_form(client, "/account", "/account/calendar-link", {})
    link = parse(response.text).find(id="calendar-link")
    assert link is not None
    path = "/calendar/" + link.get_text(strip=True).rsplit("/calendar/", 1)[1]
    client.cookies.clear()
    feed = client.get(path).text.replace("\r\n ", "")
    assert "SUMMARY:Something booked for you" in feed
    assert "LOCATION:Leeds Central Library" in feed


def test_a_mistake_in_the_form_comes_back_with_what_was_typed(
    client: TestClient, db: Session, asked: Asked
) -> None:
    response = _record(client, asked, title="", day="2026-02-30")
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = parse(response.text)  # type: ignore[attr-defined]
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None and "Enter what it is" in summary.get_text()
    provider = page.select_one("#provider")
    assert provider is not None and provider["value"] == "Mind in Leeds"
    assert db.exec(select(Activity)).first() is None


def test_nobody_else_sees_it(client: TestClient, db: Session, asked: Asked) -> None:
    _record(client, asked)
    db.refresh(asked.step)
    _other_profile, other_user = make_client(db, None, name="Other Client")
    client.cookies.clear()
    sign_in_client(client, db, other_user)
    assert client.get(f"/activities/{asked.step.booked_activity_id}").status_code == 404


def test_it_is_confirmed_and_reminded_as_itself_and_calling_it_off_stops_that(
    client: TestClient, db: Session, asked: Asked
) -> None:
    _record(client, asked)
    db.refresh(asked.step)
    activity = db.get(Activity, asked.step.booked_activity_id)
    assert activity is not None and activity.id is not None
    rows = db.exec(
        select(Notification)
        .where(Notification.subject == f"activity:{activity.id}")
        .order_by(col(Notification.due_at))
    ).all()
    assert [row.wording for row in rows] == [
        "activity-booked",
        "activity-reminder",
        "activity-reminder",
    ]
    rows[0].status, rows[0].sent_at = NotificationStatus.sent, rows[0].due_at  # told at once
    db.add(rows[0])
    db.flush()
    day_before = rows[1]
    with frozen_now(day_before.due_at):
        composed = compose_activity_message(db, day_before, day_before.due_at)
    assert composed.message.body == "Reminder: you have something booked tomorrow at 10am."  # type: ignore[union-attr]
    cancel_activity(session=db, activity=activity)
    reminders = db.exec(
        select(Notification.status).where(
            Notification.subject == f"activity:{activity.id}",
            Notification.wording == "activity-reminder",
        )
    ).all()
    assert set(reminders) == {NotificationStatus.cancelled}


def test_please_book_this_for_me_is_a_clear_choice_above_the_step_form(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    assert profile.id is not None
    plan = service.plan_for(session=db, client_id=profile.id)
    step = service.add_step(
        session=db, plan=plan, title="Find a course", actor_user_id=None, actor_role="client"
    )
    sign_in_client(client, db, user)
    page = parse(client.get(f"/plan/steps/{step.id}").text)
    box = page.select_one("#book-for-me")
    assert box is not None and box.find(
        "button", string=lambda s: s and "Please book this for me" in s
    )
    forms = page.select("main form")
    assert str(forms[0].get("action")).endswith("/book-for-me")


def test_one_booking_per_step_and_only_for_a_step_that_asked(
    client: TestClient, db: Session, asked: Asked
) -> None:
    _record(client, asked)
    again = _record(client, asked, title="Confidence course, again")  # another tab, or back
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert len(db.exec(select(Activity)).all()) == 1
    assert asked.profile.id is not None
    plan = service.plan_for(session=db, client_id=asked.profile.id)
    not_asked = service.add_step(
        session=db, plan=plan, title="Walk", actor_user_id=None, actor_role="client"
    )
    path = f"/adviser/clients/{asked.profile.id}/plan/steps/{not_asked.id}/activity"
    form = {**FORM, "day": _weekday_ahead(10).isoformat()}
    assert post_form(client, path, path, form).status_code == 303
    assert len(db.exec(select(Activity)).all()) == 1


def test_a_time_already_gone_is_refused(client: TestClient, db: Session, asked: Asked) -> None:
    response = _record(client, asked, day=london_today().isoformat(), at="00:01")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Choose a time that is still to come" in response.text  # type: ignore[attr-defined]


def test_new_reminder_settings_replan_its_reminders(
    client: TestClient, db: Session, asked: Asked
) -> None:
    from app.reminders.activities import replan_activities

    _record(client, asked)
    assert asked.profile.id is not None
    db.add(ReminderSettings(client_id=asked.profile.id, lead_times="day-before", version=1))
    db.flush()
    replan_activities(db, asked.profile)
    waiting = db.exec(
        select(Notification.wording, Notification.idempotency_key).where(
            col(Notification.subject).startswith("activity:"),
            Notification.status == NotificationStatus.pending,
        )
    ).all()
    reminders = [key for wording, key in waiting if wording == "activity-reminder"]
    assert len(reminders) == 1 and "reminder-day-before" in reminders[0]
    assert "activity-booked" in [wording for wording, _key in waiting]  # still to go


def test_a_step_done_without_booking_leaves_the_advisers_list(
    client: TestClient, db: Session, asked: Asked
) -> None:
    assert asked.profile.id is not None
    waiting = service.waiting_to_be_booked(session=db, client_ids=[asked.profile.id])
    assert [step.id for step, _ in waiting] == [asked.step.id]
    asked.step.status = StepStatus.done  # the client found their own way
    db.add(asked.step)
    db.flush()
    assert service.waiting_to_be_booked(session=db, client_ids=[asked.profile.id]) == []
    page = client.get(f"/adviser/clients/{asked.profile.id}/plan").text
    assert "the client asked you to book this" not in page


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"day": ""}, "Enter the date"),
        ({"at": ""}, "Enter the start time"),
        ({"day": "2027-02-29"}, "Enter a real date, like {example}"),
        ({"day": "2027-04-31"}, "Enter a real date, like {example}"),
    ],
)
def test_a_date_left_empty_or_that_does_not_exist_is_told_so(
    client: TestClient, asked: Asked, changes: dict[str, str], said: str
) -> None:
    """Empty, or 29 February in a common year, is not "out of range": each is said for what it
    is, and the example is a real date a month ahead, never a fixed one gone by."""
    answer = _record(client, asked, **changes)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    summary = parse(answer.text).select_one(".govuk-error-summary")  # type: ignore[attr-defined]
    assert summary is not None
    example = (london_today() + timedelta(days=EXAMPLE_DAYS_AHEAD)).isoformat()
    assert said.format(example=example) in summary.get_text()
    assert "from today to a year ahead" not in summary.get_text()
