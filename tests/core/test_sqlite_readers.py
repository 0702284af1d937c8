"""On SQLite (WAL), a page that only reads never waits for a write in progress; a page that
writes a little (an adviser's audit line) waits its turn for the lock and then succeeds; and
another process writing while the server is busy waits instead of failing with "database is
locked" (#20)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, func, select, update

from app.audit.models import AuditEvent
from app.core.db import build_engine, request_session
from app.people.models import ClientProfile, User
from tests.demo_server import ROOT, start_demo_server
from tests.factories import (
    make_adviser,
    make_client,
    sign_in_client,
    sign_in_staff,
)


def _adviser_and_client(engine: Any, name: str) -> tuple[User, ClientProfile, User]:
    with Session(engine, expire_on_commit=False) as session:
        adviser, adviser_user = make_adviser(session)
        profile, user = make_client(session, adviser, name=name)
        session.commit()
    return adviser_user, profile, user


def _hold_the_write_lock(path: str) -> sqlite3.Connection:
    """Another connection, in the middle of a write: it holds SQLite's write lock until it
    commits."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE offices SET name = name")
    return holder


def test_a_page_that_only_reads_does_not_wait_for_a_write_in_progress(sqlite_app) -> None:  # type: ignore[no-untyped-def]
    client, engine, path = sqlite_app
    _adviser, _profile, user = _adviser_and_client(engine, "Gwen Reader")
    with Session(engine) as reader:
        sign_in_client(client, reader, user)
    assert client.get("/home").status_code == 200
    holder = _hold_the_write_lock(path)
    try:
        started = time.monotonic()
        response = client.get("/home")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 200 and "Gwen" in response.text
    assert waited < 5, f"a read waited {waited:.1f}s for someone else's write"


def test_a_page_that_writes_waits_for_the_lock_and_then_succeeds(sqlite_app) -> None:  # type: ignore[no-untyped-def]
    client, engine, path = sqlite_app
    adviser_user, profile, _client = _adviser_and_client(engine, "Owain Viewed")
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"

    def views() -> int:
        with Session(engine) as session:
            return session.exec(
                select(func.count()).where(AuditEvent.client_id == profile.id)
            ).one()

    before = views()
    holder = _hold_the_write_lock(path)
    releases = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    releases.start()
    try:
        started = time.monotonic()
        response = client.get(record)
        waited = time.monotonic() - started
    finally:
        releases.join()
        holder.close()
    assert response.status_code == 200 and "Owain Viewed" in response.text
    assert waited >= 0.9, "the audit line was written while another write held the lock"
    assert views() == before + 1  # the view is audited, once


def _sign_in_as_adviser(http: httpx.Client) -> None:
    from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET

    def post(page: str, data: dict[str, str]) -> None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(page).text)
        assert token is not None
        http.post(page, data={**data, "csrf_token": token.group(1)})

    post("/adviser/sign-in", {"email": "adviser1@example.org", "password": DEMO_PASSWORD})
    post("/adviser/sign-in/code", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})


def test_another_process_writing_while_the_server_is_busy_waits_instead_of_failing(
    tmp_path: Path,
) -> None:
    server = start_demo_server(tmp_path)
    statuses: list[int] = []
    stop = threading.Event()
    with httpx.Client(base_url=server.url, follow_redirects=True) as http:
        _sign_in_as_adviser(http)  # once: an authenticator code works once
        signed_in = dict(http.cookies)
        caseload = http.get("/adviser").text
    records = sorted(set(re.findall(r'href="(/adviser/clients/\d+)"', caseload)))
    assert records

    def busy_adviser() -> None:
        # Each record view writes an audit line, each note a row: reads and writes in turn.
        with httpx.Client(
            base_url=server.url, cookies=signed_in, follow_redirects=True, timeout=60
        ) as http:
            n = 0
            while not stop.is_set():
                record = records[n % len(records)]
                page = http.get(record)
                statuses.append(page.status_code)
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                if token:
                    sent = http.post(
                        f"{record}/notes", data={"body": f"Note {n}", "csrf_token": token.group(1)}
                    )
                    statuses.append(sent.status_code)
                statuses.append(http.get("/adviser").status_code)
                n += 1

    workers = [threading.Thread(target=busy_adviser) for _ in range(3)]
    try:
        for worker in workers:
            worker.start()
        time.sleep(1)
        database = str(make_url(server.database_url).database)
        for n in range(2):
            made = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "create-venue",
                    "--name",
                    f"Library room {n}",
                    "--kind",
                    "community",
                    "--address",
                    "1 High Street, Cardiff",
                    "--postcode",
                    "CF10 1AA",
                ],
                cwd=ROOT,
                env=server.env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert made.returncode == 0, made.stdout + made.stderr
            assert "locked" not in made.stderr
            # A slow write from outside: the server's writers wait for it, its readers do not.
            holder = _hold_the_write_lock(database)
            time.sleep(1)
            holder.execute("COMMIT")
            holder.close()
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=120)
        server.stop()  # AssertionError if any request logged a traceback
    assert statuses and all(status == 200 for status in statuses), sorted(set(statuses))
    with sqlite3.connect(database) as check:
        venues = check.execute("SELECT count(*) FROM venues WHERE name LIKE 'Library room %'")
        assert venues.fetchone()[0] == 2


