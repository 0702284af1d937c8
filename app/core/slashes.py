"""An address with a trailing slash too many (or too few) is sent to the page it meant, by a
path alone: Starlette's own redirect wrote back the Host header a request came with, so
anyone could make our answer point at another site (a poisoned cache, a phishing link)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Match


def slash_twin(request: Request) -> str | None:
    """The request's path with its trailing slash added or taken away, and its query kept
    ("/plan/?x=1" -> "/plan?x=1"), if a route of the app matches that path; else None.
    Only a path is returned (never a scheme or host), so a redirect to it stays on this site.
    Only for GET and HEAD: a form posted to the wrong address is not sent on."""
    path = request.url.path
    if request.method not in {"GET", "HEAD"} or path in {"", "/"} or path.startswith("//"):
        return None
    twin = path.rstrip("/") if path.endswith("/") else path + "/"
    if not twin or twin.startswith("//"):
        return None
    scope = {**request.scope, "path": twin}
    for route in request.app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            query = request.url.query
            return f"{twin}?{query}" if query else twin
    return None
