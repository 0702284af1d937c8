"""CSRF protection for every state-changing request: a signed double-submit token.

A random value lives in an HttpOnly, SameSite=Strict cookie; forms carry HMAC(secret, value)
in a hidden field (JSON calls in an X-CSRF-Token header). A page on another site can neither
read the cookie nor compute the HMAC, so it cannot forge a request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.forms import is_form
from app.core.tokens import keyed_hash, new_token, same

CSRF_COOKIE = "mp_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _cookie_value(scope: Scope) -> str | None:
    state = scope.setdefault("state", {})
    if "csrf_cookie" in state:
        return str(state["csrf_cookie"])
    return None


def csrf_token_for(request: Request) -> str:
    """The token a form on this page should carry."""
    value = request.cookies.get(CSRF_COOKIE) or _cookie_value(request.scope) or ""
    return keyed_hash("csrf", value)


class CsrfCookieMiddleware:
    """Give every browser a CSRF cookie on its first page, so its first form already works."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.cookies.get(CSRF_COOKIE):
            await self.app(scope, receive, send)
            return
        value = new_token()
        scope.setdefault("state", {})["csrf_cookie"] = value
        secure = "; Secure" if get_settings().secure_cookies else ""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(
                    "set-cookie",
                    f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


# Called by machines, not browsers, and authenticated by a bearer token in the route itself.
MACHINE_PATHS = frozenset({"/notifications/notify-callback"})


# What Sec-Fetch-Site may say on a state-changing request: our own pages, or the person
# typing or bookmarking (no initiator). "same-site" is refused too: a sibling subdomain is
# not us.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def comes_from_our_pages(request: Request) -> bool:
    """Whether the browser says this request started on one of our own pages.

    A second line behind the token: browsers send Sec-Fetch-Site and Origin on every POST,
    and a page on another site cannot forge either. Requests without them (old browsers,
    scripts) fall back on the token alone.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in ALLOWED_FETCH_SITES:
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    ours = {_origin_of(get_settings().base_url)}
    host = request.headers.get("host")
    if host:
        ours.add(f"{request.url.scheme}://{host}".lower())
    return origin.lower() in ours


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request from another site, or whose token does not match
    its cookie."""
    if request.method in SAFE_METHODS or request.url.path in MACHINE_PATHS:
        return
    if not comes_from_our_pages(request):
        raise HTTPException(status_code=403, detail="cross-site")
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and is_form(request):
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not cookie or not sent or not same(sent, keyed_hash("csrf", cookie)):
        raise HTTPException(status_code=403, detail="csrf")
