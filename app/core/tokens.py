"""Random tokens and keyed hashes. We store hashes, never the tokens people hold.

Rotating the secret key: move the old key into MYPATHWAYS_PREVIOUS_SECRET_KEYS. Long-lived
tokens that are looked up by their stored hash (calendar feed links, recovery codes) are checked
against `keyed_hashes` — the current key first, then each previous key — and re-hashed to the
current key when they are used, so after a while no stored hash needs the old key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.core.config import get_settings

TOKEN_BYTES = 32
_TOKEN_LENGTH = len(secrets.token_urlsafe(TOKEN_BYTES))  # 43 characters
_TOKEN_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_token() -> str:
    """A fresh random token for a cookie or a link: 43 URL-safe characters (32 bytes)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def could_be_token(value: str) -> bool:
    """Whether `value` has new_token's shape, so one that cannot be (a stale or made-up
    cookie) is turned away without a database lookup."""
    return len(value) == _TOKEN_LENGTH and _TOKEN_ALPHABET.issuperset(value)


def _hash_with(key: str, parts: tuple[str, ...]) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 of the parts under the app's secret key, as hex."""
    return _hash_with(get_settings().secret_key, parts)


def keyed_hashes(*parts: str) -> list[str]:
    """The parts' hash under the current key, then under each previous key (in that order):
    what a stored hash may be, for tokens that outlive a key rotation."""
    settings = get_settings()
    keys = [settings.secret_key, *settings.previous_secret_key_list]
    return list(dict.fromkeys(_hash_with(key, parts) for key in keys))


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
