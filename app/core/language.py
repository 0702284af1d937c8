"""Pick the page language: the signed-in profile (later), else the cookie, else English."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import i18n


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cookie_header = Headers(scope=scope).get("cookie", "")
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(cookie_header)
            except Exception:
                jar = SimpleCookie()
            morsel = jar.get(i18n.LANGUAGE_COOKIE)
            i18n.set_language(morsel.value if morsel else i18n.DEFAULT_LANGUAGE)

            async def send_with_language(message: Message) -> None:
                # The service worker reads this to show the offline page in the same language.
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message).setdefault(
                        "Content-Language", i18n.current_language()
                    )
                await send(message)

            await self.app(scope, receive, send_with_language)
            return
        await self.app(scope, receive, send)
