"""Adviser and admin sign-in: password, then a TOTP code (or a recovery code).

Repeated wrong passwords lock the account for a while, doubling each time (up to an hour).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from app.accounts import passwords
from app.accounts.codes import MAX_ATTEMPTS, find_challenge
from app.accounts.identifiers import identifier_hash
from app.accounts.models import ChallengePurpose, RecoveryCode, Role, SignInChallenge, User
from app.core.clock import utcnow
from app.core.tokens import keyed_hash

FREE_TRIES = 5
MAX_LOCK = timedelta(hours=1)
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


def lock_duration(failures: int) -> timedelta:
    """No lock for the first few failures, then 1, 2, 4 ... minutes, at most an hour."""
    if failures < FREE_TRIES:
        return timedelta(0)
    return min(timedelta(minutes=2 ** (failures - FREE_TRIES)), MAX_LOCK)


def check_password(*, session: Session, email: str, password: str) -> PasswordCheck:
    """First step of staff sign-in."""
    user = session.exec(
        select(User).where(User.email == email, col(User.role).in_(STAFF_ROLES))
    ).first()
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        return PasswordCheck(PasswordResult.locked, locked_minutes=minutes)
    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        if user is not None:
            user.failed_sign_ins += 1
            lock = lock_duration(user.failed_sign_ins)
            user.locked_until = now + lock if lock else None
            session.add(user)
            session.flush()
        return PasswordCheck(PasswordResult.wrong)
    user.failed_sign_ins = 0
    user.locked_until = None
    purpose = (
        ChallengePurpose.staff_second_factor
        if user.totp_secret
        else ChallengePurpose.staff_totp_setup
    )
    token = secrets.token_urlsafe(32)
    session.add(user)
    session.add(
        SignInChallenge(
            challenge_hash=keyed_hash("challenge", token),
            purpose=purpose,
            identifier_hash=identifier_hash(email),
            user_id=user.id,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    session.flush()
    result = (
        PasswordResult.needs_code
        if purpose == ChallengePurpose.staff_second_factor
        else PasswordResult.needs_setup
    )
    return PasswordCheck(result, challenge_token=token)


def live_challenge(
    *, session: Session, token: str, purpose: ChallengePurpose
) -> SignInChallenge | None:
    challenge = find_challenge(session=session, token=token, purpose=purpose)
    if challenge is None or challenge.used_at or challenge.expires_at <= utcnow():
        return None
    if challenge.attempts >= MAX_ATTEMPTS:
        return None
    return challenge


def check_second_factor(*, session: Session, token: str, code: str) -> User | None:
    """A TOTP code or an unused recovery code completes sign-in; each try is counted."""
    challenge = live_challenge(
        session=session, token=token, purpose=ChallengePurpose.staff_second_factor
    )
    if challenge is None:
        return None
    challenge.attempts += 1
    session.add(challenge)
    user = session.get(User, challenge.user_id)
    if user is None:
        return None
    if passwords.verify_totp(user.totp_secret, code) or _use_recovery_code(session, user, code):
        challenge.used_at = utcnow()
        session.flush()
        return user
    session.flush()
    return None


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == passwords.recovery_code_hash(code),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        return False
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
    if user is None or not passwords.verify_totp(secret, code):
        session.flush()
        return None
    user.totp_secret = secret
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
