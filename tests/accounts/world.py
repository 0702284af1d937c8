"""A small office with one of everything, and the routes of the app filled in with its ids:
for tests that walk every route as every kind of person."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import cache
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from app.action_plans import service as plans
from app.appointments.activity_models import Activity
from app.appointments.models import HelpKind, HelpRequest
from app.caseload.models import ClientService, PrivateNote, ServiceKind
from app.core.clock import london_datetime, london_today, utcnow
from app.core.tokens import keyed_hash
from app.explainers.content import explainers
from app.explainers.services import all_services
from app.main import create_app
from app.messages.check_ins import CheckInAnswer, CheckInReply
from app.messages.models import CallRequest, CallTime
from app.people.models import AdviserTask, SupportLink, User
from app.rescheduling.models import BusyTime, RequestKind, RescheduleRequest
from tests.factories import (
    make_admin,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    sign_in_client,
    sign_in_staff,
)

ROLES = (
    "anonymous",
    "client",  # client A, whose records the ids below point at
    "other-client",  # client B
    "supporter-read-only",  # A's support person, who may only look
    "supporter-may-ask",  # A's support person, whom A lets ask for changes
    "adviser",  # A's adviser
    "other-adviser",  # an adviser with B on their caseload, not A
    "admin",
)

# Private words that must never reach a page title.
PRIVATE_WORDS = (
    "Angharad Secret",
    "Bethan Other",
    "Gwen Support",
    "Huw Helper",
    "Therapy at the clinic",
    "worried about her housing",
    "Confidence course",
    "+447700",
)


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


def _weekday_ahead(days: int, hour: int):  # type: ignore[no-untyped-def]
    day = london_today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return london_datetime(day, hour)


def build_world(db: Session) -> World:
    """Client A (with an appointment, plan step, busy time, support people, requests, help,
    a service and a task), client B on another adviser's caseload, and an admin."""
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    other_adviser, other_adviser_user = make_adviser(db, name="Osian Other")
    profile, client_user = make_client(db, adviser, name="Angharad Secret")
    _other_profile, other_user = make_client(db, other_adviser, name="Bethan Other")
    admin = make_admin(db)
    read_only = make_support_person(db, profile, name="Gwen Support")
    # Huw is also let read the messages; Gwen may not.
    may_ask = make_support_person(
        db, profile, name="Huw Helper", can_ask=True, can_read_messages=True
    )
    assert profile.id is not None
    assert adviser.id is not None
    appointment = make_appointment(db, profile, make_slot(db, adviser, _weekday_ahead(10, 10)))
    spare = make_slot(db, adviser, _weekday_ahead(12, 14))
    # Yesterday's, so "they came" can be recorded.
    past = make_appointment(
        db, profile, make_slot(db, adviser, london_datetime(london_today() - timedelta(days=1), 9))
    )
    plan = plans.plan_for(session=db, client_id=profile.id)
    # A suggestion from the adviser, so accepting and declining it mean something.
    step = plans.add_step(
        session=db,
        plan=plan,
        title="Confidence course",
        actor_user_id=adviser_user.id,
        actor_role="adviser",
        suggested=True,
    )
    plans.ask_to_book(session=db, step=step, actor_user_id=None)
    busy = BusyTime(
        client_id=profile.id,
        label="Therapy at the clinic",
        weekday=1,
        starts=time(9),
        ends=time(11),
    )
    request = RescheduleRequest(
        appointment_id=appointment.id, client_id=profile.id, kind=RequestKind.change
    )
    help_request = HelpRequest(appointment_id=appointment.id, kind=HelpKind.travel)  # type: ignore[arg-type]
    service = ClientService(client_id=profile.id, kind=ServiceKind.cmp)
    task = AdviserTask(adviser_id=adviser.id, client_id=profile.id, kind="check-in")
    note = PrivateNote(
        client_id=profile.id, adviser_id=adviser.id, body="She is worried about her housing"
    )
    activity = Activity(
        client_id=profile.id,
        title="Confidence course",
        starts_at=utcnow() + timedelta(days=10),
        provider="Mind",
    )
    call = CallRequest(client_id=profile.id, suits=CallTime.any)
    answer = CheckInReply(client_id=profile.id, answer=CheckInAnswer.call_me)
    for row in (busy, request, help_request, service, task, note, activity, call, answer):
        db.add(row)
    db.flush()
    link = db.exec(select(SupportLink).where(SupportLink.supporter_user_id == read_only.id)).one()
    world = World()
    world.ids = {
        "appointment_id": str(appointment.id),
        "busy_id": str(busy.id),
        "link_id": str(link.id),
        "step_id": str(step.id),
        "activity_id": str(activity.id),
        "client_id": str(profile.id),
        "request_id": str(request.id),
        "task_id": str(task.id),
        "help_id": str(help_request.id),
        "service_id": str(service.id),
        "call_id": str(call.id),
        "answer_id": str(answer.id),
        "token": "not-a-real-token",
        "language": "cy",
        "spare_slot": str(spare.id),
        "past_appointment_id": str(past.id),
        "other_adviser_id": str(other_adviser.id),
    }
    world.people = {
        "client": client_user,
        "other-client": other_user,
        "supporter-read-only": read_only,
        "supporter-may-ask": may_ask,
        "adviser": adviser_user,
        "other-adviser": other_adviser_user,
        "admin": admin,
    }
    return world


def sign_in_as(client: TestClient, db: Session, world: World, role: str) -> None:
    client.cookies.clear()
    if role == "anonymous":
        return
    person = world.people[role]
    if role in ("adviser", "other-adviser", "admin"):
        sign_in_staff(client, person)
    else:
        sign_in_client(client, db, person)


