"""One access line and the request metrics for every HTTP request, in a pure ASGI middleware
(no BaseHTTPMiddleware: nothing is buffered, no extra task per request).

The route is the template the request matched (`/adviser/clients/{client_id}`), so neither
the log nor the metrics learn ids, and their label sets stay small."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from asgi_correlation_id import CorrelationIdMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.error_reports import tag_request
from app.core.metrics import observe_request

access_log = logging.getLogger("mypathways.access")
UNMATCHED = "<unmatched>"  # a 404 for an address no route knows: never the address itself


def route_template(scope: Scope) -> str:
    """The template of the route that answered, as FastAPI left it in the scope."""
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    if isinstance(template, str):
        return template
    if "endpoint" in scope:  # a mounted app (the hashed assets): its prefix only
        return f"{scope.get('root_path', '')}/{{path}}"
    return UNMATCHED


class RequestIds(CorrelationIdMiddleware):
    """asgi-correlation-id's middleware: takes the proxy's X-Request-ID (a uuid4) or makes
    one, keeps it for every log line of the request and sends it back. Its own Sentry hook
    parses sentry-sdk's version on every request, Sentry or not; ours tags the report only
    when reports are on."""

    def __post_init__(self) -> None:
        self.sentry_extension = tag_request


@dataclass
class AccessLog:
    """Times each request and, once it is answered, writes its line and counts it."""

    app: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to time
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status: int | None = None

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_noting_status)
        except Exception:
            failed = True
            raise
        finally:
            seconds = time.perf_counter() - started
            record_request(
                scope["method"], route_template(scope), _answered(status, failed), seconds
            )


# nginx's "client closed request": the browser went away (a favicon fetch dropped as a page
# moved on) before any answer began. Not a 500: nothing failed, and an alert on 5xx must not
# fire for it.
CLIENT_WENT_AWAY = 499


def _answered(status: int | None, failed: bool) -> int:
    """The status to log: the one sent; 500 if the app raised before answering (the client
    gets the 500 page); 499 if it ended, or was cancelled, with no answer begun."""
    if status is not None:
        return status
    return 500 if failed else CLIENT_WENT_AWAY


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    """The access line (method, route template, status, milliseconds) and the metrics."""
    ms = round(seconds * 1000, 1)
    access_log.info(
        "%s %s %s %sms",
        method,
        route,
        status,
        ms,
        extra={"method": method, "route": route, "status": status, "ms": ms},
    )
    observe_request(method, route, status, seconds)
