"""English and Welsh. The active language lives in a context variable set per request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from app.core import welsh

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def normalise_language(value: str | None) -> str:
    if value and value.lower()[:2] in LANGUAGES:
        return value.lower()[:2]
    return DEFAULT_LANGUAGE


@lru_cache
def translations_for(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [language], domain="messages")


def set_language(language: str) -> None:
    _current.set(normalise_language(language))


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Speak another language for a moment, e.g. a text message in the client's language."""
    token = _current.set(normalise_language(language))
    try:
        yield
    finally:
        _current.reset(token)


class WelshSentence(str):
    """A Welsh translation whose placeholders mutate as Welsh needs ("tan ddydd Llun", "yng
    Nghanolfan…") when filled with `%`: every `_("…") % values` in Welsh gets the rules of
    app/core/welsh.py without the caller knowing Welsh."""

    __slots__ = ()

    def __mod__(self, values: Any) -> str:
        if not isinstance(values, Mapping):
            return str.__mod__(str(self), values)
        sentence, filled = welsh.fill(str(self), values)
        return sentence % filled


def _spoken(text: str) -> str:
    # Only a sentence with a placeholder needs it; the rest stay plain str (stored, compared).
    return WelshSentence(text) if current_language() == "cy" and "%(" in text else text


# A weekday's name is a phrase Welsh mutates in a sentence ("ar ddydd Llun", "Bob dydd Llun").
_WEEKDAY_NAMES = frozenset(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)


def gettext(message: str) -> str:
    translated = translations_for(current_language()).ugettext(message)
    if message in _WEEKDAY_NAMES and current_language() == "cy":
        return welsh.DatePhrase(translated)
    return _spoken(translated)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _spoken(translations_for(current_language()).ungettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """`message` translated as it reads in `context`: a bare "Yes" about what a support
    person can do is "Gallan" in Welsh, not the "Ydw" of "Yes, I am"."""
    return _spoken(str(translations_for(current_language()).pgettext(context, message)))


def fill(sentence: str, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """`sentence` and `values` ready for `%` in the current language (Welsh mutations)."""
    if current_language() == "cy":
        return welsh.fill(str(sentence), values)
    return sentence, dict(values)


def lazy_gettext(message: str) -> str:
    """Mark a module-level string for extraction; translate it later with `gettext`."""
    return message


_ = gettext
