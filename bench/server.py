"""Server benchmark against the framework's floor.

Two offices:
- `demo` (the default, the performance issue's method): the demo office on SQLite, one uvicorn
  process, wrk with 20 connections; the client home is loaded as the demo clients, the
  caseload as the demo adviser with the most clients.
- `large`: 10,000 clients, 100,000 appointments and 50,000 plan steps, on SQLite and on
  PostgreSQL, 50 connections, each request with the session cookie of one of 50 clients or
  advisers.

A bare endpoint of the same stack (/healthz: same middleware, routing and app-level
dependencies, no page) shows what the stack costs, and a bare FastAPI app (bench/bare_app.py,
same uvicorn settings, served in the same run) gives the framework's floor. Prints
p50/p95/p99, requests per second and each page's requests per second as a share of the
floor's. The app runs as `python -m app serve` with MYPATHWAYS_ENV=development.

Usage: .venv/bin/python bench/server.py [--office demo|large] [--seconds 15]
       [--backends sqlite,postgresql] [--workers N] [--connections N]
Needs wrk (Debian package `wrk`; installed with apt-get if missing).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MYPATHWAYS_ENV", "development")

CLIENTS, APPOINTMENTS_EACH, STEPS_EACH, ADVISERS = 10_000, 10, 5, 67
USERS = 50

WRK_SCRIPT = """
local cookies = {}
for line in io.lines("%s") do table.insert(cookies, line) end
local n = 0
request = function()
  n = n + 1
  local token = cookies[(n %% #cookies) + 1]
  if token == "-" then  -- nobody signed in: no session cookie, as a first visitor
    return wrk.format("GET", nil, {["Accept"] = "text/html"})
  end
  return wrk.format("GET", nil, {["Cookie"] = "mp_session=" .. token, ["Accept"] = "text/html"})
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %%.1f %%.1f %%.1f %%.1f %%d %%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors))
end
"""


def seed(url: str) -> tuple[list[str], list[str]]:
    """The large office, in bulk; returns 50 client and 50 adviser session tokens."""
    from sqlalchemy import insert
    from sqlmodel import Session, col, select

    import app.models  # noqa: F401
    from app.accounts.sessions import start_session
    from app.action_plans.models import ActionPlan, PlanStep
    from app.appointments.models import Appointment
    from app.core.db import build_engine
    from app.core.migrations import upgrade_to_head
    from app.demo.seed import seed_demo
    from app.main import wire_listeners

    wire_listeners()  # as the CLI's seed-demo does: bookings plan reminders
    from app.offices.models import Office, Venue
    from app.people.models import Adviser, ClientProfile, Role, User

    upgrade_to_head(url)
    engine = build_engine(url)
    rng = random.Random(2009)  # noqa: S311 - made-up data, not security
    now = datetime.now(UTC)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
        office = session.exec(select(Office)).first()
        venue = session.exec(select(Venue)).first()
        assert office is not None and venue is not None
        session.execute(
            insert(User),
            [
                {
                    "role": Role.adviser,
                    "full_name": f"Adviser {n}",
                    "email": f"bench.adviser{n}@example.org",
                    "created_at": now,
                }
                for n in range(ADVISERS)
            ],
        )
        adviser_users = session.exec(
            select(User).where(col(User.email).like("bench.adviser%"))
        ).all()
        session.execute(
            insert(Adviser), [{"user_id": u.id, "office_id": office.id} for u in adviser_users]
        )
        advisers = session.exec(
            select(Adviser).where(col(Adviser.user_id).in_([u.id for u in adviser_users]))
        ).all()
        session.execute(
            insert(User),
            [
                {
                    "role": Role.client,
                    "full_name": f"Client {n:05d}",
                    "phone": f"+4477008{n:05d}",
                    "created_at": now,
                }
                for n in range(CLIENTS)
            ],
        )
        client_users = session.exec(select(User).where(col(User.full_name).like("Client %"))).all()
        session.execute(
            insert(ClientProfile),
            [
                {
                    "user_id": u.id,
                    "adviser_id": advisers[i % len(advisers)].id,
                    "claimant_type": "mandatory",
                    "claim_date": date.today() - timedelta(days=30 + i % 150),
                    "language": "cy" if i % 7 == 0 else "en",
                    "status": "active",
                    "contact_details_source": "jobcentre-referral",
                    "preferred_contact": "text",
                    "created_at": now,
                }
                for i, u in enumerate(client_users)
            ],
        )
        profiles = session.exec(
            select(ClientProfile).where(
                col(ClientProfile.user_id).in_([u.id for u in client_users])
            )
        ).all()
        rows = []
        for profile in profiles:
            for k in range(APPOINTMENTS_EACH):
                future = k >= APPOINTMENTS_EACH - 1
                starts = (
                    now + timedelta(days=rng.randint(1, 40))
                    if future
                    else now - timedelta(days=28 * (APPOINTMENTS_EACH - k))
                )
                rows.append(
                    {
                        "uid": f"bench-{profile.id}-{k}",
                        "client_id": profile.id,
                        "adviser_id": profile.adviser_id,
                        "kind": "wfi",
                        "wfi_number": min(k + 1, 6),
                        "starts_at": starts.replace(minute=0, second=0, microsecond=0),
                        "duration_minutes": 60,
                        "mode": "in-person",
                        "venue_id": venue.id,
                        "status": "booked" if future else "attended",
                        "sequence": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            if len(rows) >= 20_000:
                session.execute(insert(Appointment), rows)
                rows = []
        if rows:
            session.execute(insert(Appointment), rows)
        session.execute(
            insert(ActionPlan), [{"client_id": p.id, "updated_at": now} for p in profiles]
        )
        plans = session.exec(
            select(ActionPlan).where(col(ActionPlan.client_id).in_([p.id for p in profiles]))
        ).all()
        steps = [
            {
                "plan_id": plan.id,
                "position": k + 1,
                "title": f"Step {k + 1}",
                "details": "",
                "owner": "me",
                "owner_name": "",
                "status": "not-started",
                "no_rush": True,
                "state": "active",
                "book_for_me": False,
                "version": 1,
                "created_at": now,
            }
            for plan in plans
            for k in range(STEPS_EACH)
        ]
        for start in range(0, len(steps), 20_000):
            session.execute(insert(PlanStep), steps[start : start + 20_000])
        client_tokens = [
            start_session(session=session, user=u, keep_signed_in=True)[1]
            for u in client_users[:USERS]
        ]
        adviser_tokens = [
            start_session(session=session, user=u, keep_signed_in=False)[1]
            for u in adviser_users[:USERS]
        ]
        session.commit()
    # A live database has statistics (autovacuum, or SQLite's optimize); a bulk load has none yet.
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    engine.dispose()
    return client_tokens, adviser_tokens


def seed_demo_office(url: str) -> tuple[list[str], list[str]]:
    """The demo office as `python -m app seed-demo` makes it; returns session tokens for every
    demo client and one for the adviser with the most clients (the "demo adviser")."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    import app.models  # noqa: F401
    from app.accounts.sessions import start_session
    from app.core.db import build_engine
    from app.core.migrations import upgrade_to_head
    from app.demo.seed import seed_demo
    from app.main import wire_listeners
    from app.people.models import Adviser, ClientProfile, User

    wire_listeners()
    upgrade_to_head(url)
    engine = build_engine(url)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
        clients = session.exec(
            select(User).join(ClientProfile, col(ClientProfile.user_id) == col(User.id))
        ).all()
        busiest = session.exec(
            select(User)
            .join(Adviser, col(Adviser.user_id) == col(User.id))
            .join(ClientProfile, col(ClientProfile.adviser_id) == col(Adviser.id))
            .group_by(col(User.id))
            .order_by(func.count(col(ClientProfile.id)).desc())
        ).first()
        assert busiest is not None
        client_tokens = [
            start_session(session=session, user=u, keep_signed_in=True)[1] for u in clients
        ]
        adviser_tokens = [start_session(session=session, user=busiest, keep_signed_in=False)[1]]
        session.commit()
    engine.dispose()
    return client_tokens, adviser_tokens