@pytest.mark.parametrize("how", ["flush", "statement", "savepoint"])
def test_a_reading_session_writes_after_someone_else_wrote_since_it_read(
    migrated_database: Callable[[str], str], how: str
) -> None:
    """A read snapshot that went stale cannot be upgraded in place ("database is locked" at
    once, whatever the busy timeout): each way a GET can write starts a fresh transaction."""
    url = migrated_database("sqlite")
    engine = build_engine(url)
    adviser_user, profile, _client = _adviser_and_client(engine, "Siôn Stale")
    path = str(make_url(url).database)
    sessions = request_session(engine, reader=True)
    session = next(sessions)
    assert session.get(ClientProfile, profile.id) is not None  # the snapshot begins
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE users SET full_name = full_name || '.'")  # someone else writes
    other.close()
    event = AuditEvent(action="client.viewed", actor_role="adviser", client_id=profile.id)
    if how == "flush":
        session.add(event)
        session.flush()
    elif how == "statement":
        session.exec(update(User).where(col(User.id) == adviser_user.id).values(is_active=True))
    else:
        with session.begin_nested():
            session.add(event)
    with pytest.raises(StopIteration):
        next(sessions)  # commits
    engine.dispose()


def test_a_burst_of_pages_that_write_while_the_lock_is_held_all_succeed(tmp_path: Path) -> None:
    """Sixty adviser record views at once (each writes an audit line) while another process
    holds the write lock. Were they all let in, they would take every worker thread waiting
    for the lock, and the request that got it could not finish: 500s after half a minute."""
    server = start_demo_server(tmp_path)
    try:
        with httpx.Client(base_url=server.url, follow_redirects=True) as http:
            _sign_in_as_adviser(http)
            signed_in = dict(http.cookies)
            caseload = http.get("/adviser").text
        records = sorted(set(re.findall(r'href="(/adviser/clients/\d+)"', caseload)))
        statuses: list[int] = []
        holder = _hold_the_write_lock(str(make_url(server.database_url).database))

        def view(record: str) -> None:
            with httpx.Client(base_url=server.url, cookies=signed_in, timeout=120) as http:
                statuses.append(http.get(record).status_code)

        viewers = [
            threading.Thread(target=view, args=(records[n % len(records)],)) for n in range(150)
        ]
        for viewer in viewers:
            viewer.start()
        time.sleep(2)
        holder.execute("COMMIT")
        holder.close()
        for viewer in viewers:
            viewer.join(timeout=180)
    finally:
        server.stop()  # AssertionError if any request logged a traceback
    assert sorted(set(statuses)) == [200] and len(statuses) == 150, sorted(set(statuses))


def test_a_plan_opened_by_two_people_at_once_is_made_once(
    migrated_database: Callable[[str], str], backend: str
) -> None:
    """The client and the adviser open a plan no one has opened yet, at the same moment: each
    finds none; the second to add one gets the first's, not a unique-key error page."""
    from app.action_plans.models import ActionPlan
    from app.action_plans.service import plan_for
    from app.core.db import find_or_add

    url = migrated_database(backend)
    engine = build_engine(url)
    _adviser, profile, _client = _adviser_and_client(engine, "Mali Both")
    client_id = profile.id
    assert client_id is not None

    def find(session: Session) -> ActionPlan | None:
        return session.exec(select(ActionPlan).where(ActionPlan.client_id == client_id)).first()

    mine_gen = request_session(engine, reader=True)
    mine = next(mine_gen)
    assert find(mine) is None  # on SQLite its read snapshot begins here
    theirs_gen = request_session(engine, reader=True)
    theirs_id = plan_for(session=next(theirs_gen), client_id=client_id).id
    with pytest.raises(StopIteration):
        next(theirs_gen)  # commits
    if backend == "sqlite":
        plan = plan_for(session=mine, client_id=client_id)  # its snapshot still finds none
    else:
        # Read committed would see theirs at once; simultaneous means mine looked just before.
        looks: list[ActionPlan | None] = []

        def looked_too_soon() -> ActionPlan | None:
            looks.append(None if not looks else find(mine))
            return looks[-1]

        plan = find_or_add(mine, looked_too_soon, lambda: ActionPlan(client_id=client_id))
        assert len(looks) == 2
    assert plan.id == theirs_id
    with pytest.raises(StopIteration):
        next(mine_gen)  # commits: the failed add left nothing behind
    with Session(engine) as check:
        plans = check.exec(select(func.count()).where(ActionPlan.client_id == client_id)).one()
    assert plans == 1
    engine.dispose()


def test_a_page_that_cannot_get_the_write_lock_in_time_says_try_again(
    sqlite_app: tuple[Any, Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock held past the timeout: the kind "try again" page with 503 and Retry-After,
    not a 500 — and the view it could not audit is not shown."""
    from app.core import db as core_db

    client, engine, _path = sqlite_app
    adviser_user, profile, _client = _adviser_and_client(engine, "Nia Busy")
    sign_in_staff(client, adviser_user)
    monkeypatch.setattr(core_db, "WRITE_TURN_TIMEOUT", 0.5)
    with core_db.sqlite_write_turn(engine):  # a write of this process, taking too long
        response = client.get(f"/adviser/clients/{profile.id}")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "Please try again in a few minutes" in response.text
    assert "Nia Busy" not in response.text


def test_a_page_that_meets_another_process_holding_the_lock_too_long_says_try_again(
    sqlite_app: tuple[Any, Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (the CLI, a backup) holds SQLite's lock past the busy timeout: SQLite
    says "database is locked" at the page's first write. The same 503 "try again", not a 500
    (#20 outside-in)."""
    from app.core import db as core_db

    client, engine, path = sqlite_app
    adviser_user, profile, _client = _adviser_and_client(engine, "Nest Locked")
    sign_in_staff(client, adviser_user)
    monkeypatch.setattr(core_db, "WRITE_TURN_TIMEOUT", 0.5)
    engine.dispose()  # new connections wait half a second (busy_timeout), not thirty
    holder = _hold_the_write_lock(path)
    try:
        response = client.get(f"/adviser/clients/{profile.id}")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "Nest Locked" not in response.text
