"""The outbox worker: claims due messages under a lease, sends them, records every outcome.

- Claims take rows that are due (or whose lease ran out because a worker died). On PostgreSQL
  they use FOR UPDATE SKIP LOCKED, so any number of workers on any number of machines never
  claim one row twice; on SQLite the claim takes the write lock (BEGIN IMMEDIATE).
- A worker sends one message at a time and records its result straight after, so if it is
  killed, at most the one message in flight can be sent again (by whoever claims it after the
  lease). Push messages carry a Topic, so a phone that was offline shows it once.
- Failures retry with exponential backoff (honouring Retry-After) up to a bound, then end as
  failed-technical. Every row ends in a final status.
- Quiet hours and pauses are checked again at send time: a retry never lands in quiet hours
  and a paused client gets no routine reminder, whatever was planned.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, delete, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.caseload.models import ClientProfile, ClientStatus
from app.core.clock import utcnow
from app.core.config import Environment, Settings
from app.core.db import run_write
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationStatus,
    PushSubscription,
    ReminderSettings,
)
from app.notifications.senders import (
    DevelopmentOutbox,
    NotifySender,
    Outcome,
    PushSender,
    Result,
    TextSender,
    topic_for,
)
from app.notifications.timing import end_of_quiet_hours, in_quiet_hours

log = logging.getLogger("mypathways.worker")

SEE_DETAILS = lazy_gettext("See details")
CHANGE = lazy_gettext("Change")


@dataclass
class Job:
    """A claimed message, with what sending it needs, read in the claim's transaction."""

    id: int
    key: str
    kind: str
    channel: str
    recipient: str | None
    language: str
    title: str
    body: str
    sms_body: str
    url: str
    routine: bool
    respects_quiet_hours: bool
    attempts: int
    settings: ReminderSettings
    paused: bool
    subscriptions: list[PushSubscription] = field(default_factory=list)


@dataclass
class Decision:
    status: NotificationStatus
    channel: str | None = None
    reference: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    gone_subscriptions: list[int] = field(default_factory=list)


def push_payload(job: Job) -> dict[str, Any]:
    """What the service worker shows: discreet words, a tag so repeats replace each other,
    and for appointments the actions "See details" and "Change"."""
    payload: dict[str, Any] = {
        "title": job.title,
        "body": job.body,
        "url": job.url,
        "tag": topic_for(job.key),
    }
    if job.url.startswith("/appointments/"):
        with use_language(job.language):
            payload["actions"] = [
                {"action": "see", "title": _(SEE_DETAILS), "url": job.url},
                {"action": "change", "title": _(CHANGE), "url": job.url + "/change"},
            ]
    return payload


class Dispatcher:
    """Decides what to do with one claimed message, and does the sending."""

    def __init__(
        self,
        *,
        push: PushSender | None,
        text: TextSender,
        max_attempts: int,
        retry_base_seconds: float = 30.0,
    ) -> None:
        self.push = push
        self.text = text
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds

    def _retry(self, job: Job, outcome: Outcome, now: datetime) -> Decision:
        if job.attempts >= self.max_attempts:
            return Decision(NotificationStatus.failed_technical, error=outcome.error)
        backoff = min(self.retry_base_seconds * 2 ** (job.attempts - 1), 3600.0)
        backoff *= random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not security
        wait = max(backoff, outcome.retry_after or 0.0)
        return Decision(
            NotificationStatus.pending,
            error=outcome.error,
            next_attempt_at=now + timedelta(seconds=wait),
        )

    def decide(self, job: Job, now: datetime) -> Decision:
        if job.routine and job.paused:
            return Decision(NotificationStatus.cancelled, error="client paused")
        if job.respects_quiet_hours and in_quiet_hours(now, job.settings):
            return Decision(
                NotificationStatus.pending, next_attempt_at=end_of_quiet_hours(now, job.settings)
            )
        if job.attempts > self.max_attempts:
            return Decision(NotificationStatus.failed_technical, error="too many tries")
        gone: list[int] = []
        if job.channel in (Channel.push, Channel.auto) and self.push and job.settings.push_on:
            retry: Outcome | None = None
            for subscription in job.subscriptions:
                assert subscription.id is not None
                outcome = self.push.send(
                    subscription.endpoint,
                    subscription.p256dh,
                    subscription.auth,
                    push_payload(job),
                    topic_for(job.key),
                )
                if outcome.result == Result.sent:
                    return Decision(
                        NotificationStatus.sent, channel="push", gone_subscriptions=gone
                    )
                if outcome.result == Result.gone:
                    gone.append(subscription.id)
                elif outcome.result == Result.retry:
                    retry = outcome
            if retry is not None and job.attempts < self.max_attempts:
                decision = self._retry(job, retry, now)
                decision.gone_subscriptions = gone
                return decision
        if job.channel == Channel.push:
            return Decision(NotificationStatus.failed_permanent, error="no push subscription")
        wants_text = job.channel in (Channel.sms, Channel.email) or job.settings.sms_on
        if not (wants_text and job.recipient):
            return Decision(
                NotificationStatus.cancelled, error="no channel chosen", gone_subscriptions=gone
            )
        reference = f"mp-{job.id}"  # no personal data in a provider reference
        if "@" in job.recipient:
            outcome = self.text.send_email(job.recipient, job.title, job.body, reference)
            channel = "email"
        else:
            outcome = self.text.send_sms(job.recipient, job.sms_body, reference)
            channel = "sms"
        if outcome.result == Result.sent:
            return Decision(
                NotificationStatus.sent,
                channel=channel,
                reference=outcome.reference,
                gone_subscriptions=gone,
            )
        if outcome.result == Result.retry:
            decision = self._retry(job, outcome, now)
        else:
            decision = Decision(NotificationStatus.failed_permanent, error=outcome.error)
        decision.gone_subscriptions = gone
        return decision


