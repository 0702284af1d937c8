"""Phone numbers and email addresses as people type them, made comparable."""

from __future__ import annotations

import re

from app.core.tokens import keyed_hash

_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)(7\d{9})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_phone(raw: str) -> str | None:
    """'07700 900123', '+44 7700 900123' -> '+447700900123'; None if not a UK mobile."""
    digits = re.sub(r"[\s\-().]", "", raw)
    match = _UK_MOBILE.match(digits)
    return f"+44{match.group(1)}" if match else None


def normalise_email(raw: str) -> str | None:
    value = raw.strip().lower()
    return value if _EMAIL.match(value) and len(value) <= 254 else None


def identifier_hash(identifier: str) -> str:
    return keyed_hash("identifier", identifier)
