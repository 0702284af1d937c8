"""Words we never use with clients: threats, pressure and false urgency (see the product brief).

Shared with the reminders: anything a client reads is checked against REFUSED_PHRASES.
"""

from __future__ import annotations

import re

REFUSED_PHRASES: tuple[str, ...] = (
    # English
    "sanction",
    "must attend",
    "failure to",
    "fail to",
    "you must",
    "penalty",
    "penalties",
    "compulsory",
    "deadline",
    "urgent",
    "immediately",
    "lose your benefit",
    "stop your benefit",
    "last chance",
    "final warning",
    # Welsh
    "sancsiwn",
    "cosb",
    "gorfodol",
    "dyddiad cau",
    "ar unwaith",
    "colli eich budd-dal",
    "rhybudd olaf",
)

# Pointing someone to crisis help is the one place "urgent" is kind, not pressure.
ALLOWED_PHRASES: tuple[str, ...] = (
    "urgent help",
    "urgent-help",
    "urgent_help",
    "urgent appointment",
)

_ALLOWED = re.compile("|".join(re.escape(phrase) for phrase in ALLOWED_PHRASES), re.IGNORECASE)
_REFUSED = {
    # Whole words at the start ("sanction" also catches "sanctions"), so "cosb" finds "cosbi".
    phrase: re.compile(r"(?<!\w)" + re.escape(phrase).replace(r"\ ", r"\s+"), re.IGNORECASE)
    for phrase in REFUSED_PHRASES
}


def refused_phrases_in(text: str) -> list[str]:
    """The refused phrases that appear in the text, in list order."""
    cleaned = _ALLOWED.sub(" ", text)
    return [phrase for phrase, pattern in _REFUSED.items() if pattern.search(cleaned)]
