"""A form's whole body arrives before the request takes anything that others wait for.

On SQLite a request that changes things takes the one write turn (sqlite_turns.py); on
PostgreSQL it may hold a pooled connection once it has asked who is signed in. Both used to
happen before the body was read, so one POST whose body never finished arriving (a phone on a
bad signal, or someone doing it on purpose) held every other change in the app up for as long
as its connection stayed open. Bodies are read here first, within BODY_SECONDS, then handed
on as if they had just arrived.
"""

from __future__ import annotations

import anyio
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.csrf import SAFE_METHODS
from app.core.forms import MAX_FORM_BYTES


def _readable_length(scope: Scope) -> int | None:
    """The body's promised length, when it is one this middleware should wait for: a number
    within MAX_FORM_BYTES. Anything else (no length, chunked, too long, not a number) is
    refused by the app's own guards without reading the body (forms.refuse_oversized_forms)."""
    length = Headers(scope=scope).get("content-length")
    if length is None or not (length.isascii() and length.isdigit()):
        return None
    return int(length) if int(length) <= MAX_FORM_BYTES else None


class ReadBodyFirst:
    """Pure ASGI middleware: for a request that may change something, wait for its whole body
    (at most get_settings().request_body_seconds) before passing it on. A body that does not
    arrive in time is answered 408 with the kind error page; a sender that gives up is let go."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if _readable_length(scope) is None:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        with anyio.move_on_after(get_settings().request_body_seconds) as waiting:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # nobody is left to answer
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        if waiting.cancelled_caught:
            await _too_slow(scope, receive, send)
            return
        await self.app(scope, _replaying(b"".join(chunks), receive), send)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the whole body once, then whatever the connection says next (a
    disconnect, for streaming responses that listen for one)."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _too_slow(scope: Scope, receive: Receive, send: Send) -> None:
    # Imported here: the templates sit above this module (they need the CSRF token).
    from app.core.templating import render

    page = render(Request(scope, receive), "pages/error.html", {"status_code": 408}, 408)
    page.headers["Connection"] = "close"
    await page(scope, receive, send)
