"""Scenario 2 of the brief, on a controlled clock, through the web app, the worker and the
loopback services: a client on sleepy-morning medication says "nothing before 1pm" and sets
quiet hours until 1pm. She is offered only afternoon times, and over the days that follow the
worker (run every ten minutes of the simulated clock) never sends anything in quiet hours, yet
every reminder arrives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.clock import frozen_now, london_datetime, to_london
from app.core.db import get_session, get_write_runner, run_write
from app.delivery.quiet_hours import in_quiet_hours
from app.main import create_app
from app.people.models import ReminderSettings
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
)
from tests.fakes.notify_service import FakeNotify
from tests.html import parse
from tests.notifications.conftest import Outbox

MONDAY_9AM = london_datetime(date(2026, 11, 30), 9)  # a Monday morning in winter (GMT)


def app_on(engine: Engine) -> TestClient:
    """The web app on the outbox's own database, committing every request."""
    app = create_app()

    def session_per_request() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    app.dependency_overrides[get_session] = session_per_request
    app.dependency_overrides[get_write_runner] = lambda: lambda work: run_write(work, engine=engine)
    return TestClient(app, base_url="http://127.0.0.1", headers={"accept": "text/html"})


def test_sleepy_mornings_get_afternoon_times_and_no_messages_in_quiet_hours(
    outbox: Outbox, fake_notify: FakeNotify
) -> None:
    with frozen_now(MONDAY_9AM):
        with Session(outbox.engine, expire_on_commit=False) as session:
            adviser, _ = make_adviser(session)
            profile, user = make_client(session, adviser, name="Nia")
            first = make_appointment(
                session,
                profile,
                make_slot(session, adviser, london_datetime(date(2026, 12, 1), 14)),
            )
            wednesday_10am = make_slot(session, adviser, london_datetime(date(2026, 12, 2), 10))
            wednesday_3pm = make_slot(session, adviser, london_datetime(date(2026, 12, 2), 15))
            session.commit()
        with app_on(outbox.engine) as client, Session(outbox.engine) as reader:
            sign_in_client(client, reader, user)
            prefs = {"not_before": "13:00"}
            assert (
                post_form(client, "/your-times", "/your-times/preferences", prefs).status_code
                == 303
            )
            settings = {
                "channels": "sms",
                "lead_times": ["day-before", "morning-of", "2-hours"],
                "reminder_hour": "15",
                "quiet_start": "21",
                "quiet_end": "13",
                "detail": "discreet",
            }
            response = post_form(client, "/settings/reminders", "/settings/reminders", settings)
            assert response.status_code == 303, response.text
            page = client.get(f"/appointments/{first.id}/change")
            offered = {int(str(i["value"])) for i in parse(page.text).select('input[name="slot"]')}
            assert wednesday_3pm.id in offered and wednesday_10am.id not in offered
            moved = post_form(
                client,
                f"/appointments/{first.id}/change",
                f"/appointments/{first.id}/change",
                {"slot": str(wednesday_3pm.id)},
            )
            assert moved.status_code == 303, moved.text
        with Session(outbox.engine) as reader:
            stored = reader.get(ReminderSettings, profile.id)
            assert stored is not None and stored.quiet_end == 13 * 60

    # Walk the clock from Monday 9am to Thursday, running the worker every ten minutes.
    arrivals = []
    moment = MONDAY_9AM
    worker = outbox.worker()
    while moment < london_datetime(date(2026, 12, 3), 9):
        before = len(fake_notify.sent)
        with frozen_now(moment):
            outbox.drain(worker)
        arrivals += [
            (moment, sent.body)
            for sent in fake_notify.sent[before:]
            # Her sign-in code went when she asked for it, as it must.
            if sent.to == user.phone and "code is" not in sent.body
        ]
        moment += timedelta(minutes=10)

    assert arrivals, "nothing arrived"
    for when, body in arrivals:
        assert not in_quiet_hours(when, stored), f"sent in quiet hours at {to_london(when)}: {body}"
    times = [to_london(when).strftime("%a %H:%M") for when, _ in arrivals]
    bodies = [body.split(" See")[0] for _, body in arrivals]
    assert times == ["Mon 13:00", "Tue 15:00", "Wed 13:00"]
    assert bodies == [
        "Your appointment has moved. It is now on Wednesday 2 December at 3pm.",
        "Reminder: you have an appointment tomorrow at 3pm.",
        "Reminder: you have an appointment today at 3pm, in about 2 hours.",
    ]
