"""SIGKILL a worker in the middle of sending 10,000 messages, twice, and restart it: every
message reaches a final status, none is lost, and at most one is sent twice per kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.delivery.models import (
    FINAL_STATUSES,
    Channel,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from app.delivery.senders import topic_for
from tests.factories import make_client
from tests.fakes.notify_service import FakeNotify
from tests.fakes.push_service import FakePushService
from tests.notifications.conftest import environment_for_fakes, subscription_row

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 4_000  # enough that each kill lands mid-batch, with thousands still due
PUSHED = 400  # of which go by push, the rest by text


def queue_many(engine: Engine, fake_push: FakePushService) -> None:
    with Session(engine) as session:
        _profile, user = make_client(session)
        assert user.id is not None
        subscription = fake_push.subscribe()
        session.add(subscription_row(user.id, subscription))
        now = utcnow()
        rows = [
            {
                "idempotency_key": f"crash:{n}",
                "subject": "crash-test",
                "kind": NotificationKind.test,
                "user_id": user.id if n < PUSHED else None,
                "channel": Channel.push if n < PUSHED else Channel.sms,
                "recipient": None if n < PUSHED else f"+4477009{n:05d}",
                "language": "en",
                "title": "My Pathways",
                "body": f"Message {n}",
                "sms_body": f"Message {n}",
                "url": "/home",
                "routine": False,
                "respects_quiet_hours": False,
                "due_at": now,
                "next_attempt_at": now,
                "status": NotificationStatus.pending,
                "attempts": 0,
                "created_at": now,
            }
            for n in range(TOTAL)
        ]
        session.execute(insert(Notification), rows)
        session.commit()


def start_worker(environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # kept for reading when something goes wrong
        return subprocess.Popen(
            [sys.executable, "-m", "app", "worker"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
        )


def wait_until(condition: Callable[[], bool], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out; worker said:\n" + log.read_text()[-3000:]
        time.sleep(0.05)


def test_killed_workers_lose_nothing_and_send_at_most_one_twice_per_kill(
    outbox_engine: Engine,
    outbox_database_url: str,
    fake_notify: FakeNotify,
    fake_push: FakePushService,
    tmp_path: Path,
) -> None:
    log = tmp_path / "worker.log"
    queue_many(outbox_engine, fake_push)
    # Notify's limit of 3,000 texts, but per second rather than per minute: the killed
    # workers' slots are kept to it too, and 3,600 texts need not take over a minute.
    fake_notify.rate_window = 1.0
    environment = {
        **os.environ,
        **environment_for_fakes(outbox_database_url, fake_notify.url),
        "MYPATHWAYS_WORKER_LEASE_SECONDS": "3",
        "MYPATHWAYS_WORKER_POLL_SECONDS": "0.05",
        "MYPATHWAYS_WORKER_BATCH_SIZE": "25",
        "MYPATHWAYS_NOTIFY_RATE_WINDOW_SECONDS": "1",
    }

    def delivered() -> int:
        return len(fake_notify.sent) + len(fake_push.received)

    kills = 0
    worker = start_worker(environment, log)
    try:
        for threshold in (TOTAL // 4, TOTAL // 2):
            wait_until(lambda t=threshold: delivered() >= t, timeout=120, log=log)  # type: ignore[misc]
            os.kill(worker.pid, signal.SIGKILL)  # no goodbye: whatever it held stays leased
            worker.wait()
            kills += 1
            worker = start_worker(environment, log)

        def all_final() -> bool:
            with Session(outbox_engine) as session:
                open_rows = session.exec(
                    select(func.count()).where(
                        col(Notification.status).not_in(list(FINAL_STATUSES))
                    )
                ).one()
            return int(open_rows) == 0

        wait_until(all_final, timeout=240, log=log)
    finally:
        worker.terminate()
        worker.wait(timeout=10)

    with Session(outbox_engine) as session:
        statuses = Counter(session.exec(select(Notification.status)).all())
        keys = dict(session.exec(select(Notification.id, Notification.idempotency_key)).all())
    assert statuses == {NotificationStatus.sent: TOTAL}
    texts = Counter(sent.reference for sent in fake_notify.sent)
    by_topic = {topic_for(key): key for key in keys.values()}
    pushes = Counter(by_topic[received.topic] for received in fake_push.received)
    assert len(texts) == TOTAL - PUSHED and len(pushes) == PUSHED  # none lost
    duplicates = sum(n - 1 for n in texts.values()) + sum(n - 1 for n in pushes.values())
    assert duplicates <= kills
    assert fake_push.errors == [] and fake_notify.errors == []
    assert fake_notify.rate_limited == 0