@cache
def every_route() -> tuple[tuple[str, str], ...]:
    """(method, path template) for every route of the app, through included routers (built
    once: the routes never change while the tests run)."""
    found = []
    for context in iter_route_contexts(create_app().routes):
        if isinstance(context.route, APIRoute):
            assert context.path is not None
            for method in sorted(context.methods or ()):
                if method != "HEAD":
                    found.append((method, context.path))
    return tuple(found)


def fill(path: str, world: World) -> str:
    """A route's path with the world's ids (slugs: a real explainer, service or story)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "slug":
            if path.startswith("/plan/services"):
                return all_services()[0].slug
            if path.startswith("/stories"):
                return "not-a-story"
            return next(iter(explainers("en")))
        if name == "appointment_id" and path.endswith("/outcome"):
            return world.ids["past_appointment_id"]
        return world.ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


def form_for(path: str, world: World) -> dict[str, Any]:
    """A form that would change something if the person may do it."""
    forms: dict[str, dict[str, Any]] = {
        "/appointments/{appointment_id}/change": {"slot": world.ids["spare_slot"]},
        "/not-well-enough": {"appointment_id": world.ids["appointment_id"]},
        "/appointments/{appointment_id}/help": {
            "kinds": ["interpreter", "private-room"],
            "interpreter_language": "Polish",
        },
        "/account/support-people/add": {
            "name": "New Person",
            "phone": "07700 900999",
            "relationship": "friend",
            "consent": "yes",
            "can_ask": "yes",
        },
        "/account/support-people/{link_id}/permissions": {"can_ask": "yes"},
        "/home/started-work": {"started_on": london_today().isoformat(), "hours": "20"},
        "/your-times/preferences": {"not_before": "13:00", "not_after": "", "avoid": ["0"]},
        "/your-needs": {"kinds": ["private-room"], "session_format": "one-to-one"},
        "/your-times/busy": {"label": "Group", "weekday": "2", "starts": "10:00", "ends": "11:00"},
        "/check-in": {"answer": "not-yet"},
        "/adviser/clients/{client_id}/appointments/{appointment_id}/outcome": {
            "outcome": "attended"
        },
        "/adviser/requests/{request_id}": {"answer": "accept"},
        "/plan/steps": {"title": "A new step"},
        "/plan/steps/{step_id}": {"base_version": "1", "title": "Changed", "status": "done"},
        "/plan/steps/{step_id}/move": {"direction": "up"},
        "/plan/progress": {"progress": "more-confident"},
        "/settings/reminders": {
            "channels": ["sms"],
            "lead_times": ["day-before"],
            "reminder_hour": "10",
            "quiet_start": "21",
            "quiet_end": "8",
        },
        "/adviser/clients/{client_id}/plan/steps/{step_id}/book": {"slot": world.ids["spare_slot"]},
        "/adviser/clients/{client_id}/plan/steps/{step_id}/activity": {
            "title": "Confidence course",
            "day": (london_today() + timedelta(days=10)).isoformat(),
            "at": "10:00",
            "duration_minutes": "60",
        },
        "/adviser/clients/{client_id}/book": {"slot": world.ids["spare_slot"]},
        "/adviser/clients/{client_id}/appointments/{appointment_id}/change": {
            "slot": world.ids["spare_slot"]
        },
        "/adviser/clients/{client_id}/appointments/{appointment_id}/cancel": {
            "reason": "client-asked"
        },
        "/adviser/clients/{client_id}/notes": {"body": "worried about her housing"},
        "/adviser/clients/{client_id}/messages": {"reply": "I can call on Tuesday"},
        "/messages": {"body": "Could we talk about the course?"},
        "/contact/call-me": {"suits": "any"},
        "/adviser/clients/{client_id}/plan/steps": {"title": "Volunteering"},
        "/admin/clients/{client_id}/adviser": {"adviser_id": world.ids["other_adviser_id"]},
    }
    return forms.get(path, {})


JSON_ROUTES = {
    "/account/passkeys/options",
    "/account/passkeys",
    "/sign-in/passkey/options",
    "/sign-in/passkey",
    "/settings/reminders/push",
    "/settings/reminders/push/remove",
    "/notifications/notify-callback",
}


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page would give this browser (its cookie, signed)."""
    return keyed_hash("csrf", client.cookies.get("mp_csrf") or "")


def send(client: TestClient, method: str, path: str, world: World):  # type: ignore[no-untyped-def]
    """Send one request to a route as a browser would (a POST carries the CSRF token)."""
    url = fill(path, world)
    if method == "GET":
        return client.get(url, follow_redirects=False)
    token = csrf_token(client)
    if path in JSON_ROUTES:
        return client.post(
            url,
            json={"endpoint": "https://fcm.googleapis.com/fcm/send/abcdef", "keys": {}},
            headers={"x-csrf-token": token},
            follow_redirects=False,
        )
    return client.post(
        url, data={**form_for(path, world), "csrf_token": token}, follow_redirects=False
    )


def refused(response) -> bool:  # type: ignore[no-untyped-def]
    """The app said no: not signed in, not allowed, or nothing of yours here."""
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("location", "")
    return response.status_code == 303 and location in ("/sign-in", "/adviser/sign-in")


def snapshot(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a request changed nothing. A session's
    last-seen time is left out: the app touches it on any request, by design."""
    db.flush()
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = [c.name for c in table.columns if c.name != "last_seen_at"]
        quoted = ", ".join(f'"{c}"' for c in columns)
        result = db.connection().execute(text(f'SELECT {quoted} FROM "{table.name}" ORDER BY 1'))
        rows[table.name] = [tuple(row) for row in result]
    return rows
