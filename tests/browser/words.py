"""The app's own words in the language a scenario is walked in, so one browser test checks
the English and the Welsh page alike (a msgid missing from the catalogue comes back in
English, and the Welsh walk then fails on it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.i18n import translations_for

LANGUAGES = ("en", "cy")


def words(language: str) -> Callable[..., str]:
    """`t("About %(minutes)s minutes", minutes=60)` -> "Tua 60 munud" when language is "cy"."""
    catalogue = translations_for(language)

    def t(message: str, **values: Any) -> str:
        said = catalogue.ugettext(message)
        return said % values if values else said

    return t
