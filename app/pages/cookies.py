"""Every cookie the service sets, for the cookies page: its name, what it is for, how long it
lasts. Names and lifetimes come from the code that sets them, so the page cannot drift from it
(tests/pages/test_service_pages.py also finds every cookie the code sets and looks for it here).

All of them are essential: the service cannot work without them, so the law (PECR) does not
ask for consent, and there is no cookie banner. There are no analytics or advertising cookies.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.returning import RETURN_COOKIE, RETURN_MINUTES
from app.accounts.sessions import KEEP_SIGNED_IN, SESSION_COOKIE
from app.accounts.views_client import CHALLENGE_COOKIE, CHALLENGE_MINUTES
from app.accounts.views_staff import KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS
from app.core.csrf import CSRF_COOKIE
from app.core.i18n import LANGUAGE_COOKIE, lazy_gettext
from app.core.language import ONE_YEAR


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str  # a msgid, translated on the page
    expires: str  # a msgid, with %(num)s for the number below
    num: int | None = None


COOKIES: tuple[Cookie, ...] = (
    Cookie(
        SESSION_COOKIE,
        lazy_gettext("Keeps you signed in, so you do not have to sign in on every page."),
        lazy_gettext(
            "After %(num)s days if you chose to stay signed in on this phone. "
            "If not, when you close your browser."
        ),
        KEEP_SIGNED_IN.days,
    ),
    Cookie(
        CHALLENGE_COOKIE,
        lazy_gettext("Remembers where you are while you sign in."),
        lazy_gettext("After %(num)s minutes"),
        CHALLENGE_MINUTES,
    ),
    Cookie(
        RETURN_COOKIE,
        lazy_gettext(
            "If you are signed out while using the service, remembers the page you were on, "
            "so that signing in again takes you back to it."
        ),
        lazy_gettext("After %(num)s minutes"),
        RETURN_MINUTES,
    ),
    Cookie(
        CSRF_COOKIE,
        lazy_gettext(
            "Keeps your account safe. It checks that a form you send really came from this service."
        ),
        lazy_gettext("When you close your browser"),
    ),
    Cookie(
        LANGUAGE_COOKIE,
        lazy_gettext("Remembers if you chose English or Welsh."),
        lazy_gettext("After 1 year"),
        ONE_YEAR // (60 * 60 * 24 * 365),
    ),
    Cookie(
        KNOWN_DEVICE_COOKIE,
        lazy_gettext(
            "Staff only. Remembers a computer a member of staff signs in on, "
            "so nobody else can lock them out of it."
        ),
        lazy_gettext("After %(num)s days"),
        KNOWN_DEVICE_DAYS,
    ),
)
