"""The lost-update test through the real stack: two `python -m app serve` processes on one
PostgreSQL, the client editing through one and the adviser through the other, 500 edits
between them at the same time. Every edit is saved or shown back as a conflict; none is lost,
and no saved edit replaced words its author had not seen."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyotp
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.action_plans import service
from app.action_plans.models import PlanChange
from app.core.db import build_engine
from app.delivery.models import Notification
from tests.factories import STAFF_PASSWORD, csrf_from, make_adviser, make_client
from tests.html import step_form_values
from tests.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
EDITS = 500


def _serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "MYPATHWAYS_ENV": "development",
        "MYPATHWAYS_DATABASE_URL": url,
        "MYPATHWAYS_BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _post(http: httpx.Client, page: str, action: str, data: dict[str, str]) -> httpx.Response:
    token = csrf_from(http.get(page).text)
    return http.post(action, data={**data, "csrf_token": token})


def test_two_app_processes_on_postgresql_lose_no_edit(
    migrated_database: Callable[[str], str],
) -> None:
    url = migrated_database("postgresql")
    engine = build_engine(url)
    with Session(engine) as session:
        adviser, adviser_user = make_adviser(session)
        profile, client_user = make_client(session, adviser)
        plan = service.plan_for(session=session, client_id=profile.id)  # type: ignore[arg-type]
        step_ids = [
            service.add_step(
                session=session,
                plan=plan,
                title=f"Step {n}",
                actor_user_id=None,
                actor_role="adviser",
            ).id
            for n in range(3)
        ]
        session.commit()
        phone, email, secret, client_id = (
            client_user.phone,
            adviser_user.email,
            adviser_user.totp_secret,
            profile.id,
        )

    servers = [_serve(url), _serve(url)]
    try:
        client_http, adviser_http = _sign_in_both(engine, servers, phone, email, secret)

        outcomes: list[tuple[str, int, str, str, str]] = []
        lock = threading.Lock()

        def editor(http: httpx.Client, prefix: str, name: str, seed: int) -> None:
            rng = random.Random(seed)
            for n in range(EDITS // 2):
                step_id = rng.choice(step_ids)
                assert step_id is not None
                field = rng.choice(["title", "details"])
                action = f"{prefix}/steps/{step_id}"
                page = http.get(action)
                form = step_form_values(page.text, action)
                seen = form[f"original_{field}"]
                value = f"{name}-{n}"
                response = http.post(action, data={**form, field: value}, follow_redirects=False)
                outcome = {303: "applied", 409: "conflict"}.get(
                    response.status_code, f"http-{response.status_code}"
                )
                if outcome == "conflict":
                    assert (
                        value in response.text and "Someone else changed this step" in response.text
                    )
                with lock:
                    outcomes.append((outcome, step_id, field, value, seen))

        threads = [
            threading.Thread(target=editor, args=(client_http, "/plan", "client", 1)),
            threading.Thread(
                target=editor,
                args=(adviser_http, f"/adviser/clients/{client_id}/plan", "adviser", 2),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)

    assert len(outcomes) == EDITS
    assert {o[0] for o in outcomes} <= {"applied", "conflict"}, {o[0] for o in outcomes}
    with Session(engine) as session:
        recorded = {
            (c.step_id, c.field, c.new_value): c.old_value
            for c in session.exec(select(PlanChange)).all()
        }
    applied = [o for o in outcomes if o[0] == "applied"]
    assert applied and len(applied) < EDITS
    for _outcome, step_id, field, value, seen in applied:
        assert recorded[(step_id, field, value)] == seen
    engine.dispose()


def _sign_in_both(
    engine: Engine,
    servers: list[tuple[subprocess.Popen[bytes], str]],
    phone: str | None,
    email: str | None,
    secret: str | None,
) -> tuple[httpx.Client, httpx.Client]:
    assert phone is not None and email is not None and secret is not None
    client_http = httpx.Client(base_url=servers[0][1], follow_redirects=True, timeout=30)
    adviser_http = httpx.Client(base_url=servers[1][1], follow_redirects=True, timeout=30)
    _post(client_http, "/sign-in", "/sign-in", {"contact": phone})
    with Session(engine) as session:
        body = session.exec(
            select(Notification.body)
            .where(Notification.recipient == phone)
            .order_by(col(Notification.id).desc())
        ).first()
    match = re.search(r"\b(\d{6})\b", body or "")
    assert match is not None
    code = match.group(1)
    _post(client_http, "/sign-in/code", "/sign-in/code", {"code": code})
    _post(
        adviser_http,
        "/adviser/sign-in",
        "/adviser/sign-in",
        {"email": email, "password": STAFF_PASSWORD},
    )
    _post(
        adviser_http,
        "/adviser/sign-in/code",
        "/adviser/sign-in/code",
        {"code": pyotp.TOTP(secret).now()},
    )
    return client_http, adviser_http


def test_a_change_through_one_process_reaches_a_page_open_on_the_other_within_5_seconds(
    migrated_database: Callable[[str], str],
) -> None:
    url = migrated_database("postgresql")
    engine = build_engine(url)
    with Session(engine) as session:
        adviser, adviser_user = make_adviser(session)
        profile, client_user = make_client(session, adviser)
        service.plan_for(session=session, client_id=profile.id)  # type: ignore[arg-type]
        session.commit()
        phone, email, secret, client_id = (
            client_user.phone,
            adviser_user.email,
            adviser_user.totp_secret,
            profile.id,
        )
    servers = [_serve(url), _serve(url)]
    try:
        client_http, adviser_http = _sign_in_both(engine, servers, phone, email, secret)
        received: list[float] = []
        opened = threading.Event()

        def listen() -> None:
            with client_http.stream("GET", "/plan/events", timeout=15) as stream:
                opened.set()
                for line in stream.iter_lines():
                    if line == "event: changed":
                        received.append(time.monotonic())
                        return

        listener = threading.Thread(target=listen)
        listener.start()
        assert opened.wait(10)
        time.sleep(1.5)  # the stream has read the plan's state before the change
        prefix = f"/adviser/clients/{client_id}/plan"
        sent = time.monotonic()
        _post(
            adviser_http,
            f"{prefix}/steps/new",
            f"{prefix}/steps",
            {"title": "Volunteering taster day"},
        )
        listener.join(timeout=10)
        assert received, "no change event arrived"
        assert received[0] - sent < 5
    finally:
        for process, _ in servers:
            process.kill()
            process.wait(timeout=20)
    engine.dispose()
