"""Dispatch due reminders with 4 `python -m app worker` processes on PostgreSQL, to the
loopback push service and Notify fakes (which verify VAPID / the Notify JWT and decrypt every
push body; the Notify fake refuses with 429 past its rate limit, as GOV.UK Notify does).

Prints push and text rates separately: push in messages per second (the target is 2,000/s),
texts per second and the most texts in any rolling minute against the limit the workers share
(`MYPATHWAYS_NOTIFY_TEXTS_PER_MINUTE`, Notify's 3,000 by default; this bench sets 600 so a
run of a few minutes sends several minutes' worth), then duplicates, lost and 429s (all 0).

Usage: .venv/bin/python bench/reminders.py [--messages 20000] [--texts 1500] [--text-limit 600]
       [--workers 4]
The default run takes about 2 to 3 minutes: 1,500 texts at 600 a minute need three windows.
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
    engine, messages: int, texts: int, clients: int, fake_push, composed: int
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Clients who get texts and clients with a phone that takes push, and their due
    reminders in bulk: `texts` of the `messages` go to the first kind, the rest by push.
    `composed` of them (half texts, half push) are about real appointments, written when sent."""
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
    pushes = messages - texts
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
        # Clients in proportion to their messages, at least one of each kind that has any.
        texters = max(1, min(clients - 1, round(clients * texts / max(messages, 1))))
        text_users = ids[:texters] if texts else []
        push_users = ids[texters:] if pushes else []
        subscriptions = []
        for user_id in push_users:
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
        composed_texts = min(composed // 2, len(text_users), texts)
        composed_pushes = min(composed - composed_texts, len(push_users), pushes)
        about = text_users[:composed_texts] + push_users[:composed_pushes]
        appointment_ids = _appointments(session, about, now)
        batch = []
        for user_id, appointment_id in zip(about, appointment_ids, strict=True):
            # Composed when sent (delivery.composing): one reminder per real appointment.
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
        plain = [text_users[n % len(text_users)] for n in range(texts - composed_texts)]
        plain += [push_users[n % len(push_users)] for n in range(pushes - composed_pushes)]
        for n, user_id in enumerate(plain):
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
    return {"texts": texts, "pushes": pushes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000, help="push and texts together")
    parser.add_argument("--texts", type=int, default=1_500, help="of the messages, texts")
    parser.add_argument(
        "--text-limit",
        type=int,
        default=600,
        help="texts per rolling minute for workers and the Notify fake (Notify allows 3,000)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument(
        "--composed",
        type=int,
        default=2_000,
        help="reminders about real appointments, written when sent",
    )
    args = parser.parse_args()
    texts = min(args.texts, args.messages)
    pushes = args.messages - texts

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
    # The fake counts every send in a rolling minute and answers 429 past the limit.
    notify = FakeNotify(rate_limit=args.text_limit, rate_window=60.0).start()
    push = FakePushService(application_server_key(VAPID_PUBLIC)).start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        url = cluster.create_database("bench_reminders")
        upgrade_to_head(url)
        engine = build_engine(url)
        print(
            f"Queueing {args.messages:,} due reminders ({pushes:,} push, {texts:,} texts) for "
            f"{args.clients:,} clients; texts limited to {args.text_limit:,} a minute "
            f"(a bench setting: Notify's own limit is 3,000)...",
            flush=True,
        )
        queue(engine, args.messages, texts, args.clients, push, min(args.composed, args.clients))
        environment = {
            **os.environ,
            **environment_for_fakes(url, notify.url),
            "MYPATHWAYS_WORKER_BATCH_SIZE": "50",
            "MYPATHWAYS_WORKER_POLL_SECONDS": "0.2",
            "MYPATHWAYS_NOTIFY_TEXTS_PER_MINUTE": str(args.text_limit),
        }
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "app", "worker"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # a line per message; the figures are below
            )
            for _ in range(args.workers)
        ]
        push_done: float | None = None
        while True:
            time.sleep(0.2)
            if push_done is None and len(push.received) >= pushes:
                push_done = time.perf_counter() - started
            with Session(engine) as session:
                open_rows = session.exec(
                    select(func.count()).where(
                        col(Notification.status).not_in(list(FINAL_STATUSES))
                    )
                ).one()
            if int(open_rows) == 0:
                break
        elapsed = time.perf_counter() - started
        push_done = push_done or elapsed
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
        arrivals = sorted(s.at for s in notify.sent)
        text_span = (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
        cores = os.cpu_count()
        print(
            f"workers            {args.workers} on PostgreSQL, {cores} CPU cores shared with the fakes"
        )
        print(
            f"messages           {len(ids):,}  (push {len(push.received):,}, "
            f"text {len(notify.sent):,})  in {elapsed:.1f} s"
        )
        print(
            f"push               {len(push.received) / push_done:,.0f} messages/s "
            f"(all {len(push.received):,} in {push_done:.1f} s; target 2,000/s)"
        )
        print(
            f"texts              {len(notify.sent) / elapsed:,.1f} messages/s overall; "
            f"first to last {text_span:.1f} s"
        )
        print(
            f"texts per minute   {notify.max_in_window(60.0):,} most in any rolling 60 s "
            f"(limit {args.text_limit:,}, a bench setting; Notify's is 3,000)"
        )
        print(f"429 responses      {notify.rate_limited}")
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
            worker.terminate()  # SIGTERM: each finishes the batch in hand
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a batch of push on a busy machine
                worker.kill()
                worker.wait()
        notify.stop()
        push.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
