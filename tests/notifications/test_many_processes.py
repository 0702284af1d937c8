"""The compose.yaml topology without Docker: on one fresh PostgreSQL database, two `migrate`
at once, two web processes and two outbox workers (with the loopback Notify and push fakes).
An adviser books through one web process, the client sees it through the other, and every
message (sign-in code, confirmations, then a day later the reminders) reaches a phone once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.core.db import build_engine
from app.core.migrations import head_revision
from app.delivery.models import (
    FINAL_STATUSES,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from app.delivery.senders import topic_for
from app.people.models import LeadTime, ReminderSettings
from tests.factories import STAFF_PASSWORD, csrf_from, make_adviser, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.fakes.push_service import FakePushService
from tests.notifications.conftest import environment_for_fakes, subscription_row
from tests.postgres import free_port

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[2]
BOOKINGS = 3
# The reminders go 2 hours before appointments about 26 hours ahead: the second pair of
# workers runs with its clock this far on, when every reminder is due and still useful.
A_DAY_LATER = timedelta(hours=24, minutes=50)


class Processes:
    """Child processes whose output goes to files in `folder`; all stopped on the way out."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "app", *args],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.running.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()[-3000:]

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()  # SIGTERM: a worker finishes the message in hand
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for _name, process in self.running:
            self.stop(process)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()  # even when the test failed half-way


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def serve(processes: Processes, name: str, environment: dict[str, str]) -> str:
    """Start `serve` on a free port and give its address (wait with `until_healthy`)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Plain-http cookies outside production need a plain-http base URL.
    env = {**environment, "MYPATHWAYS_BASE_URL": base, "MYPATHWAYS_WORKER_IN_PROCESS": "false"}
    processes.start(name, ["serve", "--port", str(port)], env)
    return base


def until_healthy(processes: Processes, servers: dict[str, str]) -> None:
    def healthy(name: str, base: str) -> bool:
        process = dict(processes.running)[name]
        assert process.poll() is None, processes.log(name)
        try:
            return httpx.get(base + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    for name, base in servers.items():
        wait_for(lambda n=name, b=base: healthy(n, b), f"{name} to answer")  # type: ignore[misc]


def migrate_twice_at_once(processes: Processes, environment: dict[str, str], url: str) -> None:
    both = [processes.start(f"migrate-{n}", ["migrate"], environment) for n in (1, 2)]
    for n, process in enumerate(both, start=1):
        assert process.wait(timeout=60) == 0, processes.log(f"migrate-{n}")
    engine = build_engine(url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert [row[0] for row in versions] == [head_revision()]


@dataclass
class Office:
    adviser_email: str
    adviser_totp_secret: str
    clients: list[tuple[int, int, str]]  # client id, user id, phone
    slots: list[int]


def arrange_office(engine: Engine, fake_push: FakePushService) -> Office:
    """An adviser, BOOKINGS clients (the first with a phone subscribed to push) who want one
    reminder two hours before and have no quiet hours (so the test passes at any hour), and a
    free time for each about 26 hours ahead."""
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=26)
    with Session(engine) as session:
        adviser, adviser_user = make_adviser(session)
        clients, slots = [], []
        for n in range(BOOKINGS):
            profile, user = make_client(session, adviser, name=f"Client {n}")
            assert profile.id is not None and user.id is not None
            session.add(
                ReminderSettings(
                    client_id=profile.id, lead_times=LeadTime.two_hours, quiet_start=0, quiet_end=0
                )
            )
            if n == 0:
                subscription = fake_push.subscribe()
                session.add(subscription_row(user.id, subscription))
            slot = make_slot(session, adviser, start + timedelta(minutes=15 * n))
            assert user.phone is not None and slot.id is not None
            clients.append((profile.id, user.id, user.phone))
            slots.append(slot.id)
        session.commit()
        assert adviser_user.email is not None and adviser_user.totp_secret is not None
        return Office(adviser_user.email, adviser_user.totp_secret, clients, slots)


def post(http: httpx.Client, page: str, action: str, data: dict[str, str]) -> httpx.Response:
    token = csrf_from(http.get(page).text)
    return http.post(action, data={**data, "csrf_token": token})


def test_two_web_processes_and_two_workers_on_one_postgresql(
    make_database: Callable[[str], str],
    processes: Processes,
    fake_notify: FakeNotify,
    fake_push: FakePushService,
) -> None:
    url = make_database("postgresql")
    environment = {
        **environment_for_fakes(url, fake_notify.url),
        "MYPATHWAYS_WORKER_POLL_SECONDS": "0.1",
        "MYPATHWAYS_WORKER_BATCH_SIZE": "1",  # one at a time, so both workers get some
    }
    migrate_twice_at_once(processes, environment, url)
    engine = build_engine(url)
    office = arrange_office(engine, fake_push)
    # Started together, as compose starts them once the migration has succeeded.
    servers = {name: serve(processes, name, environment) for name in ("web-1", "web-2")}
    workers = [processes.start(f"worker-{n}", ["worker"], environment) for n in (1, 2)]
    until_healthy(processes, servers)
    web_one, web_two = servers.values()

    with ExitStack() as stack:
        adviser_http = stack.enter_context(
            httpx.Client(base_url=web_one, follow_redirects=True, timeout=30)
        )
        client_http = stack.enter_context(
            httpx.Client(base_url=web_two, follow_redirects=True, timeout=30)
        )
        # The client signs in on the second web process, with the code a worker texted.
        _client_id, user_id, phone = office.clients[1]
        sign_in_client(client_http, fake_notify, phone)
        sign_in_adviser(adviser_http, office)
        for (client_id, _user_id, _phone), slot_id in zip(
            office.clients, office.slots, strict=True
        ):
            page = f"/adviser/clients/{client_id}"
            response = post(adviser_http, page, f"{page}/book", {"slot": str(slot_id)})
            assert response.status_code == 200 and "booked=yes" in str(response.url)

        # The web process the adviser did not use shows the client the new appointment.
        with Session(engine) as session:
            booked = session.exec(
                select(Notification.subject).where(
                    Notification.kind == NotificationKind.confirmation,
                    Notification.user_id == user_id,
                )
            ).one()
        appointment_id = booked.split(":")[1]
        home = client_http.get("/home")
        assert f"/appointments/{appointment_id}" in home.text
        assert client_http.get(f"/appointments/{appointment_id}").status_code == 200

    wait_for(lambda: all_final(engine, but_later=True), "the confirmations to go")
    assert reminders(engine) == {"pending": BOOKINGS}
    for worker in workers:
        processes.stop(worker)

    # A day later: two workers whose clock has moved on find the reminders due.
    later = {
        **environment,
        "MYPATHWAYS_CLOCK_OFFSET_SECONDS": str(int(A_DAY_LATER.total_seconds())),
    }
    later_workers = [processes.start(f"later-worker-{n}", ["worker"], later) for n in (1, 2)]
    wait_for(lambda: all_final(engine), "the reminders to go")
    for worker in later_workers:
        processes.stop(worker)

    assert reminders(engine) == {"sent": BOOKINGS}
    assert_each_reached_a_phone_once(engine, fake_notify, fake_push)
    engine.dispose()


def sign_in_adviser(http: httpx.Client, office: Office) -> None:
    response = post(
        http,
        "/adviser/sign-in",
        "/adviser/sign-in",
        {"email": office.adviser_email, "password": STAFF_PASSWORD},
    )
    assert str(response.url).endswith("/adviser/sign-in/code"), response.text
    code = pyotp.TOTP(office.adviser_totp_secret).now()
    response = post(http, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": code})
    assert "/adviser" in str(response.url) and "sign-in" not in str(response.url)


def sign_in_client(http: httpx.Client, fake_notify: FakeNotify, phone: str) -> None:
    response = post(http, "/sign-in", "/sign-in", {"contact": phone})
    assert response.status_code == 200

    def code() -> str | None:
        texts = [sent.body for sent in fake_notify.sent if sent.to == phone]
        return next((m.group(1) for t in texts if (m := re.search(r"\b(\d{6})\b", t))), None)

    wait_for(lambda: code() is not None, "the sign-in code to be texted")
    response = post(http, "/sign-in/code", "/sign-in/code", {"code": code() or ""})
    assert "sign-in" not in str(response.url), response.text


def all_final(engine: Engine, but_later: bool = False) -> bool:
    """Whether every message has been dealt with (`but_later`: apart from those planned for
    more than an hour from now, the reminders before the clock moves on)."""
    soon = utcnow() + timedelta(hours=1)
    with Session(engine) as session:
        rows = session.exec(select(Notification.status, Notification.next_attempt_at)).all()
    return all(
        status in FINAL_STATUSES
        or (but_later and status == NotificationStatus.pending and due > soon)
        for status, due in rows
    )


def reminders(engine: Engine) -> Counter[str]:
    """How many reminders are in each status."""
    with Session(engine) as session:
        statuses = session.exec(
            select(Notification.status).where(Notification.kind == NotificationKind.reminder)
        ).all()
    return Counter(str(status) for status in statuses)


def assert_each_reached_a_phone_once(
    engine: Engine, fake_notify: FakeNotify, fake_push: FakePushService
) -> None:
    with Session(engine) as session:
        rows = session.exec(select(Notification).order_by(col(Notification.id))).all()
    assert {row.status for row in rows} == {NotificationStatus.sent}
    texts = Counter(sent.reference for sent in fake_notify.sent)
    pushes = Counter(received.topic for received in fake_push.received)
    for row in rows:
        arrived = texts[f"mp-{row.id}"] + pushes[topic_for(row.idempotency_key)]
        assert arrived == 1, (row.kind, row.sent_channel, arrived)
    assert sum(texts.values()) + sum(pushes.values()) == len(rows)
    assert fake_notify.errors == [] and fake_push.errors == []
    kinds = Counter(row.kind for row in rows)
    assert kinds[NotificationKind.confirmation] == BOOKINGS
    assert kinds[NotificationKind.reminder] == BOOKINGS
    assert any(row.sent_channel == "push" for row in rows)
