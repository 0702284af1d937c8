"""What a message is to the outbox, and how long a text is to a phone network."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SMS_SEGMENTS = 2


# GSM 03.38: the basic set and the extension table (each extension character takes two places).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


GSM_EXTENSION = "^{}\\[~]|€\f"


def sms_segments(text: str) -> int:
    """How many SMS segments a text takes: 160/153 characters in GSM-7, 70/67 in UCS-2. One
    character outside GSM-7 (a Welsh ŵ or ŷ, a curly quote) makes the whole text UCS-2."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        length = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        single, multi = 160, 153
    else:
        # UCS-2 counts UTF-16 code units: characters outside the BMP take two.
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi = 70, 67
    if length <= single:
        return 1
    return -(-length // multi)


def first_that_fits(*texts: str) -> str:
    """The first text that fits in MAX_SMS_SEGMENTS (give the shortest last: it must fit)."""
    for text in texts:
        if sms_segments(text) <= MAX_SMS_SEGMENTS:
            return text
    return texts[-1]


@dataclass(frozen=True)
class Message:
    title: str
    body: str  # for push and email
    sms_body: str  # for a text message, with the link
    url: str  # a path in the app
