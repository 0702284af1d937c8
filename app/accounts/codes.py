"""Client sign-in with a 6-digit code sent by text or email.

Codes last 10 minutes, work once, allow 5 tries, and at most 5 are sent per number per hour.
The pages say the same thing whether or not anyone has that number.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, col, func, select

from app.accounts import throttle
from app.accounts.identifiers import identifier_hash
from app.accounts.models import ChallengePurpose, SignInChallenge
from app.core.clock import utcnow
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.core.tokens import keyed_hash, same
from app.delivery.models import Channel
from app.delivery.outbox import queue_message
from app.people.models import ClientProfile, Role, User

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 5

# The sign-in code by text; tests/core/test_every_sms_fits.py counts its parts.
CODE_MESSAGE = lazy_gettext(
    "Your My Pathways code is %(code)s. It works for 10 minutes. "
    "If you did not ask for it, you can ignore this message."
)


class CodeResult(StrEnum):
    ok = "ok"
    wrong = "wrong"
    expired = "expired"  # too old, already used or too many tries: ask for a new one
    locked = "locked"  # too many wrong codes from this network address lately


@dataclass(frozen=True)
class CodeCheck:
    result: CodeResult
    user: User | None = None
    keep_signed_in: bool = False
    locked_minutes: int = 0


def _code_hash(challenge_token: str, code: str) -> str:
    return keyed_hash("sign-in-code", challenge_token, code)


def _find_account(session: Session, identifier: str) -> User | None:
    field = User.email if "@" in identifier else User.phone
    return session.exec(
        select(User).where(
            field == identifier,
            col(User.role).in_([Role.client, Role.supporter]),
            col(User.is_active).is_(True),
        )
    ).first()


def _codes_sent_last_hour(session: Session, hashed_identifier: str) -> int:
    since = utcnow() - timedelta(hours=1)
    count = session.exec(
        select(func.count())
        .select_from(SignInChallenge)
        .where(
            SignInChallenge.identifier_hash == hashed_identifier,
            SignInChallenge.purpose == ChallengePurpose.client_code,
            col(SignInChallenge.created_at) >= since,
            col(SignInChallenge.code_hash).is_not(None),
        )
    ).one()
    return int(count)


def _message_language(session: Session, user: User) -> str:
    language = session.exec(
        select(ClientProfile.language).where(ClientProfile.user_id == user.id)
    ).first()
    return language or "en"


def send_code(*, session: Session, identifier: str, keep_signed_in: bool) -> str:
    """Start a sign-in for a normalised phone or email; returns the challenge token for a cookie."""
    hashed_identifier = identifier_hash(identifier)
    user = _find_account(session, identifier)
    token = secrets.token_urlsafe(32)
    challenge = SignInChallenge(
        challenge_hash=keyed_hash("challenge", token),
        purpose=ChallengePurpose.client_code,
        identifier_hash=hashed_identifier,
        keep_signed_in=keep_signed_in,
        expires_at=utcnow() + CODE_LIFETIME,
    )
    if user is not None and _codes_sent_last_hour(session, hashed_identifier) < MAX_CODES_PER_HOUR:
        code = f"{secrets.randbelow(1_000_000):06d}"
        challenge.user_id = user.id
        challenge.code_hash = _code_hash(token, code)
        with use_language(_message_language(session, user)):
            body = _(CODE_MESSAGE) % {"code": code}
        queue_message(
            session=session,
            channel=Channel.email if "@" in identifier else Channel.sms,
            recipient=identifier,
            body=body,
        )
    session.add(challenge)
    session.flush()
    return token


def find_challenge(
    *, session: Session, token: str, purpose: ChallengePurpose
) -> SignInChallenge | None:
    """The challenge behind a cookie's token, if it is for this purpose."""
    challenge = session.exec(
        select(SignInChallenge).where(
            SignInChallenge.challenge_hash == keyed_hash("challenge", token)
        )
    ).first()
    if challenge is None or challenge.purpose != purpose:
        return None
    return challenge


def check_code(*, session: Session, token: str, code: str, address: str) -> CodeCheck:
    """Check a typed code against the challenge; count the try against the challenge and
    against the network address it came from (so guessing across many numbers is limited
    too, not only guessing one number's code)."""
    challenge = find_challenge(session=session, token=token, purpose=ChallengePurpose.client_code)
    if challenge is None:
        return CodeCheck(CodeResult.expired)
    wait = throttle.wait_needed(
        session=session, limit=throttle.CLIENT_CODE_PER_ADDRESS, key=address
    )
    if wait is not None:
        return CodeCheck(CodeResult.locked, locked_minutes=throttle.whole_minutes(wait))
    now = utcnow()
    if challenge.used_at or challenge.expires_at <= now or challenge.attempts >= MAX_ATTEMPTS:
        return CodeCheck(CodeResult.expired)
    challenge.attempts += 1
    session.add(challenge)
    matches = challenge.code_hash is not None and same(
        challenge.code_hash, _code_hash(token, code.strip().replace(" ", ""))
    )
    if not matches or challenge.user_id is None:
        throttle.record_failure(
            session=session, limit=throttle.CLIENT_CODE_PER_ADDRESS, key=address
        )
        return CodeCheck(CodeResult.wrong)
    challenge.used_at = now
    session.flush()
    user = session.get(User, challenge.user_id)
    if user is None or not user.is_active:
        return CodeCheck(CodeResult.expired)
    return CodeCheck(CodeResult.ok, user=user, keep_signed_in=challenge.keep_signed_in)
