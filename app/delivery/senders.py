"""The channels: Web Push (RFC 8030/8291/8292) sent with httpx, text and email through
GOV.UK Notify, and the development outbox. Each send returns an Outcome; none raises.

Senders are not thread-safe (the webpush and Notify clients keep state): one per worker.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import requests
from cryptography.hazmat.primitives import serialization
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from webpush import WebPush, WebPushSubscription

from app.core.config import Settings


class Result(StrEnum):
    sent = "sent"
    retry = "retry"  # try again later (429, 5xx, timeouts)
    permanent = "permanent"  # will never work as it is
    gone = "gone"  # the push subscription no longer exists (404, 410)


@dataclass(frozen=True)
class Outcome:
    result: Result
    reference: str | None = None
    retry_after: float | None = None  # seconds, when the provider said
    error: str | None = None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isascii() and value.isdigit() else None


def application_server_key(public_pem: bytes) -> str:
    """The VAPID public key as the browser wants it: an uncompressed P-256 point, base64url."""
    key = serialization.load_pem_public_key(public_pem)
    raw = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def topic_for(idempotency_key: str) -> str:
    """A Topic header (RFC 8030 5.4): a push service replaces an undelivered message with the
    same topic, so a resend after a crash never shows twice on a phone that was offline."""
    return base64.urlsafe_b64encode(hashlib.sha256(idempotency_key.encode()).digest()[:24]).decode()


class PushSender:
    def __init__(self, settings: Settings, http: httpx.Client) -> None:
        private_pem, public_pem = settings.vapid_keys()
        self._webpush = WebPush(
            private_key=private_pem,
            public_key=public_pem,
            subscriber=settings.vapid_subject,
            ttl=settings.push_ttl_seconds,
        )
        self._http = http
        self._allowed_hosts = settings.push_hosts()

    def endpoint_allowed(self, endpoint: str) -> bool:
        return endpoint_allowed(endpoint, self._allowed_hosts)

    def send(
        self, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any], topic: str
    ) -> Outcome:
        if not self.endpoint_allowed(endpoint):
            return Outcome(Result.gone, error="endpoint not on the push service list")
        subscription = WebPushSubscription.model_validate(
            {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
        )
        message = self._webpush.get(json.dumps(payload).encode(), subscription)
        headers = {**message.headers, "topic": topic, "urgency": "normal"}
        try:
            response = self._http.post(endpoint, content=message.encrypted, headers=headers)
        except httpx.HTTPError as error:
            return Outcome(Result.retry, error=f"push: {type(error).__name__}")
        status = response.status_code
        if status in (200, 201, 202):
            return Outcome(Result.sent, reference=response.headers.get("location", "")[-64:])
        if status in (404, 410):
            return Outcome(Result.gone, error=f"push: {status}")
        if status == 429 or status >= 500:
            return Outcome(
                Result.retry, retry_after=_retry_after(response), error=f"push: {status}"
            )
        return Outcome(Result.permanent, error=f"push: {status}")


def endpoint_allowed(endpoint: str, allowed_hosts: tuple[str, ...]) -> bool:
    """We only ever POST to known push services (no server-side request forgery through a
    made-up endpoint). Loopback is allowed outside production for the test push service."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if host in LOOPBACK and host in allowed_hosts:
        return parts.scheme in ("http", "https")
    if parts.scheme != "https":
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts)


LOOPBACK = ("127.0.0.1", "localhost")


class TextSender(Protocol):
    def send_sms(self, phone: str, body: str, reference: str) -> Outcome: ...

    def send_email(self, address: str, subject: str, body: str, reference: str) -> Outcome: ...

    def already_sent(self, reference: str) -> Outcome | None:
        """Before sending again a message whose last try had no answer: `sent` if the provider
        has it under `reference`, `retry` if it cannot say now, None if it does not have it."""
        ...


class NotifySender:
    """GOV.UK Notify, with one template for texts and one for emails whose content is
    ((body)) (and ((subject))): the words are ours, written in the client's language."""

    def __init__(self, settings: Settings) -> None:
        self._client = NotificationsAPIClient(
            settings.notify_api_key,
            base_url=settings.notify_base_url,
            timeout=settings.send_timeout_seconds,
        )
        self._sms_template = settings.notify_sms_template_id
        self._email_template = settings.notify_email_template_id

    def _call(self, send: Any) -> Outcome:
        try:
            response = send()
        except (requests.Timeout, requests.ConnectionError):
            # Notify may have the text already: the next try asks before sending again.
            return Outcome(Result.retry, error="notify: no answer")
        except HTTPError as error:
            code = error.status_code
            if code == 429 or code >= 500:
                return Outcome(Result.retry, error=f"notify: {code}")
            if code in (401, 403):
                # Our key or set-up is wrong: nothing the message did; try again once fixed.
                return Outcome(Result.retry, error=f"notify: {code}")
            return Outcome(Result.permanent, error=f"notify: {code} {str(error.message)[:200]}")
        return Outcome(Result.sent, reference=str(response.get("id", ""))[:64])

    def already_sent(self, reference: str) -> Outcome | None:
        """Look the reference up (GET /v2/notifications?reference=…) before sending again."""
        try:
            found = self._client.get_all_notifications(reference=reference)
        except (requests.Timeout, requests.ConnectionError, HTTPError):
            return Outcome(Result.retry, error="notify: could not look up the reference")
        notifications = found.get("notifications") or []
        if not notifications:
            return None
        return Outcome(Result.sent, reference=str(notifications[0].get("id", ""))[:64])

    def send_sms(self, phone: str, body: str, reference: str) -> Outcome:
        return self._call(
            lambda: self._client.send_sms_notification(
                phone_number=phone,
                template_id=self._sms_template,
                personalisation={"body": body},
                reference=reference,
            )
        )

    def send_email(self, address: str, subject: str, body: str, reference: str) -> Outcome:
        return self._call(
            lambda: self._client.send_email_notification(
                email_address=address,
                template_id=self._email_template,
                personalisation={"subject": subject, "body": body},
                reference=reference,
            )
        )


class DevelopmentOutbox:
    """No provider on the embedded default: the message stays in the outbox table, which
    /dev/outbox shows in development mode. Marked sent so the demo behaves like the real thing."""

    def already_sent(self, reference: str) -> Outcome | None:
        return None  # the outbox page keeps every try; nothing to look up

    def send_sms(self, phone: str, body: str, reference: str) -> Outcome:
        return Outcome(Result.sent, reference="development-outbox")

    def send_email(self, address: str, subject: str, body: str, reference: str) -> Outcome:
        return Outcome(Result.sent, reference="development-outbox")
