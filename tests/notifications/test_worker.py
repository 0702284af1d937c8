"""The worker against loopback services that speak the real protocols: what a phone receives,
retries, fallbacks, leases, and every row ending in a final status."""

from __future__ import annotations

import contextvars
import itertools
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from app.core.clock import frozen_now, london_datetime, utcnow
from app.delivery.models import (
    FINAL_STATUSES,
    Notification,
    NotificationKind,
    NotificationStatus,
    PushSubscription,
)
from app.delivery.outbox import queue_for_client
from app.people.models import ClientProfile, ClientStatus, ReminderSettings
from app.reminders.planner import plan_test
from app.reminders.wording import TEST, link, simple_message
from tests.factories import make_adviser, make_appointment, make_client, make_slot
from tests.fakes.notify_service import FakeNotify
from tests.fakes.push_service import FakePushService
from tests.notifications.conftest import Outbox, subscription_row

NOON = london_datetime(date(2026, 11, 25), 12)


@pytest.fixture(autouse=True)
def daytime() -> Iterator[None]:
    """Every test here starts at midday, outside the default quiet hours (21:00–08:00):
    otherwise a run in the evening holds every message until morning and the test fails by
    the clock. Tests that need another time freeze their own."""
    with frozen_now(NOON):
        yield


Committed = Callable[[], Session]


def new_client(committed: Committed, language: str = "en", **settings: object) -> ClientProfile:
    with committed() as session:
        adviser, _ = make_adviser(session)
        profile, _ = make_client(session, adviser, language=language)
        assert profile.id is not None
        if settings:
            session.add(ReminderSettings(client_id=profile.id, **settings))  # type: ignore[arg-type]
        session.commit()
        return profile


def subscribe(committed: Committed, profile: ClientProfile, subscription: dict) -> None:  # type: ignore[type-arg]
    with committed() as session:
        session.add(subscription_row(profile.user_id, subscription))
        session.commit()


def queue_test_message(
    committed: Committed, profile: ClientProfile, key: str = "k", **fields: object
) -> int:
    with committed() as session:
        message = simple_message(
            "Your adviser has answered your request.", "/home", language=profile.language
        )
        row = queue_for_client(
            session=session,
            profile=profile,
            kind=NotificationKind.answer,
            key=f"{profile.id}:{key}",
            subject=f"client:{profile.id}",
            message=message,
            due_at=utcnow(),
            **fields,  # type: ignore[arg-type]
        )
        session.commit()
        assert row is not None and row.id is not None
        return row.id


def row(committed: Committed, notification_id: int) -> Notification:
    with committed() as session:
        found = session.get(Notification, notification_id)
        assert found is not None
        return found


