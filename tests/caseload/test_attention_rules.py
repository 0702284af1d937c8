"""One rule test per kind of line the adviser's attention list can show: the situation makes
it appear, and the natural action, by whichever route it is taken (the adviser, the client, a
service function the worker or CLI would call), makes it leave. A new kind added to
app/caseload/attention.py (AttentionKind, a RequestKind, a TaskKind) fails
test_every_kind_has_a_rule until a rule is written here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans import service as plans
from app.appointments.availability import publish
from app.appointments.booking import book_slot, cancel, move_to_slot
from app.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentStatus,
    HelpKind,
    HelpRequest,
)
from app.caseload.attention import every_kind
from app.caseload.models import ClientService, ServiceKind
from app.core.clock import london_today, utcnow
from app.delivery.models import Channel, Notification, NotificationKind, NotificationStatus
from app.people.models import Adviser, AdviserTask, ClientProfile, ClientStatus, TaskKind, User
from app.rescheduling.models import BusyTime, RequestKind, RescheduleRequest
from tests.factories import make_adviser, make_client, post_form, sign_in_client, sign_in_staff
from tests.html import parse


@dataclass
class Desk:
    """An adviser signed in on one browser, their client (signed in on another when asked)."""

    db: Session
    adviser: Adviser
    adviser_user: User
    staff: TestClient  # the adviser's browser
    phone: TestClient  # the client's browser
    profile: ClientProfile
    user: User

    @property
    def client_id(self) -> int:
        assert self.profile.id is not None
        return self.profile.id

    @property
    def adviser_id(self) -> int:
        assert self.adviser.id is not None
        return self.adviser.id

    @property
    def record(self) -> str:
        return f"/adviser/clients/{self.profile.id}"

    def attention(self) -> str:
        block = parse(self.staff.get("/adviser").text).find(id="attention")
        return " ".join(block.get_text(" ").split()).replace(" :", ":") if block else ""

    def client_signs_in(self) -> None:
        sign_in_client(self.phone, self.db, self.user)

    def book(self, days: int, **kwargs: object) -> Appointment:
        slot = publish(
            session=self.db,
            adviser_id=self.adviser_id,
            day=london_today() + timedelta(days=days),
            hour=14,
            minute=0,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=None,
        )[0]
        return book_slot(
            session=self.db,
            slot=slot,
            client_id=self.client_id,
            kind=kwargs.get("kind", AppointmentKind.wfi),  # type: ignore[arg-type]
            wfi_number=kwargs.get("wfi_number"),  # type: ignore[arg-type]
            actor_user_id=None,
            actor_role="adviser",
        )


NAME = "Rhian Rule"


@pytest.fixture
def desk(client: TestClient, db: Session) -> Iterator[Desk]:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name=NAME)
    sign_in_staff(client, adviser_user)
    with TestClient(
        client.app, base_url="http://127.0.0.1", headers={"accept": "text/html"}
    ) as phone:
        yield Desk(db, adviser, adviser_user, client, phone, profile, user)


def _weekday_ahead(days: int) -> date:
    day = london_today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# Each rule: make the situation, see the line, do the natural thing, see it gone.


def help_rule(d: Desk) -> None:
    appointment = d.book(5, wfi_number=1)
    request = HelpRequest(appointment_id=appointment.id or 0, kind=HelpKind.interpreter)
    d.db.add(request)
    d.db.flush()
    assert f"{NAME}: asked for help before an appointment" in d.attention()
    post_form(d.staff, d.record, f"{d.record}/help/{request.id}", {"answer": "arranged"})
    assert NAME not in d.attention()


def review_due_rule(d: Desk) -> None:
    d.profile.status, d.profile.paused_until = ClientStatus.paused, london_today()
    d.db.add(d.profile)
    d.db.flush()
    assert f"{NAME}: pause review date has come" in d.attention()
    post_form(d.staff, d.record, f"{d.record}/resume", {})
    assert NAME not in d.attention()


def after_sixth_rule(d: Desk) -> None:
    sixth = d.book(1, wfi_number=6)
    sixth.status = AppointmentStatus.attended
    d.db.add(sixth)
    d.db.flush()
    assert f"{NAME}: after the sixth interview" in d.attention()
    d.book(20, kind=AppointmentKind.check_in)
    assert NAME not in d.attention()


def referral_ended_rule(d: Desk) -> None:
    service = ClientService(client_id=d.client_id, kind=ServiceKind.cmp, status="ended")
    d.db.add(service)
    d.db.flush()
    assert f"{NAME}: a referral ended: follow up" in d.attention()
    post_form(d.staff, d.record, f"{d.record}/services/{service.id}", {"action": "followed-up"})
    assert NAME not in d.attention()


def missed_rule(d: Desk) -> None:
    missed = d.book(1, wfi_number=2)
    missed.status = AppointmentStatus.missed
    d.db.add(missed)
    d.db.flush()
    assert f"{NAME}: missed an appointment" in d.attention()
    d.book(9, wfi_number=2)
    assert NAME not in d.attention()


def unrecorded_rule(d: Desk) -> None:
    """Over and still "booked": nobody said whether they came (#18 outside-in: interviews
    nobody recorded never reached the list, so contact could quietly stop)."""
    over = d.book(1, wfi_number=3)
    over.starts_at = utcnow() - timedelta(hours=2)
    d.db.add(over)
    d.db.flush()
    assert f"{NAME}: the appointment on" in d.attention()
    assert "is over: record whether they came" in d.attention()
    post_form(
        d.staff, d.record, f"{d.record}/appointments/{over.id}/outcome", {"outcome": "attended"}
    )
    assert NAME not in d.attention()


def unreachable_rule(d: Desk) -> None:
    def message(n: int, status: NotificationStatus) -> None:
        now = utcnow()
        d.db.add(
            Notification(
                idempotency_key=f"rule-{d.profile.id}-{n}",
                subject=f"client:{d.profile.id}",
                kind=NotificationKind.reminder,
                user_id=d.user.id,
                channel=Channel.auto,
                recipient=d.user.phone,
                body="Reminder",
                due_at=now,
                next_attempt_at=now,
                status=status,
            )
        )
        d.db.flush()

    message(1, NotificationStatus.failed_permanent)
    assert f"{NAME}: our messages are not reaching them" in d.attention()
    message(2, NotificationStatus.delivered)  # the worker got one through
    assert NAME not in d.attention()


def clash_rule(d: Desk) -> None:
    appointment = d.book(3, wfi_number=1)
    local_day = (london_today() + timedelta(days=3)).weekday()
    d.db.add(BusyTime(client_id=d.client_id, weekday=local_day, starts=time(13), ends=time(16)))
    d.db.flush()
    assert f"{NAME}: the appointment on" in d.attention()
    record = parse(d.staff.get(d.record).text)
    assert record.find(id=f"clash-{appointment.id}") is not None  # on the record too
    cancel(session=d.db, appointment=appointment, actor_user_id=d.user.id, actor_role="client")
    d.db.flush()
    assert NAME not in d.attention()
    assert parse(d.staff.get(d.record).text).find(id=f"clash-{appointment.id}") is None


def message_rule(d: Desk) -> None:
    d.client_signs_in()
    post_form(d.phone, "/messages", "/messages", {"body": "Can we talk on Friday?\nThanks"})
    assert f"{NAME}: sent you a message" in d.attention()
    inbox = parse(d.staff.get("/adviser/messages").text)
    assert "Can we talk on Friday?" in inbox.get_text()
    d.staff.get(d.record)  # looking is not answering: it stays until answered (#18)
    assert f"{NAME}: sent you a message" in d.attention()
    post_form(d.staff, d.record, f"{d.record}/messages/read", {})  # read, no reply needed
    assert NAME not in d.attention()
    assert parse(d.staff.get("/adviser/messages").text).find(id="inbox-empty") is not None


def call_rule(d: Desk) -> None:
    d.client_signs_in()
    post_form(d.phone, "/contact", "/contact/call-me", {"suits": "any"})
    assert f"{NAME}: asked you to call them (any time the office is open)" in d.attention()
    record = parse(d.staff.get(d.record).text)
    form = record.find("form", action=lambda a: bool(a) and "/calls/" in a)
    assert form is not None
    post_form(d.staff, d.record, str(form["action"]), {})
    assert NAME not in d.attention()


def call_promised_rule(d: Desk) -> None:
    """Answering a request with "I will call" closes the request but not the promise: a call
    stays on the list (and on the record's story) until the adviser says they have called."""
    d.client_signs_in()
    post_form(d.phone, "/home", "/not-well-enough", {})
    record = parse(d.staff.get(d.record).text)
    answer = record.find("form", action=lambda a: bool(a) and "/adviser/requests/" in a)
    assert answer is not None
    response = post_form(d.staff, d.record, str(answer["action"]), {"answer": "arrange-call"})
    assert response.status_code == 303
    attention = d.attention()
    assert "not well enough" not in attention
    assert f"{NAME}: you said you would call them" in attention
    story = parse(d.staff.get(d.record).text).get_text(" ")
    assert "you said you would call the client" in " ".join(story.split())
    contact = parse(d.phone.get("/contact").text).find(id="call-asked")
    assert contact is not None and "Your adviser will ring you" in contact.get_text()
    assert "You have asked" not in contact.get_text()
    form = parse(d.staff.get(d.record).text).find(
        "form", action=lambda a: bool(a) and "/calls/" in a
    )
    assert form is not None
    post_form(d.staff, d.record, str(form["action"]), {})
    assert NAME not in d.attention()


def check_in_rule(d: Desk) -> None:
    d.client_signs_in()
    post_form(d.phone, "/check-in", "/check-in", {"answer": "call-me"})
    assert f"{NAME}: answered a check-in: would like a call" in d.attention()
    answers = parse(d.staff.get(d.record).text).find(id="check-in-answers")
    assert answers is not None and "Waiting for you" in answers.get_text()
    # Writing to the client answers it...
    post_form(d.staff, d.record, f"{d.record}/messages", {"reply": "I will ring you at 2."})
    assert NAME not in d.attention()
    # ...and so does marking it dealt with; "not yet" never asks for anything.
    post_form(d.phone, "/check-in", "/check-in", {"answer": "ready"})
    assert f"{NAME}: answered a check-in: ready to talk about next steps" in d.attention()
    form = parse(d.staff.get(d.record).text).find(
        "form", action=lambda a: bool(a) and "/check-ins/" in a
    )
    assert form is not None
    post_form(d.staff, d.record, str(form["action"]), {})
    assert NAME not in d.attention()
    post_form(d.phone, "/check-in", "/check-in", {"answer": "not-yet"})
    assert NAME not in d.attention()
    answers = parse(d.staff.get(d.record).text).find(id="check-in-answers")
    assert answers is not None
    lines = [li.get_text(" ", strip=True) for li in answers.find_all("li")]
    assert "not yet" in lines[0] and "call them" in lines[-1]  # newest first


def job_clash_rule(d: Desk) -> None:
    interview = d.book(10, wfi_number=2)
    started = london_today() + timedelta(days=7)
    post_form(
        d.staff,
        d.record,
        f"{d.record}/job-start",
        {"started_on": started.isoformat(), "hours": "20"},
    )
    assert f"{NAME}: starts work on" in d.attention()
    assert "is still booked" in d.attention()
    assert parse(d.staff.get(d.record).text).find(id=f"job-clash-{interview.id}") is not None
    cancel(session=d.db, appointment=interview, actor_user_id=None, actor_role="adviser")
    d.db.flush()
    assert "still booked" not in d.attention()


def not_well_rule(d: Desk) -> None:
    d.client_signs_in()
    post_form(d.phone, "/home", "/not-well-enough", {})
    assert f"{NAME}: not well enough right now" in d.attention()
    review = (london_today() + timedelta(weeks=4)).isoformat()
    response = post_form(
        d.staff, d.record, f"{d.record}/defer", {"review_on": review, "reason": "health"}
    )
    assert response.status_code == 303
    assert "not well enough" not in d.attention()
    # Said again during the pause (for something booked since, or not): the client is told
    # their adviser will be in touch, so it asks again until the adviser acts.
    post_form(d.phone, "/home", "/not-well-enough", {})
    assert f"{NAME}: not well enough right now" in d.attention()


def change_request_rule(d: Desk) -> None:
    appointment = d.book(6, wfi_number=1)
    request = RescheduleRequest(
        client_id=d.client_id, appointment_id=appointment.id, kind=RequestKind.change
    )
    d.db.add(request)
    d.db.flush()
    assert f"{NAME}: asked for a new time" in d.attention()
    record = parse(d.staff.get(d.record).text)
    assert record.find(id=f"request-{request.id}") is not None
    about = record.find(id=f"about-{request.id}")  # which appointment, when there are two
    assert about is not None and about.get_text().startswith("About the appointment on ")
    # Moved by the adviser from the record (not by answering the request): it is answered.
    slot = publish(
        session=d.db,
        adviser_id=d.adviser_id,
        day=_weekday_ahead(8),
        hour=15,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
    )[0]
    move_to_slot(
        session=d.db, appointment=appointment, slot=slot, actor_user_id=None, actor_role="adviser"
    )
    d.db.flush()
    assert "asked for a new time" not in d.attention()
    assert parse(d.staff.get(d.record).text).find(id=f"request-{request.id}") is None


def change_request_after_a_missed_time_rule(d: Desk) -> None:
    """A new time asked for after a missed appointment waits until one is booked."""
    missed = d.book(1, wfi_number=1)
    missed.status = AppointmentStatus.missed
    d.db.add(missed)
    d.db.flush()
    d.db.add(
        RescheduleRequest(client_id=d.client_id, appointment_id=missed.id, kind=RequestKind.change)
    )
    d.db.flush()
    assert f"{NAME}: asked for a new time" in d.attention()
    d.book(9, wfi_number=1)
    assert "asked for a new time" not in d.attention()


def book_rule(d: Desk) -> None:
    assert d.profile.id is not None
    plan = plans.plan_for(session=d.db, client_id=d.client_id)
    step = plans.add_step(
        session=d.db, plan=plan, title="Confidence course", actor_user_id=None, actor_role="client"
    )
    d.client_signs_in()
    post_form(d.phone, f"/plan/steps/{step.id}", f"/plan/steps/{step.id}/book-for-me", {})
    assert f"{NAME}: asked you to book: Confidence course" in d.attention()
    path = f"{d.record}/plan/steps/{step.id}/activity"
    response = post_form(
        d.staff,
        path,
        path,
        {
            "title": "Confidence course",
            "provider": "Mind in Leeds",
            "place": "Leeds Central Library",
            "day": _weekday_ahead(10).isoformat(),
            "at": "10:00",
            "duration_minutes": "120",
            "bring": "Nothing",
            "contact": "0113 000 0000",
        },
    )
    assert response.status_code == 303, response.text
    assert NAME not in d.attention()


TASK_WORDS = {
    TaskKind.close_account: "asked to close their account",
    TaskKind.invitation_pending: "invitation-pending",
    TaskKind.talk_to_someone: "would like to talk to someone who has been through this",
    TaskKind.in_work_check_in: "first weeks in work",
    TaskKind.check_in_ready: "answered a check-in: ready to talk",
    TaskKind.call_me: "answered a check-in: would like a call",
}


def task_rule(kind: TaskKind) -> Callable[[Desk], None]:
    """A task is on the list until the adviser marks it done (tasks made before check-in
    answers were kept still show this way)."""

    def rule(d: Desk) -> None:
        due = london_today() if kind == TaskKind.in_work_check_in else None
        task = AdviserTask(adviser_id=d.adviser_id, client_id=d.client_id, kind=kind, due_on=due)
        d.db.add(task)
        d.db.flush()
        assert f"{NAME}: {TASK_WORDS[kind]}" in d.attention()
        post_form(d.staff, "/adviser", f"/adviser/tasks/{task.id}/done", {})
        assert NAME not in d.attention()

    return rule


RULES: dict[str, Callable[[Desk], None]] = {
    "help": help_rule,
    "review-due": review_due_rule,
    "after-sixth": after_sixth_rule,
    "referral-ended": referral_ended_rule,
    "missed": missed_rule,
    "unrecorded": unrecorded_rule,
    "unreachable": unreachable_rule,
    "clash": clash_rule,
    "message": message_rule,
    "call": call_rule,
    "call-promised": call_promised_rule,
    "check-in": check_in_rule,
    "job-clash": job_clash_rule,
    "request:not-well": not_well_rule,
    "request:change": change_request_rule,
    "book": book_rule,
    **{f"task:{kind.value}": task_rule(kind) for kind in TaskKind},
}


def test_every_kind_has_a_rule() -> None:
    assert set(RULES) == every_kind()


@pytest.mark.parametrize("kind", sorted(every_kind()))
def test_the_rule_appears_and_the_natural_action_clears_it(kind: str, desk: Desk) -> None:
    RULES[kind](desk)


def test_a_new_time_asked_for_after_a_missed_one_waits_until_one_is_booked(desk: Desk) -> None:
    change_request_after_a_missed_time_rule(desk)


def test_a_pause_answers_a_request_for_a_new_time(desk: Desk) -> None:
    appointment = desk.book(6, wfi_number=1)
    desk.db.add(
        RescheduleRequest(
            client_id=desk.client_id, appointment_id=appointment.id, kind=RequestKind.change
        )
    )
    desk.db.flush()
    assert "asked for a new time" in desk.attention()
    review = (london_today() + timedelta(weeks=4)).isoformat()
    record = desk.record
    post_form(desk.staff, record, f"{record}/defer", {"review_on": review, "reason": "health"})
    assert NAME not in desk.attention()
