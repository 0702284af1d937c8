"""Pick the page language: the signed-in profile (later), else the cookie, else English."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import i18n
from app.core.assets import is_asset_request
from app.core.config import get_settings

REMEMBER_LANGUAGE = "remember_language"  # request.state key: a language to keep in the cookie
ONE_YEAR = 60 * 60 * 24 * 365


def language_cookie(language: str) -> str:
    """The Set-Cookie value that keeps `language` ("en" or "cy") for a year."""
    response = Response()
    response.set_cookie(
        i18n.LANGUAGE_COOKIE,
        i18n.normalise_language(language),
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response.headers["set-cookie"]


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # Starlette's parser, as request.cookies uses: it reads each "name=value" pair on
            # its own, where http.cookies.SimpleCookie stops at the first malformed pair
            # ("weird=a b; lang=cy") and so forgot the language.
            cookies = cookie_parser(Headers(scope=scope).get("cookie", ""))
            chosen = cookies.get(i18n.LANGUAGE_COOKIE)
            i18n.set_language(chosen or i18n.DEFAULT_LANGUAGE)
            # A hashed asset is the same file in both languages: it says none.
            says_language = not is_asset_request(scope)

            async def send_with_language(message: Message) -> None:
                # The service worker reads this to show the offline page in the same language.
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    if says_language:
                        headers.setdefault("Content-Language", i18n.current_language())
                    # A client's profile language, found on this request, is remembered in the
                    # cookie, so pages drawn before anyone is looked up (a page not found, a form
                    # too long to read) speak it too.
                    remembered = scope.get("state", {}).get(REMEMBER_LANGUAGE)
                    if remembered and not chosen:
                        headers.append("Set-Cookie", language_cookie(remembered))
                await send(message)

            await self.app(scope, receive, send_with_language)
            return
        await self.app(scope, receive, send)
