"""#21: the worker counts each message it dealt with (by channel and outcome) where it records
the result, and counts the leases it lost to another worker."""

from __future__ import annotations

from prometheus_client import REGISTRY

from app.core.clock import frozen_now
from app.delivery.dispatch import Decision, Job
from tests.fakes.notify_service import FakeNotify
from tests.notifications.conftest import Outbox
from tests.notifications.test_worker import NOON, Committed, new_client, queue_test_message


def sends(channel: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "mypathways_sends_total", {"channel": channel, "outcome": outcome}
    )
    return value or 0.0


def leases_lost() -> float:
    return REGISTRY.get_sample_value("mypathways_worker_leases_lost_total") or 0.0


def test_each_recorded_send_is_counted_by_channel_and_outcome(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    before = sends("sms", "sent")
    with frozen_now(NOON):
        profile = new_client(committed)
        queue_test_message(committed, profile, key="a")
        queue_test_message(committed, profile, key="b")
        assert outbox.drain() == 2
    assert sends("sms", "sent") == before + 2


def test_a_lost_lease_is_counted_and_the_send_is_not(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    with frozen_now(NOON):
        profile = new_client(committed)
        queue_test_message(committed, profile)
        worker = outbox.worker("stalled")

        def taken_over(_job: Job, _decision: Decision) -> bool:
            return False  # what record() says once another worker holds the message

        worker.record = taken_over  # type: ignore[method-assign,assignment]
        before_lost, before_sent = leases_lost(), sends("sms", "sent")
        assert worker.run_once() == 1
    assert leases_lost() == before_lost + 1
    assert sends("sms", "sent") == before_sent
