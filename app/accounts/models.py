"""People who can sign in, whatever their role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary, String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; we keep only its hash."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    # None: no idle limit ("keep me signed in on this phone"); otherwise minutes of idleness.
    idle_timeout_minutes: int | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
    user_agent: str = Field(default="", max_length=200)
    # A support person's session acts for one client at a time.
    acting_for_client_id: int | None = Field(default=None, foreign_key="client_profiles.id")


class ChallengePurpose(StrEnum):
    client_code = "client-code"  # a 6-digit code sent by text or email
    staff_second_factor = "staff-2fa"  # password accepted, waiting for TOTP
    staff_totp_setup = "staff-totp-setup"  # password accepted, first TOTP being set up
    passkey_register = "passkey-register"  # code_hash holds the WebAuthn challenge (hex)
    passkey_sign_in = "passkey-sign-in"


class SignInChallenge(SQLModel, table=True):
    """One step of a sign-in in progress, found by a random token in a short-lived cookie."""

    __tablename__ = "sign_in_challenges"

    id: int | None = Field(default=None, primary_key=True)
    challenge_hash: str = Field(max_length=64, unique=True)
    purpose: ChallengePurpose = Field(sa_type=String(20))
    # Hash of the normalised phone number or email, for the per-hour limit (never the raw value).
    identifier_hash: str = Field(max_length=64, index=True)
    # None when nobody has that number: the page behaves the same, but no code can ever match.
    user_id: int | None = Field(default=None, foreign_key="users.id")
    code_hash: str | None = Field(default=None, max_length=64)
    keep_signed_in: bool = Field(default=False)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = Field(default=None)


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None)


class Invitation(SQLModel, table=True):
    """A link an adviser sends by text so a new client can confirm their details."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_by_user_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    accepted_at: datetime | None = Field(default=None)


class SignInFailure(SQLModel, table=True):
    """One failed sign-in step, counted against a limit for a while, then forgotten.

    `key_hash` is a keyed hash of what the limit is about (an email, a network address, an
    account): the table never holds the raw value, and an unknown email is counted exactly
    like a known one, so the answers cannot tell them apart.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_limit_key_at", "limit_name", "key_hash", "failed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    limit_name: str = Field(max_length=40)
    key_hash: str = Field(max_length=64)
    failed_at: datetime = Field(default_factory=utcnow)


class Passkey(SQLModel, table=True):
    """A passkey a client added for quick sign-in on this phone (WebAuthn)."""

    __tablename__ = "passkeys"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    credential_id: str = Field(max_length=400, unique=True)  # base64url
    public_key: bytes = Field(sa_type=LargeBinary)
    sign_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None)
