"""Adviser and admin sign-in: password, then a TOTP code (or a recovery code).

Wrong guesses are limited by `throttle`: passwords per typed email (unless the browser has
signed this person in before) and per network address; second-factor codes per account,
across sign-in attempts. A TOTP code is accepted once only.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from app.accounts import passwords, throttle
from app.accounts.codes import MAX_ATTEMPTS, find_challenge
from app.accounts.identifiers import identifier_hash
from app.accounts.models import ChallengePurpose, RecoveryCode, SignInChallenge
from app.core.clock import utcnow
from app.core.tokens import keyed_hash, same
from app.people.models import Role, User

CHALLENGE_LIFETIME = timedelta(minutes=10)
STAFF_ROLES = (Role.adviser, Role.admin)


class PasswordResult(StrEnum):
    needs_code = "needs-code"
    needs_setup = "needs-setup"
    wrong = "wrong"
    locked = "locked"


@dataclass(frozen=True)
class PasswordCheck:
    result: PasswordResult
    challenge_token: str | None = None
    locked_minutes: int = 0


def known_device_token(user_id: int) -> str:
    """The value of the cookie that marks a browser this person has fully signed in on."""
    nonce = secrets.token_urlsafe(16)
    return f"{user_id}.{nonce}.{keyed_hash('staff-device', str(user_id), nonce)}"


def is_known_device(token: str | None, user: User | None) -> bool:
    """Whether a known-device cookie was made for this person by this app."""
    if not token or user is None or user.id is None:
        return False
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != str(user.id):
        return False
    return same(parts[2], keyed_hash("staff-device", parts[0], parts[1]))


def _longest_wait(session: Session, limits: list[tuple[throttle.Limit, str]]) -> timedelta | None:
    waits = [throttle.wait_needed(session=session, limit=limit, key=key) for limit, key in limits]
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def check_password(
    *, session: Session, email: str, password: str, address: str, device_token: str | None = None
) -> PasswordCheck:
    """First step of staff sign-in for a normalised email, from a network address.

    The answer is the same for a known and an unknown email: both are counted, and both are
    told to wait once they reach the limit.
    """
    user = session.exec(
        select(User).where(User.email == email, col(User.role).in_(STAFF_ROLES))
    ).first()
    if device_token and is_known_device(device_token, user):
        limits = [(throttle.STAFF_PASSWORD_PER_KNOWN_DEVICE, device_token)]
    else:
        limits = [
            (throttle.STAFF_PASSWORD_PER_ADDRESS, address),
            (throttle.STAFF_PASSWORD_PER_EMAIL, email),
        ]
    wait = _longest_wait(session, limits)
    if wait is not None:
        return PasswordCheck(PasswordResult.locked, locked_minutes=throttle.whole_minutes(wait))
    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        for limit, key in limits:
            throttle.record_failure(session=session, limit=limit, key=key)
        return PasswordCheck(PasswordResult.wrong)
    purpose = (
        ChallengePurpose.staff_second_factor
        if user.totp_secret
        else ChallengePurpose.staff_totp_setup
    )
    token = secrets.token_urlsafe(32)
    session.add(
        SignInChallenge(
            challenge_hash=keyed_hash("challenge", token),
            purpose=purpose,
            identifier_hash=identifier_hash(email),
            user_id=user.id,
            expires_at=utcnow() + CHALLENGE_LIFETIME,
        )
    )
    session.flush()
    result = (
        PasswordResult.needs_code
        if purpose == ChallengePurpose.staff_second_factor
        else PasswordResult.needs_setup
    )
    return PasswordCheck(result, challenge_token=token)


def _still_usable(challenge: SignInChallenge) -> bool:
    """Not used, not expired, and tries left."""
    unused = challenge.used_at is None and challenge.expires_at > utcnow()
    return unused and challenge.attempts < MAX_ATTEMPTS


def live_challenge(
    *, session: Session, token: str, purpose: ChallengePurpose
) -> SignInChallenge | None:
    """The sign-in step behind this token, if it can still be answered."""
    challenge = find_challenge(session=session, token=token, purpose=purpose)
    return challenge if challenge is not None and _still_usable(challenge) else None


class CodeResult(StrEnum):
    ok = "ok"
    wrong = "wrong"
    locked = "locked"  # too many wrong codes for this account lately
    used = "used"  # a right code, but one already used: wait for the next
    expired = "expired"  # the sign-in attempt is over: start again with the password


@dataclass(frozen=True)
class SecondFactorCheck:
    result: CodeResult
    user: User | None = None
    locked_minutes: int = 0


def check_second_factor(*, session: Session, token: str, code: str) -> SecondFactorCheck:
    """A TOTP code not used before, or an unused recovery code, completes sign-in.

    Every wrong code counts against the account, whichever attempt it came in, so knowing
    the password does not buy unlimited guesses; while the account is held even a right code
    is refused, and the person is told so (they have already given the right password).
    """
    challenge = find_challenge(
        session=session, token=token, purpose=ChallengePurpose.staff_second_factor
    )
    user = session.get(User, challenge.user_id) if challenge and challenge.user_id else None
    if challenge is None or user is None or user.id is None:
        return SecondFactorCheck(CodeResult.expired)
    account = str(user.id)
    limit = throttle.STAFF_SECOND_FACTOR_PER_ACCOUNT
    wait = throttle.wait_needed(session=session, limit=limit, key=account)
    if wait is not None:
        return SecondFactorCheck(CodeResult.locked, locked_minutes=throttle.whole_minutes(wait))
    if not _still_usable(challenge):
        return SecondFactorCheck(CodeResult.expired)
    challenge.attempts += 1
    session.add(challenge)
    step = passwords.totp_step_of(user.totp_secret, code, newer_than=user.totp_last_step)
    if step is not None or _use_recovery_code(session, user, code):
        if step is not None:
            user.totp_last_step = step
            session.add(user)
        challenge.used_at = utcnow()
        throttle.forget_failures(session=session, limit=limit, key=account)
        session.flush()
        return SecondFactorCheck(CodeResult.ok, user=user)
    throttle.record_failure(session=session, limit=limit, key=account)
    wait = throttle.wait_needed(session=session, limit=limit, key=account)
    if wait is not None:  # that was the last try for now: say so, rather than "wrong"
        return SecondFactorCheck(CodeResult.locked, locked_minutes=throttle.whole_minutes(wait))
    if not _still_usable(challenge):  # that was this attempt's last try: start again
        return SecondFactorCheck(CodeResult.expired)
    if passwords.totp_step_of(user.totp_secret, code) is not None:
        return SecondFactorCheck(CodeResult.used)
    return SecondFactorCheck(CodeResult.wrong)


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            col(RecoveryCode.code_hash).in_(passwords.recovery_code_hashes(code)),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        return False
    row.code_hash = passwords.recovery_code_hash(code)  # under the current key from now on
    row.used_at = utcnow()
    session.add(row)
    return True


def setup_secret(token: str) -> str:
    """The TOTP secret offered during set-up, derived from the challenge so nothing is stored
    until the adviser proves their authenticator app has it."""
    digest = bytes.fromhex(keyed_hash("totp-setup", token))[:20]
    return base64.b32encode(digest).decode()


def finish_setup(*, session: Session, token: str, code: str) -> tuple[User, list[str]] | None:
    """Save the new TOTP secret once a code from it checks out; return fresh recovery codes."""
    challenge = live_challenge(
        session=session, token=token, purpose=ChallengePurpose.staff_totp_setup
    )
    if challenge is None:
        return None
    challenge.attempts += 1
    session.add(challenge)
    user = session.get(User, challenge.user_id)
    secret = setup_secret(token)
    step = passwords.totp_step_of(secret, code)
    if user is None or step is None:
        session.flush()
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    challenge.used_at = utcnow()
    codes = passwords.new_recovery_codes()
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all():
        session.delete(old)
    assert user.id is not None
    for recovery in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=passwords.recovery_code_hash(recovery)))
    session.add(user)
    session.flush()
    return user, codes