def wrk(
    url: str, tokens: list[str], seconds: int, folder: Path, connections: int = 50
) -> tuple[float, ...]:
    cookies = folder / "cookies.txt"
    cookies.write_text("\n".join(tokens) + "\n")
    script = folder / "bench.lua"
    script.write_text(WRK_SCRIPT % cookies)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)", out)
    assert match, out
    return tuple(float(v) for v in match.groups())


def run_backend(
    backend: str, office: str, seconds: int, workers: int, connections: int
) -> dict[str, tuple[float, ...]]:
    from tests.postgres import free_port, start_cluster

    folder = Path(tempfile.mkdtemp())
    cluster = None
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'large.db'}"
    else:
        cluster = start_cluster()
        url = cluster.create_database("bench_server")
    if office == "large":
        print(
            f"[{backend}] seeding {CLIENTS:,} clients, {CLIENTS * APPOINTMENTS_EACH:,} "
            f"appointments, {CLIENTS * STEPS_EACH:,} plan steps...",
            flush=True,
        )
    started = time.perf_counter()
    client_tokens, adviser_tokens = seed(url) if office == "large" else seed_demo_office(url)
    print(f"[{backend}] seeded in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    env = {
        **os.environ,
        "MYPATHWAYS_DATABASE_URL": url,
        "MYPATHWAYS_BASE_URL": f"http://127.0.0.1:{port}",
        "MYPATHWAYS_WORKER_IN_PROCESS": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, tuple[float, ...]] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        home = httpx.get(
            base + "/home",
            cookies={"mp_session": client_tokens[0]},
            headers={"accept": "text/html"},
        )
        caseload = httpx.get(
            base + "/adviser",
            cookies={"mp_session": adviser_tokens[0]},
            headers={"accept": "text/html"},
        )
        assert home.status_code == 200 and 'id="next-appointment"' in home.text, home.status_code
        rows = caseload.text.count('<tr class="govuk-table__row">')
        assert caseload.status_code == 200 and rows > (100 if office == "large" else 3), rows
        for name, path, tokens in (
            ("health check (/healthz)", "/healthz", [ANONYMOUS]),
            ("public start page (/)", "/", [ANONYMOUS]),
            ("client home (/home)", "/home", client_tokens),
            ("adviser caseload (/adviser)", "/adviser", adviser_tokens),
        ):
            wrk(base + path, tokens, 3, folder, connections)  # warm up
            results[name] = wrk(base + path, tokens, seconds, folder, connections)
    finally:
        server.terminate()
        server.wait(timeout=20)
        if cluster is not None:
            cluster.stop()
    results[FLOOR] = bare_floor(seconds, workers, folder, connections)
    return results


