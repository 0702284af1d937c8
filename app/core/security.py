"""Security headers on every response. No inline script or style, so CSP needs no 'unsafe-inline'."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.assets import is_asset_request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

BASE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=63072000; includeSubDomains"
# A hashed asset (a stylesheet, script or image) is never a document: a policy for framing,
# scripts, referrers, permissions or the opener applies to documents (and to the service
# worker, which is not an asset), so a file needs only "do not guess my type". Its
# Cache-Control is its own (app/core/assets.py). Every first visit loads several files, and
# the page headers cost each of them some 500 bytes.
ASSET_HEADERS = {"X-Content-Type-Options": "nosniff"}

# Pages here are personal, or carry a person's CSRF token and navigation: no shared or
# browser HTTP cache may keep them. `no-store` rather than `private, no-cache` because nothing
# needs the HTTP cache: the service worker keeps its own copy of the pages a client has viewed
# for offline use (Cache Storage ignores these headers, and sign-out clears it), and hashed
# static assets, the service worker and the manifests set their own Cache-Control.
DEFAULT_CACHE_CONTROL = "no-store"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = dict(BASE_HEADERS)
        if hsts:
            self.headers["Strict-Transport-Security"] = HSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = ASSET_HEADERS if is_asset_request(scope) else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
                headers.setdefault("Cache-Control", DEFAULT_CACHE_CONTROL)
            await send(message)

        await self.app(scope, receive, send_with_headers)
