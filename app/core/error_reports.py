"""Optional error reports (MYPATHWAYS_SENTRY_DSN), with nothing personal in them.

sentry-sdk is told not to send personal data (send_default_pii=False), never to read request
bodies or local variables, and every event passes `scrub_event` before it leaves: request
bodies, cookies, query strings, headers that identify someone and user data are removed, and
anything that looks like a phone number or an email address, anywhere in the event (messages,
breadcrumbs, exception values), is replaced, as is a secret link's token in any address."""

from __future__ import annotations

import re
from typing import Any

from app.core.config import Settings

# UK numbers as people write them (07700 900101, +44 7700 900101, 020 7946 0000, 0044...),
# any other international number with a leading +, and any bare run of 10 to 15 digits
# (447700900101 as stored; a long id lost with them is a small price).
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)"
    r"|(?<![\w+])\+\d(?:[\s-]?\d){6,14}(?!\d)"
    r"|(?<!\d)\d{10,15}(?!\d)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A secret link's token in a path (/calendar/<token>.ics, /invitation/<token>): a path segment
# of 16 or more URL-safe characters. Ids and words of our own addresses are all shorter.
PATH_TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_-]{16,}(?=[./?#]|$|\s)")
REQUEST_KEYS_DROPPED = ("data", "cookies", "query_string", "env")
HEADERS_KEPT = {"accept", "accept-language", "content-type", "content-length", "user-agent"}


def scrub_text(text: str) -> str:
    """The text with phone numbers, email addresses and secret links' tokens blanked."""
    return PATH_TOKEN.sub("[token]", EMAIL.sub("[email]", PHONE.sub("[phone]", text)))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict[str, Any], _hint: Any = None) -> dict[str, Any]:
    """sentry-sdk's before_send: the event without personal data."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in REQUEST_KEYS_DROPPED:
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in HEADERS_KEPT
            }
    event.pop("user", None)
    scrubbed: dict[str, Any] = _scrub(event)
    return scrubbed


_started = False


def tag_request(request_id: str) -> None:
    """Name the request id on any report made while this request is handled (only when
    reports are on: the request path pays nothing otherwise)."""
    if _started:
        import sentry_sdk

        sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)


def init_error_reports(settings: Settings) -> bool:
    """Start sentry-sdk if a DSN is set; True if it was started."""
    global _started
    if not settings.sentry_dsn:
        return False
    import sentry_sdk

    _started = True
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.env.value,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,  # a frame's variables may hold a phone number
        before_send=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=lambda crumb, _hint: _scrub(crumb),
    )
    return True
