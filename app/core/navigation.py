"""The links in the header, by who is signed in. Labels are translated at render time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.i18n import gettext as _


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str
    count: int = 0  # shown after the text, e.g. unread messages; 0 shows nothing


def navigation_for(viewer: Any, counts: dict[str, int] | None = None) -> list[NavItem]:
    """The header links for `viewer`; `counts` (href: number) adds a number to a link."""
    counts = counts or {}
    # The role copied when the request began, never the ORM user: this also draws error
    # pages, after the request's database session has gone.
    role = getattr(viewer, "role", None)
    if role in ("client", "supporter"):
        items = [
            NavItem("/home", _("Home")),
            NavItem("/plan", _("Your plan")),
            NavItem("/explainers", _("Help and money")),
            NavItem("/contact", _("Contact your adviser")),
        ]
        if role == "client":
            items.append(NavItem("/account", _("Your account")))
        return [*items, NavItem("/sign-out", _("Sign out"))]
    if role == "adviser":
        return [
            NavItem("/adviser", _("Caseload")),
            NavItem("/adviser/messages", _("Messages"), counts.get("/adviser/messages", 0)),
            NavItem("/sign-out", _("Sign out")),
        ]
    if role == "admin":
        return [NavItem("/admin", _("Advisers and caseloads")), NavItem("/sign-out", _("Sign out"))]
    return [NavItem("/sign-in", _("Sign in"))]
