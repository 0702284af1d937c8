"""GOV.UK Notify's rate limit (3,000 messages per rolling minute per API key, "API rate
limits" in Notify's API documentation), kept by all workers together through the database
(app/delivery/send_slots.py), against the loopback Notify, which refuses with 429 like the
real one. The limit and the window are shrunk (a few texts per second) so the tests are fast;
the rule is the same."""

from __future__ import annotations

import contextvars
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from app.core.clock import frozen_now
from app.delivery.models import Notification, NotificationStatus
from app.delivery.send_slots import SLOT_MARGIN, SendSlots
from app.delivery.worker import Worker
from tests.fakes.notify_service import FakeNotify
from tests.fakes.push_service import FakePushService
from tests.notifications.conftest import Outbox, settings_for_fakes
from tests.notifications.test_worker import (
    NOON,
    Committed,
    new_client,
    queue_test_message,
    subscribe,
)

LIMIT = 5  # texts per window, here and at the fake Notify
WINDOW = 1.0  # seconds


@pytest.fixture(autouse=True)
def daytime() -> Iterator[None]:
    with frozen_now(NOON):  # outside quiet hours whenever the tests run
        yield


@pytest.fixture
def limited(outbox: Outbox, fake_notify: FakeNotify) -> Outbox:
    """The outbox with Notify's limit at LIMIT per WINDOW seconds, on both sides."""
    fake_notify.rate_limit, fake_notify.rate_window = LIMIT, WINDOW
    outbox.settings = settings_for_fakes(
        outbox.settings.database_url,
        fake_notify.url,
        notify_texts_per_minute=LIMIT,
        notify_rate_window_seconds=WINDOW,
    )
    return outbox


def statuses(committed: Committed, ids: list[int]) -> list[Notification]:
    with committed() as session:
        return list(
            session.exec(
                select(Notification).where(col(Notification.id).in_(ids)).order_by("id")
            ).all()
        )


def run_until_done(workers: list[Worker], committed: Committed, ids: list[int]) -> float:
    """Run each worker in a thread of its own (its own sessions) until every row is final;
    returns the seconds it took."""
    started = time.monotonic()
    stop = threading.Event()

    def loop(worker: Worker) -> None:
        while not stop.is_set():
            if worker.run_once() == 0:
                stop.wait(0.02)

    # Each thread runs in a copy of this context, so it shares the frozen midday clock.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(loop, worker))
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = started + 60
        while any(r.status != NotificationStatus.sent for r in statuses(committed, ids)):
            assert time.monotonic() < deadline, "texts still not sent after a minute"
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return time.monotonic() - started