FLOOR = "bare FastAPI (the floor)"
ANONYMOUS = "-"  # the wrk script sends no session cookie for this token


def bare_floor(seconds: int, workers: int, folder: Path, connections: int) -> tuple[float, ...]:
    """The same load on a bare FastAPI app (bench/bare_app.py) served with the same uvicorn
    settings as `python -m app serve` in development (access log at info, the same workers)."""
    from tests.postgres import free_port

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "info",
            "--timeout-graceful-shutdown",
            "5",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(150):
            try:
                if httpx.get(base, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        wrk(base, [ANONYMOUS], 3, folder, connections)  # warm up
        return wrk(base, [ANONYMOUS], seconds, folder, connections)
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--office", choices=("demo", "large"), default="demo")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--backends", default="", help="default: sqlite (demo), both (large)")
    parser.add_argument("--workers", type=int, default=0, help="0: 1 on SQLite, 2 on PostgreSQL")
    parser.add_argument("--connections", type=int, default=0, help="0: 20 (demo), 50 (large)")
    args = parser.parse_args()
    backends = args.backends or ("sqlite" if args.office == "demo" else "sqlite,postgresql")
    connections = args.connections or (20 if args.office == "demo" else 50)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    # SQLite runs one process (the embedded default); PostgreSQL one per core.
    workers = {b: args.workers or (1 if b == "sqlite" else 2) for b in backends.split(",")}
    table = {
        backend: run_backend(backend, args.office, args.seconds, workers[backend], connections)
        for backend in workers
    }
    print()
    print(
        f"{args.office} office, {connections} connections, {args.seconds} s each, uvicorn "
        f"workers {workers}, {os.cpu_count()} CPU cores shared with wrk"
    )
    print(
        f"{'backend':<11} {'page':<28} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'share of floor':>15} {'errors':>6}"
    )
    for backend, results in table.items():
        floor = results[FLOOR][3]
        for name, (p50, p95, p99, rps, _total, errors) in results.items():
            print(
                f"{backend:<11} {name:<28} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {rps:>7.0f} {rps / floor:>15.3f} {int(errors):>6}"
            )


if __name__ == "__main__":
    main()