def test_push_arrives_encrypted_signed_and_exactly_as_planned(
    outbox: Outbox, committed: Committed, fake_push: FakePushService, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    subscribe(committed, profile, fake_push.subscribe())
    with frozen_now(NOON):
        with committed() as session:
            adviser, _ = make_adviser(session)
            slot = make_slot(session, adviser, london_datetime(date(2026, 11, 26), 14, 30))
            fresh = session.get(ClientProfile, profile.id)
            assert fresh is not None
            fresh.adviser_id = adviser.id  # only a client's own adviser's times can be booked
            appointment = make_appointment(session, fresh, slot)
            session.commit()
        assert outbox.drain() == 1  # the confirmation; reminders wait for their time
    assert fake_push.errors == []
    [received] = fake_push.received
    assert received.payload["title"] == "My Pathways"
    assert received.payload["body"] == "Your appointment is booked. It is tomorrow at 2:30pm."
    assert received.payload["url"] == f"/appointments/{appointment.id}"
    assert [a["action"] for a in received.payload["actions"]] == ["see", "change"]
    assert received.payload["actions"][1]["url"] == f"/appointments/{appointment.id}/change"
    assert received.topic and received.ttl == str(outbox.settings.push_ttl_seconds)
    assert fake_notify.sent == []  # push worked, so no text
    with frozen_now(london_datetime(date(2026, 11, 25), 17, 1)):
        assert outbox.drain() == 1
    assert (
        fake_push.received[-1].payload["body"]
        == "Reminder: you have an appointment tomorrow at 2:30pm."
    )


def test_a_text_goes_through_notify_with_the_exact_words_and_link(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    notification_id = queue_test_message(committed, profile)
    outbox.drain()
    assert fake_notify.errors == []
    [sent] = fake_notify.sent
    assert sent.kind == "sms"
    assert sent.body == f"Your adviser has answered your request. See it here: {link('/home')}"
    assert sent.reference == f"mp-{notification_id}"  # never personal data
    stored = row(committed, notification_id)
    assert stored.status == NotificationStatus.sent and stored.sent_channel == "sms"
    assert stored.provider_reference == sent.id


def test_welsh_clients_get_welsh_push_and_text(
    outbox: Outbox, committed: Committed, fake_push: FakePushService, fake_notify: FakeNotify
) -> None:
    with_push = new_client(committed, language="cy")
    subscribe(committed, with_push, fake_push.subscribe())
    text_only = new_client(committed, language="cy")
    with frozen_now(NOON), committed() as session:
        for profile in (with_push, text_only):
            fresh = session.get(ClientProfile, profile.id)
            assert fresh is not None
            plan_test(session, fresh)
        session.commit()
    with frozen_now(NOON):
        outbox.drain()
    [push] = fake_push.received
    [text] = fake_notify.sent
    expected = simple_message(TEST, "/settings/reminders", language="cy")
    assert push.payload["body"] == expected.body
    assert text.body == expected.sms_body
    english = simple_message(TEST, "/settings/reminders", language="en")
    assert expected.body != english.body and "Fy Llwybrau" in expected.body


def test_a_gone_subscription_is_deleted_and_the_text_goes_instead(
    outbox: Outbox, committed: Committed, fake_push: FakePushService, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    subscribe(committed, profile, fake_push.subscribe(answer=410))
    notification_id = queue_test_message(committed, profile)
    outbox.drain()
    assert row(committed, notification_id).sent_channel == "sms"
    assert len(fake_notify.sent) == 1
    with committed() as session:
        assert (
            session.exec(
                select(PushSubscription).where(PushSubscription.user_id == profile.user_id)
            ).all()
            == []
        )


def test_push_service_trouble_is_retried_later_honouring_retry_after(
    outbox: Outbox, committed: Committed, fake_push: FakePushService, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    subscribe(committed, profile, fake_push.subscribe(failures=1, retry_after="600"))
    with frozen_now(NOON):
        notification_id = queue_test_message(committed, profile)
        outbox.drain()
    waiting = row(committed, notification_id)
    assert waiting.status == NotificationStatus.pending and waiting.attempts == 1
    assert waiting.next_attempt_at >= NOON + timedelta(seconds=600)
    assert waiting.last_error == "push: 503"
    with frozen_now(NOON + timedelta(minutes=11)):
        outbox.drain()
    done = row(committed, notification_id)
    assert done.status == NotificationStatus.sent and done.sent_channel == "push"
    assert len(fake_push.received) == 1 and fake_notify.sent == []


def test_notify_errors_retry_with_backoff_then_end_as_technical_failures(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    fake_notify.fail_next = 100
    moment = NOON
    with frozen_now(moment):
        notification_id = queue_test_message(committed, profile)
    gaps = []
    for _ in range(outbox.settings.worker_max_attempts):
        with frozen_now(moment):
            outbox.drain()
        current = row(committed, notification_id)
        if current.status != NotificationStatus.pending:
            break
        gaps.append((current.next_attempt_at - moment).total_seconds())
        moment = current.next_attempt_at
    final = row(committed, notification_id)
    assert final.status == NotificationStatus.failed_technical
    assert final.attempts == outbox.settings.worker_max_attempts
    assert all(later > earlier * 1.5 for earlier, later in itertools.pairwise(gaps))


def test_a_number_notify_refuses_is_a_permanent_failure(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    with committed() as session:
        user_phone = session.get(ClientProfile, profile.id).user_id  # type: ignore[union-attr]
    notification_id = queue_test_message(committed, profile)
    fake_notify.invalid_numbers.add(row(committed, notification_id).recipient or "")
    outbox.drain()
    assert user_phone
    final = row(committed, notification_id)
    assert final.status == NotificationStatus.failed_permanent
    assert final.last_error and "400" in final.last_error


def test_routine_reminders_are_cancelled_for_a_paused_client_at_send_time(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    notification_id = queue_test_message(committed, profile, routine=True)
    with committed() as session:
        fresh = session.get(ClientProfile, profile.id)
        assert fresh is not None
        fresh.status, fresh.paused_until = ClientStatus.paused, date(2027, 1, 6)
        session.add(fresh)
        session.commit()
    outbox.drain()
    assert row(committed, notification_id).status == NotificationStatus.cancelled
    assert fake_notify.sent == []


def test_nothing_goes_in_quiet_hours_even_a_retry(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed, quiet_start=21 * 60, quiet_end=13 * 60)
    with frozen_now(london_datetime(date(2026, 11, 25), 14)):
        notification_id = queue_test_message(committed, profile)
    # The worker was down; it comes back at 10pm, inside quiet hours.
    with frozen_now(london_datetime(date(2026, 11, 25), 22)):
        outbox.drain()
    waiting = row(committed, notification_id)
    assert waiting.status == NotificationStatus.pending and waiting.attempts == 0
    assert waiting.next_attempt_at == london_datetime(date(2026, 11, 26), 13)
    assert fake_notify.sent == []


def test_a_client_who_chose_no_channel_gets_nothing(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed, sms_on=False, push_on=False)
    notification_id = queue_test_message(committed, profile)
    outbox.drain()
    final = row(committed, notification_id)
    assert final.status == NotificationStatus.cancelled and final.last_error == "no channel chosen"
    assert fake_notify.sent == []


def test_an_expired_lease_lets_another_worker_finish_and_the_first_cannot_overwrite(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    with frozen_now(NOON):
        notification_id = queue_test_message(committed, profile)
        first = outbox.worker("first", lease=timedelta(seconds=30))
        [job], _ = first.claim()  # and then the first worker stalls
    with frozen_now(NOON + timedelta(seconds=31)):
        second = outbox.worker("second")
        assert second.run_once() == 1
        late = first.dispatcher.decide(job, utcnow())
        assert first.record(job, late) is False
    final = row(committed, notification_id)
    assert final.status == NotificationStatus.sent and final.attempts == 2


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_workers_never_send_one_message_twice(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify, backend: str, workers: int
) -> None:
    profiles = [new_client(committed) for _ in range(20)]
    ids = [queue_test_message(committed, p, key=f"m{n}") for p in profiles for n in range(30)]
    # Each thread runs in a copy of this context, so it shares the frozen midday clock.
    threads = [
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(outbox.drain, outbox.worker(f"w{n}", batch_size=5)),
        )
        for n in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = Counter(sent.reference for sent in fake_notify.sent)
    assert len(counts) == len(ids)
    assert max(counts.values()) == 1
    with committed() as session:
        statuses = session.exec(
            select(Notification.status).where(col(Notification.id).in_(ids))
        ).all()
    assert set(statuses) == {NotificationStatus.sent}
    assert set(statuses) <= FINAL_STATUSES


def test_each_send_logs_one_structured_line_with_nothing_personal(
    outbox: Outbox,
    committed: Committed,
    fake_notify: FakeNotify,
    caplog: pytest.LogCaptureFixture,
) -> None:
    profile = new_client(committed)
    notification_id = queue_test_message(committed, profile)
    with caplog.at_level(logging.INFO, logger="mypathways.delivery"):
        outbox.drain()
    [line] = [r for r in caplog.records if r.name == "mypathways.delivery"]
    assert line.notification_id == notification_id  # type: ignore[attr-defined]
    assert line.channel == "sms" and line.outcome == "sent"  # type: ignore[attr-defined]
    assert isinstance(line.ms, float) and line.ms >= 0  # type: ignore[attr-defined]
    recipient = row(committed, notification_id).recipient or ""
    assert recipient and recipient not in line.getMessage()
    assert recipient not in str(line.__dict__) and "answered" not in str(line.__dict__)


def test_a_slow_reply_from_notify_never_sends_the_text_twice(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    """Notify accepts the text but answers after our timeout (#16 item 4): the next try asks
    Notify by reference (GET /v2/notifications?reference=…) and does not send it again."""
    profile = new_client(committed)
    outbox.settings = outbox.settings.model_copy(update={"send_timeout_seconds": 0.3})
    fake_notify.answer_late = 1.0
    moment = NOON
    with frozen_now(moment):
        notification_id = queue_test_message(committed, profile)
        outbox.drain()
    first = row(committed, notification_id)
    assert first.status == NotificationStatus.pending  # no answer: not known to be sent
    assert len(fake_notify.sent) == 1  # but Notify has it
    fake_notify.answer_late = 0.0
    with frozen_now(first.next_attempt_at):
        outbox.drain()
    done = row(committed, notification_id)
    assert done.status == NotificationStatus.sent
    assert done.provider_reference == fake_notify.sent[0].id
    assert len(fake_notify.sent) == 1  # one reminder, one text
    assert fake_notify.lookups == [f"mp-{notification_id}"]


def test_a_text_notify_does_not_have_is_sent_on_the_next_try(
    outbox: Outbox, committed: Committed, fake_notify: FakeNotify
) -> None:
    profile = new_client(committed)
    fake_notify.fail_next = 1  # a 500: not sent
    with frozen_now(NOON):
        notification_id = queue_test_message(committed, profile)
        outbox.drain()
    first = row(committed, notification_id)
    with frozen_now(first.next_attempt_at):
        outbox.drain()
    assert row(committed, notification_id).status == NotificationStatus.sent
    assert len(fake_notify.sent) == 1
    assert fake_notify.lookups == [f"mp-{notification_id}"]
