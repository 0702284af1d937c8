"""Random tokens and keyed hashes. We store hashes, never the tokens people hold."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.core.config import get_settings


def new_token() -> str:
    return secrets.token_urlsafe(32)


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 of the parts under the app's secret key, as hex."""
    key = get_settings().secret_key.encode()
    message = "\x1f".join(parts).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
