"""Staff passwords (argon2id) and second factors (TOTP, recovery codes)."""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.config import Environment, get_settings
from app.core.tokens import keyed_hash, keyed_hashes


# argon2id at its recommended cost (RFC 9106, low memory: 64 MiB, 3 passes) everywhere but the
# test suite, which makes and checks hundreds of staff passwords: there one pass over 8 KiB keeps
# the same code path (argon2id, salted, full-length hash, verified) at a millisecond instead of
# most of a second. A hash records its own parameters, so each is verified at its own cost.
def hasher_for(env: Environment) -> PasswordHasher:
    if env == Environment.test:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


_hasher = hasher_for(get_settings().env)
# Verifying against this when no account matches keeps the timing the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 12
RECOVERY_CODE_COUNT = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name="My Pathways")


# One step either side allows for a phone clock that is a little out.
TOTP_WINDOW = 1


def _window_steps(totp: pyotp.TOTP) -> list[int]:
    current = totp.timecode(time.time())
    return [current + offset for offset in range(-TOTP_WINDOW, TOTP_WINDOW + 1)]


def totp_step_of(secret: str | None, code: str, *, newer_than: int | None = None) -> int | None:
    """The 30-second time step (RFC 6238 counter) whose code this is, within a step either
    side of now and newer than `newer_than`; None if it matches no such step.

    Refusing steps at or before the last accepted one is what stops a code being replayed.
    """
    if not secret:
        return None
    totp = pyotp.TOTP(secret)
    typed = code.replace(" ", "")
    for step in _window_steps(totp):
        if newer_than is not None and step <= newer_than:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def verify_totp(secret: str | None, code: str) -> bool:
    """Whether the code is right for the secret now (set-up and demo checks; sign-in also
    refuses replays through `totp_step_of`)."""
    return totp_step_of(secret, code) is not None


def fresh_totp_code(secret: str, last_step: int | None) -> str | None:
    """A code the app would accept now from an account whose last accepted step is
    `last_step`; None if every step in the window is used (then wait up to 30 seconds).
    For the demo's development page and tests, which must not replay a used code."""
    totp = pyotp.TOTP(secret)
    # The current step first; the one before is about to lapse, the one after is for later.
    _before, current, after = _window_steps(totp)
    for step in (current, after):
        if last_step is None or step > last_step:
            return totp.generate_otp(step)
    return None


def new_recovery_codes() -> list[str]:
    return [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]


def recovery_code_hash(code: str) -> str:
    return keyed_hash("recovery", code.strip().lower())


def recovery_code_hashes(code: str) -> list[str]:
    """What a stored recovery code's hash may be: under the current key, then previous keys."""
    return keyed_hashes("recovery", code.strip().lower())
