"""Fixtures for the outbox: loopback push and Notify services, settings that point at them,
and a database of its own whose rows are committed (workers use their own transactions)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.config import Environment, Settings
from app.core.db import build_engine
from app.core.vapid import new_key_pair
from app.delivery.dispatch import build_dispatcher
from app.delivery.models import Notification, NotifySendSlot, PushSubscription
from app.delivery.senders import application_server_key
from app.delivery.worker import Worker, send_slots_for
from app.people.models import ReminderSettings
from tests.fakes import notify_service
from tests.fakes.notify_service import FakeNotify
from tests.fakes.push_service import FakePushService

BASE_URL = "https://mypathways.example.gov.uk"
VAPID_PRIVATE, VAPID_PUBLIC = new_key_pair()


@pytest.fixture
def fake_push() -> Iterator[FakePushService]:
    service = FakePushService(application_server_key(VAPID_PUBLIC)).start()
    yield service
    service.stop()


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    service = FakeNotify().start()
    yield service
    service.stop()


def subscription_row(user_id: int, subscription: dict[str, Any]) -> PushSubscription:
    """A PushSubscription row for a subscription made on the fake push service."""
    return PushSubscription(
        user_id=user_id,
        endpoint=subscription["endpoint"],
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
    )


def settings_for_fakes(database_url: str, notify_url: str, **extra: object) -> Settings:
    return Settings(
        env=Environment.test,
        database_url=database_url,
        base_url=BASE_URL,
        vapid_private_key=VAPID_PRIVATE.decode(),
        vapid_public_key=VAPID_PUBLIC.decode(),
        notify_api_key=notify_service.API_KEY,
        notify_base_url=notify_url,
        notify_sms_template_id=notify_service.SMS_TEMPLATE,
        notify_email_template_id=notify_service.EMAIL_TEMPLATE,
        **extra,  # type: ignore[arg-type]
    )


def environment_for_fakes(database_url: str, notify_url: str) -> dict[str, str]:
    """The same settings as environment variables, for worker processes."""
    return {
        "MYPATHWAYS_ENV": "test",
        "MYPATHWAYS_DATABASE_URL": database_url,
        "MYPATHWAYS_BASE_URL": BASE_URL,
        "MYPATHWAYS_VAPID_PRIVATE_KEY": VAPID_PRIVATE.decode().replace("\n", "\\n"),
        "MYPATHWAYS_VAPID_PUBLIC_KEY": VAPID_PUBLIC.decode().replace("\n", "\\n"),
        "MYPATHWAYS_NOTIFY_API_KEY": notify_service.API_KEY,
        "MYPATHWAYS_NOTIFY_BASE_URL": notify_url,
        "MYPATHWAYS_NOTIFY_SMS_TEMPLATE_ID": notify_service.SMS_TEMPLATE,
        "MYPATHWAYS_NOTIFY_EMAIL_TEMPLATE_ID": notify_service.EMAIL_TEMPLATE,
    }


@pytest.fixture(scope="session")
def outbox_database_url(backend: str, migrated_database) -> str:  # type: ignore[no-untyped-def]
    url: str = migrated_database(backend)
    return url


@pytest.fixture
def outbox_engine(outbox_database_url: str) -> Iterator[Engine]:
    engine = build_engine(outbox_database_url)
    with Session(engine) as session:
        # The rate limit's slots too: each test starts with Notify's window empty.
        for table in (Notification, PushSubscription, ReminderSettings, NotifySendSlot):
            session.exec(delete(table))
        session.commit()
    yield engine
    engine.dispose()


@dataclass
class Outbox:
    engine: Engine
    settings: Settings
    http: httpx.Client

    def worker(self, name: str = "test-worker", **kwargs: object) -> Worker:
        dispatcher = build_dispatcher(self.settings, self.http)
        dispatcher.retry_base_seconds = 30.0
        kwargs.setdefault("send_slots", send_slots_for(self.settings))
        return Worker(self.engine, dispatcher, name=name, keep_codes=True, **kwargs)  # type: ignore[arg-type]

    def drain(self, worker: Worker | None = None) -> int:
        worker = worker or self.worker()
        total = 0
        while claimed := worker.run_once():
            total += claimed
        return total


@pytest.fixture
def outbox(
    outbox_engine: Engine,
    outbox_database_url: str,
    fake_notify: FakeNotify,
    fake_push: FakePushService,
) -> Iterator[Outbox]:
    settings = settings_for_fakes(outbox_database_url, fake_notify.url)
    with httpx.Client(timeout=5) as http:
        yield Outbox(outbox_engine, settings, http)


@pytest.fixture
def committed(outbox_engine: Engine) -> Iterator[Callable[[], Session]]:
    """Sessions whose work is committed, for data the worker must see."""
    sessions: list[Session] = []

    def open_session() -> Session:
        session = Session(outbox_engine, expire_on_commit=False)
        sessions.append(session)
        return session

    yield open_session
    for session in sessions:
        session.close()
