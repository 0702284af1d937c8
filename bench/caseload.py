"""Caseload page latency on the embedded default (SQLite), 150 clients, through a real server.

Usage: .venv/bin/python bench/caseload.py [--requests 300]
Prints p50 / p95 / p99 in milliseconds for GET /adviser, signed in as a demo adviser, and the
server's CPU time per request (on Linux): on a shared machine the wall-clock figures move with
whatever else is running, the CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pyotp

ROOT = Path(__file__).resolve().parents[1]
# Kept after the run (the server's temporary folder is not).
PROFILE_OUT = Path(tempfile.gettempdir()) / "caseload-profile.txt"
sys.path.insert(0, str(ROOT))


def seed(url: str, clients: int) -> None:
    from sqlmodel import Session, select

    import app.models  # noqa: F401
    from app.core.clock import london_today
    from app.core.db import build_engine
    from app.core.migrations import upgrade_to_head
    from app.demo.seed import seed_demo
    from app.main import wire_listeners

    wire_listeners()  # as the CLI's seed-demo does: bookings plan reminders
    from app.people.models import Adviser, ClientProfile, User
    from tests.factories import make_client

    upgrade_to_head(url)
    engine = build_engine(url)
    with Session(engine) as session:
        seed_demo(session)
        user = session.exec(select(User).where(User.email == "adviser1@example.org")).one()
        adviser = session.exec(select(Adviser).where(Adviser.user_id == user.id)).one()
        have = len(
            session.exec(select(ClientProfile).where(ClientProfile.adviser_id == adviser.id)).all()
        )
        for n in range(clients - have):
            profile, _ = make_client(session, adviser, name=f"Bench Client {n:03d}")
            profile.claim_date = london_today() - timedelta(days=30 + n % 150)
        session.commit()
    engine.dispose()


def wait_for_outbox(url: str, seconds: float = 120.0) -> int:
    """Wait until the server's in-process worker has sent what the seed left due (a few
    hundred bookings' confirmations): timed while it drained them, the page measured the
    worker, not itself. Returns how many were due at first."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from app.core.clock import utcnow
    from app.core.db import build_engine
    from app.delivery.models import Notification, NotificationStatus

    engine = build_engine(url)
    first = None
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with Session(engine) as session:
                due = session.exec(
                    select(func.count()).where(
                        col(Notification.status).in_(
                            [NotificationStatus.pending, NotificationStatus.sending]
                        ),
                        col(Notification.next_attempt_at) <= utcnow(),
                    )
                ).one()
            first = due if first is None else first
            if due == 0:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return first or 0


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument(
        "--py-spy",
        metavar="PY_SPY",
        help="path to a py-spy binary: record the server during the timed requests "
        "(raw collapsed stacks, to a file the script names)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    seed(url, args.clients)
    port = 8140
    env = {
        **os.environ,
        "MYPATHWAYS_ENV": "development",
        "MYPATHWAYS_DATABASE_URL": url,
        "MYPATHWAYS_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        http = httpx.Client(base_url=base, follow_redirects=True)
        from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET

        def post(page: str, action: str, data: dict[str, str]) -> None:
            token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(page).text).group(1)  # type: ignore[union-attr]
            http.post(action, data={**data, "csrf_token": token})

        post(
            "/adviser/sign-in",
            "/adviser/sign-in",
            {"email": "adviser1@example.org", "password": DEMO_PASSWORD},
        )
        post(
            "/adviser/sign-in/code",
            "/adviser/sign-in/code",
            {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()},
        )
        page = http.get("/adviser")
        rows = page.text.count('<tr class="govuk-table__row">') - 1
        drained = wait_for_outbox(url)
        for _ in range(20):
            http.get("/adviser")
        times = []
        profiler = None
        if args.py_spy:
            profiler = subprocess.Popen(
                [
                    args.py_spy,
                    "record",
                    "--pid",
                    str(server.pid),
                    "--format",
                    "raw",
                    "--rate",
                    "500",
                    "--output",
                    str(PROFILE_OUT),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
        cpu_before = cpu_seconds(server.pid)
        for _ in range(args.requests):
            start = time.perf_counter()
            response = http.get("/adviser")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        cpu_after = cpu_seconds(server.pid)
        if profiler is not None:
            profiler.send_signal(2)
            profiler.wait(timeout=60)
        if profiler is not None:
            print(f"py-spy's raw profile: {PROFILE_OUT}")
        times.sort()
        q = statistics.quantiles(times, n=100)
        print(f"caseload page, SQLite, {rows} clients, {args.requests} sequential requests")
        print(f"(the in-process outbox worker first sent the seed's {drained} due messages)")
        print(
            f"p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms   bytes {len(page.content)}"
        )
        if cpu_before is not None and cpu_after is not None:
            per_request = (cpu_after - cpu_before) / args.requests * 1000
            print(
                f"server CPU {per_request:.1f} ms a request   (load average {os.getloadavg()[0]:.1f})"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
