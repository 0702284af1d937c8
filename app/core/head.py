"""HEAD answered as GET without its body (RFC 9110 9.3.2): uptime checks and link checkers
ask HEAD, and FastAPI routes declared for GET answer it 405."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request runs as the GET it stands for; its answer keeps
    the GET's status and headers (Content-Length included) and drops the body. The hashed
    assets answer HEAD themselves, so they are left alone."""

    def __init__(self, app: ASGIApp, *, untouched_prefix: str = "/assets/") -> None:
        self.app = app
        self.untouched_prefix = untouched_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "HEAD"
            or scope["path"].startswith(self.untouched_prefix)
        ):
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
