"""Limits on wrong guesses at sign-in, counted in a sliding window.

Each limit counts failures for one key (an email, a network address, an account) over a
window; when the count reaches the limit, that key is refused until the oldest failure in the
window is old enough to be forgotten. Keys are stored as keyed hashes, never raw values.

Why windows and several keys instead of one lock on the account: a lock on the account alone
tells a stranger which emails are real (only real ones lock) and lets anyone who knows an
adviser's email keep them out. Counting by the typed email, known or not, answers both the
same; counting by network address stops one machine guessing across many accounts; and a
browser the staff member has signed in on before is not held by the per-email limit, so the
real adviser still gets in while a stranger is locked out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from app.accounts.models import SignInFailure
from app.core.clock import utcnow
from app.core.i18n import ngettext
from app.core.tokens import keyed_hash


@dataclass(frozen=True)
class Limit:
    """At most `max_failures` wrong tries per key within `window`."""

    name: str
    max_failures: int
    window: timedelta


# Staff passwords: per typed email (known or unknown alike), from a browser not seen before.
STAFF_PASSWORD_PER_EMAIL = Limit("staff-password-email", 5, timedelta(minutes=15))
# Staff passwords: per network address, across every email it tries.
STAFF_PASSWORD_PER_ADDRESS = Limit("staff-password-address", 20, timedelta(minutes=15))
# Staff passwords from a browser this person has signed in on before: counted per browser
# instead of per email and address, so a stranger (or a colleague behind the same office
# address) guessing cannot lock the real adviser out of their own browser.
STAFF_PASSWORD_PER_KNOWN_DEVICE = Limit("staff-password-device", 10, timedelta(minutes=15))
# Authenticator and recovery codes: per account, across every sign-in attempt.
STAFF_SECOND_FACTOR_PER_ACCOUNT = Limit("staff-second-factor", 5, timedelta(minutes=15))
# Client sign-in codes: per network address, across every number it tries.
CLIENT_CODE_PER_ADDRESS = Limit("client-code-address", 15, timedelta(minutes=15))


def _key(limit: Limit, key: str) -> str:
    return keyed_hash("sign-in-limit", limit.name, key)


def wait_needed(*, session: Session, limit: Limit, key: str) -> timedelta | None:
    """How long `key` must wait before another try, or None if it may try now."""
    since = utcnow() - limit.window
    count, oldest = session.exec(
        select(func.count(), func.min(SignInFailure.failed_at)).where(
            SignInFailure.limit_name == limit.name,
            SignInFailure.key_hash == _key(limit, key),
            col(SignInFailure.failed_at) > since,
        )
    ).one()
    if int(count) < limit.max_failures or oldest is None:
        return None
    return max(oldest + limit.window - utcnow(), timedelta(seconds=1))


def record_failure(*, session: Session, limit: Limit, key: str) -> None:
    """Count one wrong try against `key`."""
    session.add(SignInFailure(limit_name=limit.name, key_hash=_key(limit, key)))
    session.flush()


def forget_failures(*, session: Session, limit: Limit, key: str) -> None:
    """A right answer clears the count for `key` (the person has proved who they are)."""
    session.exec(
        delete(SignInFailure).where(
            col(SignInFailure.limit_name) == limit.name,
            col(SignInFailure.key_hash) == _key(limit, key),
        )
    )


def whole_minutes(wait: timedelta) -> int:
    """A wait as the whole minutes a person is told (never 0)."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def too_many_tries(minutes: int) -> str:
    """The same kind words for every sign-in limit, in the person's language."""
    return ngettext(
        "Too many tries. Wait %(num)s minute, then try again.",
        "Too many tries. Wait %(num)s minutes, then try again.",
        minutes,
    ) % {"num": minutes}
