"""What to do with one claimed message, and doing it: quiet hours and pauses checked again at
send time, push first (every device of the client), a text or email when push is not possible,
retries with exponential backoff (honouring Retry-After) up to a bound."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from app.core.config import Environment, Settings
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.delivery.models import Channel, Notification, NotificationStatus, PushSubscription
from app.delivery.quiet_hours import end_of_quiet_hours, in_quiet_hours
from app.delivery.senders import (
    DevelopmentOutbox,
    NotifySender,
    Outcome,
    PushSender,
    Result,
    TextSender,
    topic_for,
)
from app.people.models import ReminderSettings

SEE_DETAILS = lazy_gettext("See details")
CHANGE = lazy_gettext("Change")


@dataclass
class Job:
    """A claimed message, with what sending it needs, read in the claim's transaction."""

    message: Notification
    settings: ReminderSettings
    paused: bool
    subscriptions: list[PushSubscription] = field(default_factory=list)

    @property
    def id(self) -> int:
        assert self.message.id is not None
        return self.message.id


@dataclass
class Decision:
    status: NotificationStatus
    channel: str | None = None
    reference: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    gone_subscriptions: list[int] = field(default_factory=list)
    # Not sent for want of room in GOV.UK Notify's rate limit (send_slots.py): the row stays
    # due, with no attempt counted, until a worker holds a slot for it.
    held: bool = False


def push_payload(message: Notification) -> dict[str, Any]:
    """What the service worker shows: discreet words, a tag so repeats replace each other,
    and for appointments the actions "See details" and "Change"."""
    payload: dict[str, Any] = {
        "title": message.title,
        "body": message.body,
        "url": message.url,
        "tag": topic_for(message.idempotency_key),
    }
    if message.url.startswith("/appointments/"):
        with use_language(message.language):
            payload["actions"] = [
                {"action": "see", "title": _(SEE_DETAILS), "url": message.url},
                {"action": "change", "title": _(CHANGE), "url": message.url + "/change"},
            ]
    return payload


def stopped_by_pause(message: Notification) -> bool:
    """Whether a client's pause stops this message: routine contact, yes; a message about
    something booked (it names the version of its subject: an appointment, an activity),
    never. Pausing cancels what was booked when it began, so anything still booked was booked
    knowingly, and the client must not miss it for lack of its reminder."""
    return message.routine and message.subject_version is None


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
        # Asked just before each request to Notify: may one more go now? The worker sets it
        # to its share of the rate limit (worker.py); without one, always.
        self.notify_permit: Callable[[], bool] = lambda: True

    def _retry(self, job: Job, outcome: Outcome, now: datetime) -> Decision:
        if job.message.attempts >= self.max_attempts:
            return Decision(NotificationStatus.failed_technical, error=outcome.error)
        backoff = min(self.retry_base_seconds * 2 ** (job.message.attempts - 1), 3600.0)
        backoff *= random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not security
        wait = max(backoff, outcome.retry_after or 0.0)
        return Decision(
            NotificationStatus.pending,
            error=outcome.error,
            next_attempt_at=now + timedelta(seconds=wait),
        )

    def decide(self, job: Job, now: datetime) -> Decision:
        message = job.message
        if job.paused and stopped_by_pause(message):
            return Decision(NotificationStatus.cancelled, error="client paused")
        if message.respects_quiet_hours and in_quiet_hours(now, job.settings):
            return Decision(
                NotificationStatus.pending, next_attempt_at=end_of_quiet_hours(now, job.settings)
            )
        if message.attempts > self.max_attempts:
            return Decision(NotificationStatus.failed_technical, error="too many tries")
        gone: list[int] = []
        if message.channel in (Channel.push, Channel.auto) and self.push and job.settings.push_on:
            pushed = self._push(job, now, gone)
            if pushed is not None:
                return pushed
        if message.channel == Channel.push:
            return Decision(NotificationStatus.failed_permanent, error="no push subscription")
        wants_text = message.channel in (Channel.sms, Channel.email) or job.settings.sms_on
        if not (wants_text and message.recipient):
            return Decision(
                NotificationStatus.cancelled, error="no channel chosen", gone_subscriptions=gone
            )
        decision = self._text(job, now)
        decision.gone_subscriptions = gone
        return decision

    def will_text(self, job: Job, now: datetime) -> bool:
        """Whether `decide` at `now` would go to GOV.UK Notify (a text or an email), read
        from what the claim loaded, so the worker can take rate-limit slots for a batch in one
        go. A guess only for push that fails over to a text: `decide` asks `notify_permit`
        before every request anyway."""
        message = job.message
        if message.routine and job.paused:
            return False
        if message.respects_quiet_hours and in_quiet_hours(now, job.settings):
            return False
        if message.attempts > self.max_attempts or message.channel == Channel.push:
            return False
        pushes = self.push is not None and job.settings.push_on and bool(job.subscriptions)
        if message.channel == Channel.auto and pushes:
            return False
        wants_text = message.channel in (Channel.sms, Channel.email) or job.settings.sms_on
        return bool(wants_text and message.recipient)

    def _push(self, job: Job, now: datetime, gone: list[int]) -> Decision | None:
        """Try each of the person's devices; None means fall back to a text (or give up)."""
        assert self.push is not None
        message = job.message
        retry: Outcome | None = None
        for subscription in job.subscriptions:
            assert subscription.id is not None
            outcome = self.push.send(
                subscription.endpoint,
                subscription.p256dh,
                subscription.auth,
                push_payload(message),
                topic_for(message.idempotency_key),
            )
            if outcome.result == Result.sent:
                return Decision(NotificationStatus.sent, channel="push", gone_subscriptions=gone)
            if outcome.result == Result.gone:
                gone.append(subscription.id)
            elif outcome.result == Result.retry:
                retry = outcome
        if retry is not None and message.attempts < self.max_attempts:
            decision = self._retry(job, retry, now)
            decision.gone_subscriptions = gone
            return decision
        return None

    def _text(self, job: Job, now: datetime) -> Decision:
        """A text message (or an email, for people who chose email) through GOV.UK Notify."""
        message = job.message
        assert message.recipient is not None
        reference = f"mp-{message.id}"  # no personal data in a provider reference
        channel = "email" if "@" in message.recipient else "sms"
        if message.attempts > 1:
            # A try before may have reached Notify with its answer lost (a slow reply after
            # our timeout): ask by reference first, so one reminder is never two texts.
            known = self.text.already_sent(reference)
            if known is not None and known.result == Result.sent:
                return Decision(NotificationStatus.sent, channel=channel, reference=known.reference)
            if known is not None:
                return self._retry(job, known, now)
        if not self.notify_permit():
            return Decision(NotificationStatus.pending, held=True)
        if "@" in message.recipient:
            outcome = self.text.send_email(
                message.recipient, message.title, message.body, reference
            )
            channel = "email"
        else:
            outcome = self.text.send_sms(message.recipient, message.sms_body, reference)
            channel = "sms"
        if outcome.result == Result.sent:
            return Decision(NotificationStatus.sent, channel=channel, reference=outcome.reference)
        if outcome.result == Result.retry:
            return self._retry(job, outcome, now)
        return Decision(NotificationStatus.failed_permanent, error=outcome.error)


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
