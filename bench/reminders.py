"""Dispatch 100,000 due reminders with 4 `python -m app worker` processes on PostgreSQL, to the
loopback push service and Notify fakes (which verify VAPID / the Notify JWT and decrypt every
push body). Prints messages per second, duplicates and lost (both must be 0).

Usage: .venv/bin/python bench/reminders.py [--messages 100000] [--workers 4] [--push-share 0.3]
A throwaway PostgreSQL cluster is started and removed; nothing else is needed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MYPATHWAYS_ENV", "test")


def queue(engine, messages: int, clients: int, push_share: float, fake_push) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Clients (some with a phone that takes push) and their due reminders, in bulk."""
    from sqlalchemy import insert
    from sqlmodel import Session, col, select

    from app.core.clock import utcnow
    from app.delivery.models import (
        Channel,
        Notification,
        NotificationKind,
        NotificationStatus,
        PushSubscription,
    )
    from app.people.models import Role, User

    now = utcnow()
    with Session(engine) as session:
        users = [
            {
                "role": Role.client,
                "full_name": f"Bench {n}",
                "phone": f"+4477009{n:05d}",
                "created_at": now,
            }
            for n in range(clients)
        ]
        session.execute(insert(User), users)
        everyone = session.exec(select(User).order_by(col(User.id))).all()
        ids = [u.id for u in everyone]
        with_push = ids[: int(len(ids) * push_share)]
        subscriptions = []
        for user_id in with_push:
            sub = fake_push.subscribe()
            subscriptions.append(
                {
                    "user_id": user_id,
                    "endpoint": sub["endpoint"],
                    "p256dh": sub["keys"]["p256dh"],
                    "auth": sub["keys"]["auth"],
                    "created_at": now,
                }
            )
        if subscriptions:
            session.execute(insert(PushSubscription), subscriptions)
        phones = {u.id: u.phone for u in everyone}
        batch = []
        for n in range(messages):
            user_id = ids[n % len(ids)]
            batch.append(
                {
                    "idempotency_key": f"appointment:{n}:reminder-day-before:v0.s0",
                    "subject": f"appointment:{n}",
                    "kind": NotificationKind.reminder,
                    "user_id": user_id,
                    "channel": Channel.auto,
                    "recipient": phones[user_id],
                    "language": "cy" if n % 7 == 0 else "en",
                    "title": "My Pathways",
                    "body": "Reminder: you have an appointment tomorrow at 2:30pm.",
                    "sms_body": "Reminder: you have an appointment tomorrow at 2:30pm. See or change it: "
                    f"https://my-pathways.service.gov.uk/appointments/{n}",
                    "url": f"/appointments/{n}",
                    "routine": False,
                    "respects_quiet_hours": False,
                    "due_at": now,
                    "next_attempt_at": now,
                    "status": NotificationStatus.pending,
                    "attempts": 0,
                    "created_at": now,
                }
            )
            if len(batch) == 5000:
                session.execute(insert(Notification), batch)
                batch = []
        if batch:
            session.execute(insert(Notification), batch)
        session.commit()
    return {"clients with push": len(with_push)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--push-share", type=float, default=0.3)
    args = parser.parse_args()

    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from app.core.db import build_engine
    from app.core.migrations import upgrade_to_head
    from app.delivery.models import FINAL_STATUSES, Notification
    from app.delivery.senders import application_server_key
    from tests.fakes.notify_service import FakeNotify
    from tests.fakes.push_service import FakePushService
    from tests.notifications.conftest import VAPID_PUBLIC, environment_for_fakes
    from tests.postgres import start_cluster

    cluster = start_cluster()
    notify = FakeNotify().start()
    push = FakePushService(application_server_key(VAPID_PUBLIC)).start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        url = cluster.create_database("bench_reminders")
        upgrade_to_head(url)
        engine = build_engine(url)
        print(
            f"Queueing {args.messages:,} due reminders for {args.clients:,} clients "
            f"({args.push_share:.0%} with push)...",
            flush=True,
        )
        queue(engine, args.messages, args.clients, args.push_share, push)
        environment = {
            **os.environ,
            **environment_for_fakes(url, notify.url),
            "MYPATHWAYS_WORKER_BATCH_SIZE": "50",
            "MYPATHWAYS_WORKER_POLL_SECONDS": "0.2",
        }
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "app", "worker"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        while True:
            time.sleep(0.5)
            with Session(engine) as session:
                open_rows = session.exec(
                    select(func.count()).where(
                        col(Notification.status).not_in(list(FINAL_STATUSES))
                    )
                ).one()
            if int(open_rows) == 0:
                break
        elapsed = time.perf_counter() - started
        with Session(engine) as session:
            statuses = Counter(session.exec(select(Notification.status)).all())
            ids = set(session.exec(select(Notification.id)).all())
            keys = dict(session.exec(select(Notification.idempotency_key, Notification.id)).all())
        from app.delivery.senders import topic_for

        by_topic = {topic_for(key): nid for key, nid in keys.items()}
        received = Counter(int(str(s.reference).removeprefix("mp-")) for s in notify.sent)
        received.update(by_topic[r.topic] for r in push.received)
        duplicates = sum(n - 1 for n in received.values() if n > 1)
        lost = len(ids - set(received))
        print(
            f"workers            {args.workers} on PostgreSQL, {os.cpu_count()} CPU cores shared with the fakes"
        )
        print(
            f"messages           {len(ids):,}  (push {len(push.received):,}, text {len(notify.sent):,})"
        )
        print(f"elapsed            {elapsed:.1f} s")
        print(f"messages/second    {len(ids) / elapsed:,.0f}")
        print(f"duplicates         {duplicates}")
        print(f"lost               {lost}")
        print(f"final statuses     {dict(statuses)}")
        print(f"protocol errors    push {len(push.errors)}, notify {len(notify.errors)}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
        notify.stop()
        push.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
