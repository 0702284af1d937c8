"""An open live stream ends as soon as the person watching may no longer see what it tells
them: a support person's "can read my messages" taken back, the support person removed, the
session signed out, the client moved off the adviser's caseload. Through the real app: a
`python -m app serve` process on each database, streams read over HTTP. The test's own writes
beside the live server go through write_session: on SQLite it takes the write lock before it
reads, so a server write in between cannot leave it with a stale snapshot ("database is
locked")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.accounts.sessions import SESSION_COOKIE, revoke_all, start_session
from app.accounts.support import set_support_permissions, unlink_support_person
from app.core.db import build_engine, write_session
from app.people.models import ClientProfile, SupportLink, User
from tests.factories import make_adviser, make_client, make_support_person
from tests.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
OPENS_WITHIN = 10.0
ENDS_WITHIN = 5.0  # the stream polls once a second


@dataclass
class Server:
    base: str
    engine: Engine


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, migrated_database: Callable[[str], str]
) -> Iterator[Server]:
    url = migrated_database(request.param)
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
    engine = build_engine(url)
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield Server(base=base, engine=engine)
    finally:
        process.kill()
        process.wait(timeout=20)
        engine.dispose()


class Listener:
    """Reads one event stream in a thread; `opened` once the first line came, `ended` when
    the server closed it."""

    def __init__(self, base: str, path: str, token: str) -> None:
        self.opened = threading.Event()
        self.ended = threading.Event()
        self.status = 0
        self._thread = threading.Thread(target=self._listen, args=(base, path, token))
        self._thread.daemon = True
        self._thread.start()

    def _listen(self, base: str, path: str, token: str) -> None:
        with (
            httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=30) as http,
            http.stream("GET", path) as stream,
        ):
            self.status = stream.status_code
            for line in stream.iter_lines():
                if line.startswith("retry:"):
                    self.opened.set()
        self.opened.set()
        self.ended.set()

    def still_open_after(self, seconds: float) -> bool:
        return not self.ended.wait(seconds)


@dataclass
class People:
    client_id: int
    client_user_id: int
    supporter_user_id: int
    adviser_user_id: int


def _people(engine: Engine, *, can_read_messages: bool = True) -> People:
    with write_session(engine) as session:
        adviser, adviser_user = make_adviser(session)
        profile, client_user = make_client(session, adviser)
        supporter = make_support_person(session, profile, can_read_messages=can_read_messages)
        session.commit()
        assert profile.id and client_user.id and supporter.id and adviser_user.id
        return People(profile.id, client_user.id, supporter.id, adviser_user.id)


def _session_token(engine: Engine, user_id: int, acting_for: int | None = None) -> str:
    with write_session(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        web_session, token = start_session(session=session, user=user, keep_signed_in=True)
        web_session.acting_for_client_id = acting_for
        session.add(web_session)
        session.commit()
        return token


def _link(session: Session, people: People) -> SupportLink:
    link = session.exec(
        select(SupportLink).where(SupportLink.supporter_user_id == people.supporter_user_id)
    ).one()
    return link


def _watch(server: Server, path: str, token: str) -> Listener:
    listener = Listener(server.base, path, token)
    assert listener.opened.wait(OPENS_WITHIN), "the stream did not open"
    assert listener.status == 200
    # Left alone, it stays open: what ends it below is the change, not the passing of time.
    assert listener.still_open_after(1.5)
    return listener


def test_taking_back_read_messages_ends_a_support_persons_open_thread_stream(
    server: Server,
) -> None:
    people = _people(server.engine)
    token = _session_token(server.engine, people.supporter_user_id, people.client_id)
    listener = _watch(server, "/messages/events", token)
    with write_session(server.engine) as session:
        set_support_permissions(
            session=session, link=_link(session, people), can_see_messages=False
        )
        session.commit()
    assert listener.ended.wait(ENDS_WITHIN), "the stream kept running after the permission went"


def test_removing_a_support_person_ends_their_open_plan_stream(server: Server) -> None:
    people = _people(server.engine, can_read_messages=False)
    token = _session_token(server.engine, people.supporter_user_id, people.client_id)
    listener = _watch(server, "/plan/events", token)
    with write_session(server.engine) as session:
        unlink_support_person(session=session, link=_link(session, people))
        session.commit()
    assert listener.ended.wait(ENDS_WITHIN), "the stream kept running after the link ended"


def test_signing_out_everywhere_ends_the_clients_open_streams(server: Server) -> None:
    people = _people(server.engine)
    token = _session_token(server.engine, people.client_user_id)
    thread = _watch(server, "/messages/events", token)
    plan = _watch(server, "/plan/events", token)
    with write_session(server.engine) as session:
        revoke_all(session=session, user_id=people.client_user_id)
        session.commit()
    assert thread.ended.wait(ENDS_WITHIN) and plan.ended.wait(ENDS_WITHIN)


def test_an_advisers_plan_stream_ends_when_the_client_leaves_their_caseload(
    server: Server,
) -> None:
    people = _people(server.engine)
    path = f"/adviser/clients/{people.client_id}/plan/events"
    token = _session_token(server.engine, people.adviser_user_id)
    listener = _watch(server, path, token)
    with write_session(server.engine) as session:
        profile = session.get(ClientProfile, people.client_id)
        assert profile is not None
        profile.adviser_id = None  # moved to another adviser (or nobody's yet)
        session.add(profile)
        session.commit()
    assert listener.ended.wait(ENDS_WITHIN)
    refused = httpx.get(
        server.base + path, cookies={SESSION_COOKIE: token}, headers={"accept": "text/html"}
    )
    assert refused.status_code == 404


def test_an_advisers_plan_stream_ends_when_they_are_signed_out(server: Server) -> None:
    people = _people(server.engine)
    path = f"/adviser/clients/{people.client_id}/plan/events"
    listener = _watch(server, path, _session_token(server.engine, people.adviser_user_id))
    with write_session(server.engine) as session:
        revoke_all(session=session, user_id=people.adviser_user_id)
        session.commit()
    assert listener.ended.wait(ENDS_WITHIN)


def test_a_stream_for_a_signed_out_session_sends_nothing(server: Server) -> None:
    people = _people(server.engine)
    token = _session_token(server.engine, people.client_user_id)
    listener = _watch(server, "/plan/events", token)
    with write_session(server.engine) as session:
        revoke_all(session=session, user_id=people.client_user_id)
        session.commit()
    assert listener.ended.wait(ENDS_WITHIN)
    again = httpx.get(server.base + "/plan/events", cookies={SESSION_COOKIE: token})
    assert again.status_code in (401, 303)


def test_a_refused_adviser_page_leaves_the_database_free_for_everyone(server: Server) -> None:
    """A 404 from the caseload guard (another adviser's client, no such client) is drawn after
    the request's session has closed. Drawing it must not start a transaction that holds the
    write lock: #18's outside-in pass found every later write then failing with "database is
    locked" until a restart."""
    people = _people(server.engine)
    theirs = _people(server.engine)
    headers = {"accept": "text/html"}
    stranger = httpx.Client(
        base_url=server.base,
        cookies={SESSION_COOKIE: _session_token(server.engine, theirs.adviser_user_id)},
        headers=headers,
        timeout=20,
    )
    for path in (f"/adviser/clients/{people.client_id}", "/adviser/clients/99999999"):
        assert stranger.get(path).status_code == 404
    # A form from their own client's record (a one-time form token in it), sent to a client
    # of someone else's: refused, and the token's answer written without waiting on itself.
    own = stranger.get(f"/adviser/clients/{theirs.client_id}").text
    fields = {
        name: re.search(rf'name="{name}" value="([^"]+)"', own).group(1)  # type: ignore[union-attr]
        for name in ("csrf_token", "form_token")
    }
    started = time.monotonic()
    assert (
        stranger.post(f"/adviser/clients/{people.client_id}/close", data=fields).status_code == 404
    )
    assert time.monotonic() - started < 5
    # The owning adviser's view of the record writes an audit line: it goes through at once.
    owner = {SESSION_COOKIE: _session_token(server.engine, people.adviser_user_id)}
    started = time.monotonic()
    page = httpx.get(
        server.base + f"/adviser/clients/{people.client_id}",
        cookies=owner,
        headers=headers,
        timeout=20,
    )
    assert page.status_code == 200 and time.monotonic() - started < 5
    with write_session(server.engine) as session:
        revoke_all(session=session, user_id=people.client_user_id)
        session.commit()