def build_dispatcher(settings: Settings, http: httpx.Client) -> Dispatcher:
    text: TextSender
    if settings.notify_api_key:
        text = NotifySender(settings)
    elif settings.env != Environment.production:
        text = DevelopmentOutbox()
    else:  # the settings validator refuses this; kept so a misconfiguration cannot "send"
        raise RuntimeError("GOV.UK Notify is not configured")
    push = PushSender(settings, http) if settings.push_configured else None
    return Dispatcher(push=push, text=text, max_attempts=settings.worker_max_attempts)


class Worker:
    def __init__(
        self,
        engine: Engine,
        dispatcher: Dispatcher,
        *,
        name: str | None = None,
        batch_size: int = 10,
        lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self.engine = engine
        self.dispatcher = dispatcher
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.batch_size = batch_size
        self.lease = lease

    def claim(self) -> list[Job]:
        def work(session: Session) -> list[Job]:
            now = utcnow()
            due = or_(
                and_(
                    col(Notification.status) == NotificationStatus.pending,
                    col(Notification.next_attempt_at) <= now,
                ),
                and_(
                    col(Notification.status) == NotificationStatus.sending,
                    col(Notification.lease_until) < now,
                ),
            )
            ids = list(
                session.exec(
                    select(Notification.id)
                    .where(due)
                    .order_by(col(Notification.next_attempt_at))
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                ).all()
            )
            if not ids:
                return []
            session.exec(
                update(Notification)
                .where(col(Notification.id).in_(ids))
                .values(
                    status=NotificationStatus.sending,
                    leased_by=self.name,
                    lease_until=now + self.lease,
                    attempts=Notification.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            rows = session.exec(
                select(Notification)
                .where(col(Notification.id).in_(ids))
                .order_by(col(Notification.next_attempt_at))
            ).all()
            return self._jobs(session, list(rows))

        return run_write(work, engine=self.engine)

    def _jobs(self, session: Session, rows: list[Notification]) -> list[Job]:
        user_ids = {row.user_id for row in rows if row.user_id is not None}
        profiles: dict[int, tuple[ClientProfile, ReminderSettings | None]] = {}
        subscriptions: dict[int, list[PushSubscription]] = {}
        if user_ids:
            for profile, settings in session.exec(
                select(ClientProfile, ReminderSettings)
                .join(
                    ReminderSettings,
                    col(ReminderSettings.client_id) == col(ClientProfile.id),
                    isouter=True,
                )
                .where(col(ClientProfile.user_id).in_(user_ids))
            ).all():
                profiles[profile.user_id] = (profile, settings)
            for subscription in session.exec(
                select(PushSubscription).where(col(PushSubscription.user_id).in_(user_ids))
            ).all():
                subscriptions.setdefault(subscription.user_id, []).append(subscription)
        jobs = []
        for row in rows:
            assert row.id is not None
            client, client_settings = profiles.get(row.user_id or -1, (None, None))
            settings = client_settings or ReminderSettings(
                client_id=client.id if client and client.id else 0
            )
            jobs.append(
                Job(
                    id=row.id,
                    key=row.idempotency_key,
                    kind=row.kind,
                    channel=row.channel,
                    recipient=row.recipient,
                    language=row.language,
                    title=row.title,
                    body=row.body,
                    sms_body=row.sms_body,
                    url=row.url,
                    routine=row.routine,
                    respects_quiet_hours=row.respects_quiet_hours,
                    attempts=row.attempts,
                    settings=settings,
                    paused=client is not None and client.status != ClientStatus.active,
                    subscriptions=subscriptions.get(row.user_id or -1, []),
                )
            )
        return jobs

    def record(self, job: Job, decision: Decision) -> bool:
        """Save the outcome, only if this worker still holds the lease."""

        def work(session: Session) -> bool:
            now = utcnow()
            values: dict[str, Any] = {
                "status": decision.status,
                "leased_by": None,
                "lease_until": None,
                "last_error": decision.error,
            }
            if decision.status == NotificationStatus.pending:
                values["next_attempt_at"] = decision.next_attempt_at or now
                if decision.error is None:  # waited for quiet hours: not a failed try
                    values["attempts"] = Notification.attempts - 1
            else:
                values["finished_at"] = now
            if decision.status == NotificationStatus.sent:
                values["sent_at"] = now
                values["sent_channel"] = decision.channel
                values["provider_reference"] = decision.reference
                if job.kind == NotificationKind.sign_in_code and not _keeps_codes():
                    values["body"] = values["sms_body"] = ""  # a used secret need not be kept
            result = session.exec(
                update(Notification)
                .where(
                    col(Notification.id) == job.id,
                    col(Notification.leased_by) == self.name,
                    col(Notification.status) == NotificationStatus.sending,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if decision.gone_subscriptions:
                session.exec(
                    delete(PushSubscription).where(
                        col(PushSubscription.id).in_(decision.gone_subscriptions)
                    )
                )
            return bool(result.rowcount)

        return run_write(work, engine=self.engine)

    def run_once(self) -> int:
        """Claim one batch and deal with it; returns how many were claimed."""
        jobs = self.claim()
        # Stop starting new sends well before the lease ends, so no one else can hold a
        # message this worker is still sending.
        deadline = utcnow() + self.lease * 0.8
        for done, job in enumerate(jobs):
            if utcnow() > deadline:
                self.release(jobs[done:])
                break
            decision = self.dispatcher.decide(job, utcnow())
            if not self.record(job, decision):
                log.warning("lost the lease on notification %s before recording it", job.id)
        return len(jobs)

    def release(self, jobs: list[Job]) -> None:
        """Hand back claimed messages this worker will not send (they were never tried)."""

        def work(session: Session) -> None:
            session.exec(
                update(Notification)
                .where(
                    col(Notification.id).in_([job.id for job in jobs]),
                    col(Notification.leased_by) == self.name,
                    col(Notification.status) == NotificationStatus.sending,
                )
                .values(
                    status=NotificationStatus.pending,
                    leased_by=None,
                    lease_until=None,
                    attempts=Notification.attempts - 1,
                )
                .execution_options(synchronize_session=False)
            )

        run_write(work, engine=self.engine)

    def run(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                claimed = self.run_once()
            except Exception:  # keep going: one bad moment must not stop every reminder
                log.exception("worker loop failed; trying again shortly")
                claimed = 0
            if claimed == 0:
                stop.wait(poll_seconds)


def _keeps_codes() -> bool:
    from app.core.config import get_settings

    return get_settings().is_development or get_settings().env == Environment.test


def worker_from_settings(settings: Settings, engine: Engine) -> tuple[Worker, httpx.Client]:
    http = httpx.Client(timeout=settings.send_timeout_seconds)
    worker = Worker(
        engine,
        build_dispatcher(settings, http),
        batch_size=settings.worker_batch_size,
        lease=timedelta(seconds=settings.worker_lease_seconds),
    )
    return worker, http


def start_background_worker(
    settings: Settings, engine: Engine
) -> tuple[threading.Thread, threading.Event]:
    """The embedded default's worker, in a thread of the web process (`serve` on SQLite)."""
    stop = threading.Event()
    worker, http = worker_from_settings(settings, engine)

    def loop() -> None:
        try:
            worker.run(stop, settings.worker_poll_seconds)
        finally:
            http.close()

    thread = threading.Thread(target=loop, name="outbox-worker", daemon=True)
    thread.start()
    return thread, stop
