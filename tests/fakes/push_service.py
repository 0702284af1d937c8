"""A push service (RFC 8030) on loopback: it checks the VAPID JWT (RFC 8292) against the
application server key, decrypts the aes128gcm body (RFC 8291) with the receiver's private key,
and keeps the plaintext, as a browser would see it.

Subscriptions are made here the way a browser makes them (a P-256 key pair and a 16-byte auth
secret). A subscription can be told to answer 410 (gone), 503 or 429 to test the sender.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.fakes.http import LoopbackServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Receiver:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    answer: int = 201  # what this subscription's endpoint answers
    failures_left: int = 0  # answer 503 this many times first
    retry_after: str | None = None


@dataclass
class Received:
    path: str
    payload: dict[str, Any]
    ttl: str
    topic: str
    urgency: str


@dataclass
class FakePushService:
    application_server_key: str  # base64url, as given to pushManager.subscribe()
    receivers: dict[str, Receiver] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: LoopbackServer | None = None

    def start(self) -> FakePushService:
        self.server = LoopbackServer(self.handle).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.stop()

    def subscribe(
        self, answer: int = 201, failures: int = 0, retry_after: str | None = None
    ) -> dict[str, Any]:
        """A new subscription, as `PushSubscription.toJSON()` gives it in a browser."""
        assert self.server is not None
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        name = f"/push/{b64url(os.urandom(12))}"
        self.receivers[name] = Receiver(key, auth, answer, failures, retry_after)
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.server.url + name,
            "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
        }

    def _verify_vapid(self, authorization: str) -> str | None:
        if not authorization.lower().startswith("vapid "):
            return "no vapid authorization"
        parts = dict(
            piece.strip().split("=", 1) for piece in authorization[6:].split(",") if "=" in piece
        )
        token, key = parts.get("t", ""), parts.get("k", "")
        if key != self.application_server_key:
            return "k is not the application server key"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        try:
            claims = jwt.decode(token, public, algorithms=["ES256"], options={"verify_aud": False})
        except jwt.PyJWTError as error:
            return f"bad jwt: {error}"
        if claims.get("aud") != "http://127.0.0.1":  # the origin of the endpoint (port omitted)
            return f"wrong aud {claims.get('aud')}"
        if not 0 < claims["exp"] - time.time() <= 24 * 3600:
            return "exp must be within 24 hours"
        if not str(claims.get("sub", "")).startswith("mailto:"):
            return "sub must be a mailto: contact"
        return None

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        receiver = self.receivers.get(path)
        if method != "POST" or receiver is None:
            return 404, {}, b""
        problem = self._verify_vapid(headers.get("authorization", ""))
        if problem is None and headers.get("content-encoding") != "aes128gcm":
            problem = "content-encoding must be aes128gcm"
        if problem is None and "ttl" not in headers:
            problem = "TTL header is required"
        if problem:
            with self.lock:
                self.errors.append(problem)
            return 403 if "jwt" in problem or " k " in problem else 400, {}, problem.encode()
        with self.lock:
            if receiver.answer != 201:
                return receiver.answer, {}, b""
            if receiver.failures_left > 0:
                receiver.failures_left -= 1
                extra = {"retry-after": receiver.retry_after} if receiver.retry_after else {}
                return 503, extra, b""
        try:
            plaintext = http_ece.decrypt(
                body,
                private_key=receiver.private_key,
                auth_secret=receiver.auth,
                version="aes128gcm",
            )
            payload = json.loads(plaintext)
        except Exception as error:
            with self.lock:
                self.errors.append(f"decrypt: {error!r}")
            return 400, {}, b"cannot decrypt"
        with self.lock:
            self.received.append(
                Received(
                    path,
                    payload,
                    headers.get("ttl", ""),
                    headers.get("topic", ""),
                    headers.get("urgency", ""),
                )
            )
        return 201, {"location": f"{path}/messages/{len(self.received)}"}, b""
