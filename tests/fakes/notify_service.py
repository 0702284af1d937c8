"""GOV.UK Notify on loopback: checks the API key's JWT the way Notify does, fills the template
(whose content is ((body))), answers like the real API, and keeps what a phone would get.

Numbers listed in `invalid_numbers` get Notify's 400 "not a valid phone number"; `fail_next`
makes the next requests answer 500; `answer_late` (seconds) accepts a message and answers only
after that long, as a slow Notify does. `GET /v2/notifications?reference=…` finds messages by
reference, as the real API does.

It keeps Notify's rate limit like the real service ("API rate limits" in the GOV.UK Notify
API documentation): more than `rate_limit` send requests (texts and emails, refused ones
included, as Notify counts them) in any rolling `rate_window` seconds get 429 with Notify's
RateLimitError body, and are counted in `rate_limited`.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

from tests.fakes.http import LoopbackServer

SERVICE_ID = "2d5ad32d-4d27-4a0f-9a8e-4d0c1a0c9a11"
SECRET = "4bd7c3a2-1a1e-4b0e-8d5c-3b8a7f9e0c22"
API_KEY = f"mypathways_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = "e8bd1f43-61b4-4c7c-9a52-6d0c3a1f2a33"
EMAIL_TEMPLATE = "0f9a8b7c-6d5e-4f3a-2b1c-0d9e8f7a6b44"


@dataclass
class Sent:
    id: str
    kind: str  # sms or email
    to: str
    body: str
    reference: str | None
    subject: str = ""
    at: float = 0.0  # when it arrived, time.monotonic()


@dataclass
class FakeNotify:
    sent: list[Sent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    invalid_numbers: set[str] = field(default_factory=set)
    fail_next: int = 0
    answer_late: float = 0.0
    lookups: list[str] = field(default_factory=list)
    # Notify's documented limit: 3,000 messages per rolling 60 seconds per API key.
    rate_limit: int = 3000
    rate_window: float = 60.0
    rate_limited: int = 0  # requests answered 429
    arrivals: deque[float] = field(default_factory=deque)  # send requests in the window
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: LoopbackServer | None = None

    def start(self) -> FakeNotify:
        self.server = LoopbackServer(self.handle).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.stop()

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def _reply(self, status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        return status, {"content-type": "application/json"}, json.dumps(body).encode()

    def _error(self, status: int, error: str, message: str) -> tuple[int, dict[str, str], bytes]:
        return self._reply(
            status, {"status_code": status, "errors": [{"error": error, "message": message}]}
        )

    def _over_rate_limit(self) -> bool:
        """Count this send request; True if it makes more than the limit in the window."""
        now = time.monotonic()
        with self.lock:
            self.arrivals.append(now)
            while self.arrivals and self.arrivals[0] <= now - self.rate_window:
                self.arrivals.popleft()
            if len(self.arrivals) <= self.rate_limit:
                return False
            self.rate_limited += 1
            return True

    def max_in_window(self, window: float | None = None) -> int:
        """The most messages accepted in any rolling `window` seconds (default: the
        limit's window), from their arrival times."""
        window = self.rate_window if window is None else window
        with self.lock:
            times = sorted(sent.at for sent in self.sent)
        most, first = 0, 0
        for last, moment in enumerate(times):
            while times[first] <= moment - window:
                first += 1
            most = max(most, last - first + 1)
        return most

    def _by_reference(self, reference: str) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.lookups.append(reference)
            found = [s for s in self.sent if s.reference == reference]
        notifications = [
            {"id": s.id, "reference": s.reference, "type": s.kind, "status": "sending"}
            for s in found
        ]
        return self._reply(200, {"notifications": notifications, "links": {}})

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        try:
            # notifications-python-client has no type annotations.
            if get_token_issuer(token) != SERVICE_ID:  # type: ignore[no-untyped-call]
                raise TokenError("Invalid token: service id")  # type: ignore[no-untyped-call]
            decode_jwt_token(token, SECRET)  # type: ignore[no-untyped-call]
        except TokenError as error:
            with self.lock:
                self.errors.append(error.message)
            return self._error(403, "AuthError", error.message)
        kinds = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}
        if method == "GET" and urlsplit(path).path == "/v2/notifications":
            return self._by_reference(parse_qs(urlsplit(path).query).get("reference", [""])[0])
        if method != "POST" or path not in kinds:
            return self._error(404, "NotFound", "not found")
        if self._over_rate_limit():
            window = f"{self.rate_window:g}"
            return self._error(
                429,
                "RateLimitError",
                f"Exceeded rate limit for key type LIVE of {self.rate_limit} requests per "
                f"{window} seconds",
            )
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self._error(500, "Exception", "Internal server error")
        request = json.loads(body)
        kind = kinds[path]
        template = SMS_TEMPLATE if kind == "sms" else EMAIL_TEMPLATE
        if request.get("template_id") != template:
            return self._error(400, "BadRequestError", "Template not found")
        to = request.get("phone_number") if kind == "sms" else request.get("email_address")
        if not to or to in self.invalid_numbers:
            return self._error(400, "ValidationError", "phone_number Not a UK mobile number")
        personalisation = request.get("personalisation") or {}
        if "body" not in personalisation:
            return self._error(400, "BadRequestError", "Missing personalisation: body")
        notification_id = str(uuid.uuid4())
        sent = Sent(
            notification_id,
            kind,
            to,
            personalisation["body"],
            request.get("reference"),
            personalisation.get("subject", ""),
            time.monotonic(),
        )
        with self.lock:
            self.sent.append(sent)
        if self.answer_late:
            time.sleep(self.answer_late)  # accepted; the answer comes after the caller gave up
        content: dict[str, Any] = {"body": sent.body}
        if kind == "sms":
            content["from_number"] = "MyPathways"
        else:
            content.update(
                subject=sent.subject, from_email="my.pathways@notifications.service.gov.uk"
            )
        return self._reply(
            201,
            {
                "id": notification_id,
                "reference": sent.reference,
                "content": content,
                "uri": f"{self.url}/v2/notifications/{notification_id}",
                "template": {
                    "id": template,
                    "version": 1,
                    "uri": f"{self.url}/services/{SERVICE_ID}/templates/{template}",
                },
            },
        )
