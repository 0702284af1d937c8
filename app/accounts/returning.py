"""Back to where you were after signing in again.

A session ends (30 minutes idle, signed out in another tab, revoked) while someone is on a page
or half-way through a form. Their next request is answered with the sign-in page; this keeps,
in a short-lived cookie rather than in the address (no private paths in URLs or logs), the
page they were on and whether something they sent was not saved, so that the sign-in page can
say so plainly and signing in takes them back to that page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response

from app.core.config import get_settings
from app.core.csrf import SAFE_METHODS
from app.people.models import Role

RETURN_COOKIE = "mp_return"
RETURN_MINUTES = 30
_NOT_SAVED = "!"  # a prefix on the cookie's value: what they sent was not saved
_LONGEST_PATH = 300

# Where each role's pages are. A path outside them (an adviser's page remembered in a browser
# a client then signs in on) is never a place to send anyone back to.
_AREAS: dict[Role, tuple[str, ...]] = {
    Role.adviser: ("/adviser",),
    Role.admin: ("/admin",),
}
_STAFF_ONLY = ("/adviser", "/admin")
# Pages that are part of signing in or out: going back to them would be a loop.
_NEVER_BACK_TO = ("/sign-in", "/sign-out", "/signed-out", "/adviser/sign-in", "/invitation")


def _safe_path(path: str) -> str | None:
    """`path` if it is one of our own pages' paths (no scheme, host, query or odd characters),
    else None."""
    if not path.startswith("/") or path.startswith("//") or len(path) > _LONGEST_PATH:
        return None
    if not (path.isascii() and path.isprintable()) or "\\" in path or "?" in path:
        return None
    if path.startswith(_NEVER_BACK_TO):
        return None
    return path


def _page_they_were_on(request: Request) -> str | None:
    """For a page asked for: that page. For a form sent: the page it was sent from (the
    Referer, when it is ours), as the address it was sent to may answer only forms."""
    if request.method in SAFE_METHODS:
        return _safe_path(request.url.path)
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.headers.get("host"):
        return None
    return _safe_path(referer.path)


def remember_return(response: Response, request: Request) -> None:
    """Set the cookie on the redirect to sign-in: the page they were on (if it can be known)
    and, for a form, that it was not saved."""
    page = _page_they_were_on(request)
    not_saved = request.method not in SAFE_METHODS
    if page is None and not not_saved:
        return
    response.set_cookie(
        RETURN_COOKIE,
        (_NOT_SAVED if not_saved else "") + (page or ""),
        max_age=RETURN_MINUTES * 60,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/",
    )


def form_was_not_saved(request: Request) -> bool:
    """Whether the sign-in page should say that what they last sent was not saved."""
    return request.cookies.get(RETURN_COOKIE, "").startswith(_NOT_SAVED)


def return_path(request: Request, role: Role) -> str | None:
    """The page to go back to after signing in as `role`, or None (their usual home). Only a
    page of that role's own area: staff paths for staff, the rest for clients and support
    people."""
    page = _safe_path(request.cookies.get(RETURN_COOKIE, "").removeprefix(_NOT_SAVED))
    if page is None:
        return None
    areas = _AREAS.get(role)
    if areas is not None:
        return page if page.startswith(areas) else None
    return None if page.startswith(_STAFF_ONLY) else page


def forget_return(response: Response) -> None:
    """Once used (signed in again), the cookie goes."""
    response.delete_cookie(RETURN_COOKIE, path="/")
