"""Passkeys (WebAuthn) for quick client sign-in after the first time.

The relying party is this site's host. In production it comes from MYPATHWAYS_BASE_URL; in
development and tests from the request, because browsers accept "localhost" but never a bare
IP address as a relying-party id.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import webauthn
from fastapi import Request
from sqlmodel import Session, select
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.accounts.codes import find_challenge
from app.accounts.identifiers import identifier_hash
from app.accounts.models import ChallengePurpose, Passkey, SignInChallenge
from app.core.clock import utcnow
from app.core.config import Environment, get_settings
from app.core.formatting import uk_phone
from app.core.tokens import keyed_hash
from app.people.models import User

CHALLENGE_LIFETIME = timedelta(minutes=5)


def relying_party(request: Request) -> tuple[str, str]:
    """(rp_id, expected origin)."""
    settings = get_settings()
    url = settings.base_url if settings.env == Environment.production else str(request.base_url)
    parts = urlsplit(url)
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


# 32 random bytes: more than WebAuthn's 16-byte minimum, and its hex (64 characters) fits the
# challenge column on PostgreSQL too (the library's default 64 bytes did not).
CHALLENGE_BYTES = 32


def new_challenge() -> bytes:
    """A fresh WebAuthn challenge."""
    return secrets.token_bytes(CHALLENGE_BYTES)


def _store_challenge(
    session: Session, purpose: ChallengePurpose, challenge: bytes, user_id: int | None
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        SignInChallenge(
            challenge_hash=keyed_hash("challenge", token),
            purpose=purpose,
            identifier_hash=identifier_hash(f"passkey:{user_id}"),
            user_id=user_id,
            code_hash=challenge.hex(),
            expires_at=utcnow() + CHALLENGE_LIFETIME,
        )
    )
    session.flush()
    return token


def _take_challenge(
    session: Session, token: str, purpose: ChallengePurpose
) -> SignInChallenge | None:
    challenge = find_challenge(session=session, token=token, purpose=purpose)
    if (
        challenge is None
        or challenge.used_at
        or challenge.expires_at <= utcnow()
        or not challenge.code_hash
    ):
        return None
    challenge.used_at = utcnow()  # one try per challenge
    session.add(challenge)
    return challenge


def registration_options(*, session: Session, request: Request, user: User) -> tuple[str, str]:
    """Options JSON for navigator.credentials.create, and the token for the challenge cookie."""
    assert user.id is not None
    rp_id, _origin = relying_party(request)
    existing = session.exec(select(Passkey).where(Passkey.user_id == user.id)).all()
    options = webauthn.generate_registration_options(
        challenge=new_challenge(),
        rp_id=rp_id,
        rp_name="My Pathways",
        user_id=str(user.id).encode(),
        user_name=uk_phone(user.phone) or user.email or f"user-{user.id}",
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(p.credential_id))
            for p in existing
        ],
    )
    token = _store_challenge(session, ChallengePurpose.passkey_register, options.challenge, user.id)
    return webauthn.options_to_json(options), token


def register(
    *, session: Session, request: Request, user: User, token: str, credential: dict[str, Any]
) -> bool:
    """Save a new passkey if the browser's answer matches our challenge."""
    challenge = _take_challenge(session, token, ChallengePurpose.passkey_register)
    if challenge is None or challenge.user_id != user.id:
        return False
    rp_id, origin = relying_party(request)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=bytes.fromhex(challenge.code_hash or ""),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        # Not a registration answer we can check (a wrong shape, a bad signature): no passkey.
        return False
    assert user.id is not None
    session.add(
        Passkey(
            user_id=user.id,
            credential_id=bytes_to_base64url(verified.credential_id),
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
        )
    )
    session.flush()
    return True


def authentication_options(*, session: Session, request: Request) -> tuple[str, str]:
    rp_id, _origin = relying_party(request)
    options = webauthn.generate_authentication_options(
        challenge=new_challenge(),
        rp_id=rp_id,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    token = _store_challenge(session, ChallengePurpose.passkey_sign_in, options.challenge, None)
    return webauthn.options_to_json(options), token


def authenticate(
    *, session: Session, request: Request, token: str, credential: dict[str, Any]
) -> User | None:
    """The user whose passkey signed this challenge, or None."""
    challenge = _take_challenge(session, token, ChallengePurpose.passkey_sign_in)
    passkey = session.exec(
        select(Passkey).where(Passkey.credential_id == str(credential.get("id", "")))
    ).first()
    if challenge is None or passkey is None:
        return None
    rp_id, origin = relying_party(request)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=bytes.fromhex(challenge.code_hash or ""),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        # Not an answer we can check, or not signed by this passkey: no sign-in.
        return None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    session.add(passkey)
    user = session.get(User, passkey.user_id)
    return user if user is not None and user.is_active else None
