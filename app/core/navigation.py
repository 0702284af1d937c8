"""The links in the header, by who is signed in. Labels are translated at render time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.i18n import gettext as _


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


def navigation_for(viewer: Any) -> list[NavItem]:
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
        return [NavItem("/adviser", _("Caseload")), NavItem("/sign-out", _("Sign out"))]
    if role == "admin":
        return [NavItem("/admin", _("Advisers and caseloads")), NavItem("/sign-out", _("Sign out"))]
    return [NavItem("/sign-in", _("Sign in"))]
