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


def _appointments(session, client_user_ids: list[int], now) -> list[int]:  # type: ignore[no-untyped-def]
    """An office, an adviser, and one appointment three days ahead for each of these clients."""
    from datetime import timedelta

    from sqlalchemy import insert
    from sqlmodel import col, select

    from app.appointments.models import Appointment, AppointmentKind
    from app.offices.models import Office
    from app.people.models import Adviser, ClaimantType, ClientProfile, Role, User

    if not client_user_ids:
        return []
    office = Office(name="Bench", address="1 Bench Street", postcode="AB1 2CD", phone="0800")
    adviser_user = User(role=Role.adviser, full_name="Bench Adviser", email="bench@example.org")
    session.add_all([office, adviser_user])
    session.flush()
    adviser = Adviser(user_id=adviser_user.id, office_id=office.id)
    session.add(adviser)
    session.flush()
    profiles = [
        {
            "user_id": user_id,
            "adviser_id": adviser.id,
            "claimant_type": ClaimantType.mandatory,
            "claim_date": now.date(),
            "language": "en",
        }
        for user_id in client_user_ids
    ]
    session.execute(insert(ClientProfile), profiles)
    profile_ids = session.exec(select(ClientProfile.id).order_by(col(ClientProfile.id))).all()
    starts = now + timedelta(days=3)
    session.execute(
        insert(Appointment),
        [
            {
                "uid": f"bench-{n}",
                "client_id": profile_id,
                "adviser_id": adviser.id,
                "kind": AppointmentKind.wfi,
                "starts_at": starts,
                "created_at": now,
                "updated_at": now,
            }
            for n, profile_id in enumerate(profile_ids)
        ],
    )
    return list(session.exec(select(Appointment.id).order_by(col(Appointment.id))).all())


def queue(
    engine, messages: int, clients: int, push_share: float, fake_push, composed: int
) -> dict[str, int]:  # type: ignore[no-untyped-def]
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
        appointment_ids = _appointments(session, ids[:composed], now)
        batch = []
        for n, appointment_id in enumerate(appointment_ids):
            # Composed when sent (delivery.composing): one reminder per real appointment.
            user_id = ids[n]
            batch.append(
                {
                    "idempotency_key": f"appointment:{appointment_id}:reminder-day-before:v0.s0",
                    "subject": f"appointment:{appointment_id}",
                    "kind": NotificationKind.reminder,
                    "user_id": user_id,
                    "channel": Channel.auto,
                    "recipient": phones[user_id],
                    "language": "en",
                    "title": "",
                    "body": "",
                    "sms_body": "",
                    "url": "/",
                    "routine": False,
                    "respects_quiet_hours": False,
                    "wording": "reminder",
                    "subject_version": 0,
                    "due_at": now,
                    "next_attempt_at": now,
                    "status": NotificationStatus.pending,
                    "attempts": 0,
                    "created_at": now,
                }
            )
        for n in range(len(appointment_ids), messages):
            user_id = ids[n % len(ids)]
            batch.append(
                {
                    "idempotency_key": f"bench:{n}:reminder-day-before",
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
    parser.add_argument(
        "--composed",
        type=int,
        default=2_000,
        help="reminders about real appointments, written when sent",
    )
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
        queue(
            engine,
            args.messages,
            args.clients,
            args.push_share,
            push,
            min(args.composed, args.clients),
        )
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
        with Session(engine) as session:
            composed = session.exec(
                select(Notification.status, Notification.body).where(
                    col(Notification.wording).is_not(None)
                )
            ).all()
        written = sum(
            1 for _, body in composed if body.startswith("Reminder: you have an appointment on")
        )
        print(
            f"composed when sent {len(composed):,}, of which with words written at send: {written:,}"
        )
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