def test_the_fake_notify_refuses_what_goes_over_the_limit(
    limited: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    """Without the shared limit, the fake refuses like Notify: so the tests below can fail."""
    profile = new_client(committed)
    ids = [queue_test_message(committed, profile, key=f"m{n}") for n in range(LIMIT + 3)]
    limited.drain(limited.worker(send_slots=None, batch_size=20))
    assert fake_notify.rate_limited == 3
    refused = [r for r in statuses(committed, ids) if r.status == NotificationStatus.pending]
    assert len(refused) == 3 and {r.last_error for r in refused} == {"notify: 429"}


@pytest.mark.parametrize("workers", [3])
def test_workers_together_keep_to_the_limit_and_send_each_text_once(
    limited: Outbox, committed: Committed, fake_notify: FakeNotify, workers: int
) -> None:
    profiles = [new_client(committed) for _ in range(3)]
    ids = [queue_test_message(committed, p, key=f"m{n}") for p in profiles for n in range(5)]
    pool = [limited.worker(f"w{n}", batch_size=4) for n in range(workers)]

    elapsed = run_until_done(pool, committed, ids)

    assert fake_notify.rate_limited == 0
    assert fake_notify.max_in_window(WINDOW) <= LIMIT
    counts = Counter(sent.reference for sent in fake_notify.sent)
    assert set(counts) == {f"mp-{i}" for i in ids}  # none lost
    assert max(counts.values()) == 1  # none twice
    rows = statuses(committed, ids)
    # Waiting for a slot is not a try, and leaves nothing behind.
    assert {r.attempts for r in rows} == {1}
    assert not any(r.waiting_for_slot for r in rows)
    # 15 texts at 5 a window: three windows' worth, each slot reused after WINDOW + margin.
    assert elapsed >= 2 * (WINDOW + SLOT_MARGIN) * 0.9


def test_texts_wait_due_while_push_goes_at_once(
    limited: Outbox,
    committed: Committed,
    fake_notify: FakeNotify,
    fake_push: FakePushService,
) -> None:
    texter = new_client(committed)
    pusher = new_client(committed)
    subscribe(committed, pusher, fake_push.subscribe())
    # The texts fell due first, so they are first in the claim's order.
    texts = [queue_test_message(committed, texter, key=f"t{n}") for n in range(3 * LIMIT)]
    pushes = [queue_test_message(committed, pusher, key=f"p{n}") for n in range(10)]
    before = {r.id: r.next_attempt_at for r in statuses(committed, texts)}
    worker = limited.worker(batch_size=4)

    started = time.monotonic()
    claims = 0
    while worker.run_once():
        claims += 1
    assert time.monotonic() - started < WINDOW + SLOT_MARGIN  # nobody waited for a slot

    assert len(fake_push.received) == 10
    assert all(r.status == NotificationStatus.sent for r in statuses(committed, pushes))
    rows = statuses(committed, texts)
    sent = [r for r in rows if r.status == NotificationStatus.sent]
    waiting = [r for r in rows if r.status == NotificationStatus.pending]
    assert len(sent) == LIMIT and len(waiting) == 2 * LIMIT
    # Still due, in their place, no try counted, and claimed once, not at every claim.
    assert all(r.waiting_for_slot and r.attempts == 0 and r.last_error is None for r in waiting)
    assert all(r.next_attempt_at == before[r.id] for r in waiting)
    assert claims <= (3 * LIMIT + 10) // 4 + 2
    assert fake_notify.rate_limited == 0

    # Once the window has moved on, the waiting texts go, a window's worth at a time.
    time.sleep(WINDOW + SLOT_MARGIN + 0.2)
    while worker.run_once():
        pass
    assert len(fake_notify.sent) == 2 * LIMIT
    assert fake_notify.rate_limited == 0 and fake_notify.max_in_window() <= LIMIT


def test_a_push_that_falls_back_to_a_text_takes_a_slot_or_waits(
    limited: Outbox,
    committed: Committed,
    fake_notify: FakeNotify,
    fake_push: FakePushService,
) -> None:
    """The claim expected push, so it took no slot: the fallback takes one there and then,
    and waits (its gone subscription still deleted) when the window is full."""
    first, second = new_client(committed), new_client(committed)
    for profile in (first, second):
        subscribe(committed, profile, fake_push.subscribe(answer=410))
    texter = new_client(committed)
    fillers = [queue_test_message(committed, texter, key=f"t{n}") for n in range(LIMIT - 1)]
    gone = [queue_test_message(committed, p, key="gone") for p in (first, second)]
    limited.drain(limited.worker(batch_size=10))

    rows = {r.id: r for r in statuses(committed, fillers + gone)}
    assert rows[gone[0]].sent_channel == "sms"
    late = rows[gone[1]]
    assert late.status == NotificationStatus.pending and late.waiting_for_slot
    assert late.attempts == 0
    assert len(fake_notify.sent) == LIMIT and fake_notify.rate_limited == 0


def test_slots_are_shared_taken_in_one_go_and_given_back(limited: Outbox) -> None:
    slots = SendSlots(limit=3, window_seconds=WINDOW)
    other = SendSlots(limit=3, window_seconds=WINDOW)  # another worker's view, same table
    with limited.engine.begin() as connection:
        session = Session(bind=connection)
        assert slots.free_count(session) == 3
        taken = slots.take(session, 2)
        assert len(taken) == 2
        mine = {slot for slot, _stamp in taken}
        theirs = other.take(session, 5)
        assert sorted(slot for slot, _ in theirs) == [n for n in (1, 2, 3) if n not in mine]
        assert slots.take(session, 1) == [] and other.free_count(session) == 0
        # Given back: free at once. A stamp that is not the slot's own frees nothing.
        slots.give_back(session, [(theirs[0][0], theirs[0][1] - 1.0)])
        assert other.free_count(session) == 0
        slots.give_back(session, taken[:1])
        assert [slot for slot, _ in other.take(session, 5)] == [taken[0][0]]
    with pytest.raises(ValueError):
        SendSlots(limit=0, window_seconds=60)
