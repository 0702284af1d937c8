"""The outbox worker: claims due messages under a lease, sends them, records every outcome.

- Claims take rows that are due (or whose lease ran out because a worker died). On PostgreSQL
  they use FOR UPDATE SKIP LOCKED, so any number of workers on any number of machines never
  claim one row twice; on SQLite the claim takes the write lock (BEGIN IMMEDIATE).
- A worker sends one message at a time and records its result straight after, so if it is
  killed, at most the one message in flight can be sent again (by whoever claims it after the
  lease). Push messages carry a Topic, so a phone that was offline shows it once.
- What to do with each message (send now, retry later, give up, wait for quiet hours to end)
  is decided in dispatch.py; every row ends in a final status.
- Texts and emails keep to GOV.UK Notify's rate limit across all workers (send_slots.py):
  the claim takes a slot for each message it expects to go to Notify, in its own
  transaction. A text with no slot is handed back still due, no attempt counted, marked
  `waiting_for_slot`; such rows are claimed again only when slots are free, so a backlog of
  texts is not read over and over and never stands in the way of push messages.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, delete, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import utcnow
from app.core.config import Environment, Settings
from app.core.db import is_database_busy, run_write
from app.core.metrics import observe_lease_lost, observe_send
from app.delivery.composing import compose_claimed
from app.delivery.dispatch import Decision, Dispatcher, Job, build_dispatcher
from app.delivery.models import Notification, NotificationKind, NotificationStatus, PushSubscription
from app.delivery.rate_limit import NotifyRateLimit
from app.delivery.send_slots import SendSlots, Taken
from app.people.models import ClientProfile, ClientStatus, ReminderSettings

log = logging.getLogger("mypathways.worker")
send_log = logging.getLogger("mypathways.delivery")


def log_send(job: Job, decision: Decision, milliseconds: float) -> None:
    """One structured line per message dealt with: which, how, what happened, how long.
    Never the recipient, the words or anything else about the person."""
    send_log.info(
        "notification %s %s",
        job.id,
        decision.status.value,
        extra={
            "notification_id": job.id,
            "kind": job.message.kind,
            "channel": send_channel(job, decision),
            "outcome": decision.status.value,
            "attempt": job.message.attempts,
            "ms": round(milliseconds, 1),
        },
    )


def send_channel(job: Job, decision: Decision) -> str:
    """The channel it went (or would have gone) by: push, sms or email; "auto" if none."""
    return str(decision.channel or job.message.channel)


class Worker:
    def __init__(
        self,
        engine: Engine,
        dispatcher: Dispatcher,
        *,
        name: str | None = None,
        batch_size: int = 10,
        lease: timedelta = timedelta(seconds=60),
        keep_codes: bool = False,
        daily_job: Callable[[Session], object] | None = None,
        send_slots: SendSlots | None = None,
    ) -> None:
        self.engine = engine
        self.dispatcher = dispatcher
        # GOV.UK Notify's rate limit shared with every other worker; None: no limit (the
        # development outbox sends nothing anywhere).
        self.rate_limit = (
            NotifyRateLimit(engine, send_slots, dispatcher) if send_slots is not None else None
        )
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.batch_size = batch_size
        self.lease = lease
        # Development and tests keep sign-in codes readable (the development outbox shows
        # them); production blanks a code once it has been sent.
        self.keep_codes = keep_codes
        self.daily_job = daily_job
        self.next_daily_check: datetime | None = None  # None: check at the first loop

    def claim(self) -> tuple[list[Job], int]:
        """Claim up to a batch of due messages: (the jobs to send, how many rows were dealt
        with, counting texts newly marked as waiting for a slot: 0 means nothing is due)."""

        def work(session: Session) -> tuple[list[Job], int, list[Taken]]:
            now = utcnow()
            pending_due = and_(
                col(Notification.status) == NotificationStatus.pending,
                col(Notification.next_attempt_at) <= now,
            )
            due = or_(
                and_(pending_due, col(Notification.waiting_for_slot).is_(False)),
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
            waited: list[int] = []
            if self.rate_limit is not None:
                room = self.batch_size - len(ids)
                waited = self.rate_limit.waiting_with_room(session, pending_due, room)
            ids += waited
            if not ids:
                return [], 0, []
            session.exec(
                update(Notification)
                .where(col(Notification.id).in_(ids))
                .values(
                    status=NotificationStatus.sending,
                    leased_by=self.name,
                    lease_until=now + self.lease,
                    attempts=Notification.attempts + 1,
                    waiting_for_slot=False,
                )
                .execution_options(synchronize_session=False)
            )
            rows = session.exec(
                select(Notification)
                .where(col(Notification.id).in_(ids))
                .order_by(col(Notification.next_attempt_at), col(Notification.id))
            ).all()
            jobs = self._jobs(session, compose_claimed(session, list(rows), now))
            held: set[int] = set()
            taken: list[Taken] = []
            if self.rate_limit is not None:
                jobs, held, taken = self.rate_limit.take_slots(session, jobs, now)
            # Rows that had waited already and wait on are no progress; anything else is.
            return jobs, len(ids) - len(held & set(waited)), taken

        asked_at = time.monotonic()  # before any try: never later than the slots' stamp
        jobs, dealt_with, taken = run_write(work, engine=self.engine)
        if self.rate_limit is not None:
            self.rate_limit.hold(taken, asked_at)  # only now: a rolled-back take holds none
        return jobs, dealt_with

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
            client, client_settings = profiles.get(row.user_id or -1, (None, None))
            settings = client_settings or ReminderSettings(
                client_id=client.id if client and client.id else 0
            )
            jobs.append(
                Job(
                    message=row,
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
            if decision.held:
                # No room in Notify's rate limit: still due, in its place, and not a try.
                values["attempts"] = Notification.attempts - 1
                values["waiting_for_slot"] = True
                values["last_error"] = job.message.last_error
            elif decision.status == NotificationStatus.pending:
                values["next_attempt_at"] = decision.next_attempt_at or now
                if decision.error is None:  # waited for quiet hours: not a failed try
                    values["attempts"] = Notification.attempts - 1
            else:
                values["finished_at"] = now
            if decision.status == NotificationStatus.sent:
                values["sent_at"] = now
                values["sent_channel"] = decision.channel
                values["provider_reference"] = decision.reference
                if job.message.kind == NotificationKind.sign_in_code and not self.keep_codes:
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
        """Claim one batch and deal with it; returns how many rows were dealt with (claimed,
        or newly set to wait for a rate-limit slot): 0 when nothing more can go now."""
        try:
            return self._run_batch()
        finally:
            if self.rate_limit is not None:
                self.rate_limit.give_back_leftovers()

    def _run_batch(self) -> int:
        jobs, dealt_with = self.claim()
        # Stop starting new sends well before the lease ends, so no one else can hold a
        # message this worker is still sending.
        deadline = utcnow() + self.lease * 0.8
        for done, job in enumerate(jobs):
            if utcnow() > deadline:
                self.release(jobs[done:])
                break
            started = time.perf_counter()
            decision = self.dispatcher.decide(job, utcnow())
            log_send(job, decision, (time.perf_counter() - started) * 1000)
            if self.record(job, decision):
                observe_send(send_channel(job, decision), decision.status.value)
            else:
                # Another worker took it over after this one's lease ran out (a stall longer
                # than the lease): it may be sent twice. Counted, so an alert can say so.
                observe_lease_lost()
                log.warning("lost the lease on notification %s before recording it", job.id)
        return dealt_with

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

    def run_daily_job(self) -> None:
        """The daily job handed in by the wiring (the purge, app/operations/purge.py): asked at
        most hourly; the job itself makes sure only one worker of several does it each day."""
        if self.daily_job is None:
            return
        if self.next_daily_check is not None and utcnow() < self.next_daily_check:
            return
        self.next_daily_check = utcnow() + timedelta(hours=1)
        done = run_write(self.daily_job, engine=self.engine)
        if done is not None:
            log.info("daily job: %s", done)

    def run(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                self.run_daily_job()
                claimed = self.run_once()
            except Exception as error:  # keep going: one bad moment must not stop every reminder
                if is_database_busy(error):
                    # Expected under load: the claim or record rolled back, nothing was sent or
                    # lost (a claimed row's lease runs out and it is claimed again).
                    log.info("database busy; trying again in %ss", poll_seconds)
                else:
                    log.exception("worker loop failed; trying again shortly")
                claimed = 0
            if claimed == 0:
                stop.wait(poll_seconds)


def worker_from_settings(
    settings: Settings, engine: Engine, daily_job: Callable[[Session], object] | None = None
) -> tuple[Worker, httpx.Client]:
    http = httpx.Client(timeout=settings.send_timeout_seconds)
    worker = Worker(
        engine,
        build_dispatcher(settings, http),
        batch_size=settings.worker_batch_size,
        lease=timedelta(seconds=settings.worker_lease_seconds),
        keep_codes=settings.env != Environment.production,
        daily_job=daily_job,
        send_slots=send_slots_for(settings),
    )
    return worker, http


def send_slots_for(settings: Settings) -> SendSlots | None:
    """GOV.UK Notify's rate limit from the settings; None without Notify (nothing to limit)."""
    if not settings.notify_api_key:
        return None
    return SendSlots(settings.notify_texts_per_minute, settings.notify_rate_window_seconds)


def start_background_worker(
    settings: Settings, engine: Engine, daily_job: Callable[[Session], object] | None = None
) -> tuple[threading.Thread, threading.Event]:
    """The embedded default's worker, in a thread of the web process (`serve` on SQLite)."""
    stop = threading.Event()
    worker, http = worker_from_settings(settings, engine, daily_job)

    def loop() -> None:
        try:
            worker.run(stop, settings.worker_poll_seconds)
        finally:
            http.close()

    thread = threading.Thread(target=loop, name="outbox-worker", daemon=True)
    thread.start()
    return thread, stop
