"""Dates and times for people: Europe/London, plain words, both languages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date

from app.core.clock import london_today, to_london
from app.core.i18n import current_language, gettext
from app.core.welsh import DatePhrase


def human_time(moment: datetime) -> str:
    """'2:30pm' in English ('2pm' on the hour, 'midday'); '14:30' in Welsh.

    Welsh uses the 24-hour clock (CLDR's short time for cy, and the Welsh review of November
    2026): "yh" means evening, so "2:30yh" would be wrong, and "14:30" needs no suffix."""
    local = to_london(moment)
    if current_language() == "cy":
        return f"{local.hour:02d}:{local.minute:02d}"
    hour = local.hour % 12 or 12
    minutes = "" if local.minute == 0 else f":{local.minute:02d}"
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        return gettext("midday")
    return f"{hour}{minutes}{suffix}"


# A date further than this from today says its year, so "Wednesday 1 January" is never a
# date years ago or ahead that reads as next month.
YEAR_SHOWN_BEYOND_DAYS = 150


def human_date(day: date | datetime, with_year: bool = False) -> str:
    """'Tuesday 3 March' (and the year when asked, or when the date is months away)."""
    if isinstance(day, datetime):
        day = to_london(day).date()
    with_year = with_year or abs((day - london_today()).days) > YEAR_SHOWN_BEYOND_DAYS
    pattern = "EEEE d MMMM y" if with_year else "EEEE d MMMM"
    language = current_language()
    text = _formatted(day, pattern, language)
    return DatePhrase(text) if language == "cy" else text


@lru_cache(maxsize=4096)
def _formatted(day: date, pattern: str, language: str) -> str:
    # Babel's formatting is slow for a page of 150 clients' dates; a day reads the same each time.
    return format_date(day, pattern, locale=language)


def iso_day(text: str | None) -> date | None:
    """A stored 'YYYY-MM-DD' as a date, or None for nothing or anything else (a history
    line keeps dates as text; a page shows them as people say them)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def adverbial_date(day: date | datetime) -> str:
    """A date as a time phrase inside a sentence: 'Tuesday 3 March' in English, 'ddydd Mawrth
    3 Mawrth' in Welsh (lower-case "dydd", soft mutation: "mae gennych apwyntiad ddydd…")."""
    text = human_date(day)
    if current_language() == "cy" and text.lower().startswith("dydd "):
        return "dd" + text[1:]
    return text


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_list(weekdays: Iterable[int | str], *, neither: bool = False) -> str:
    """Days (digits, Monday 0) as a list inside a sentence: 'Monday, Thursday' in English.

    In Welsh every day is a whole phrase in lower case, 'dydd Llun, dydd Iau' (a sentence
    mutates the first: "ar ddydd Llun"), and with `neither` (a list of days ruled out) the
    last is joined with "na": 'dydd Llun na dydd Iau' (Gramadeg y Gymraeg § 2.3).
    Raises ValueError for a day that is not a digit 0-6."""
    names = [gettext(_WEEKDAY_NAMES[int(day)]) for day in weekdays]
    if current_language() != "cy":
        return ", ".join(names)
    names = [name[:1].lower() + name[1:] if name.startswith("Dydd ") else name for name in names]
    if neither and len(names) > 1:
        return DatePhrase(f"{', '.join(names[:-1])} na {names[-1]}")
    return DatePhrase(", ".join(names))


def human_datetime(moment: datetime) -> str:
    text = f"{human_date(moment)}, {human_time(moment)}"
    return DatePhrase(text) if current_language() == "cy" else text


def human_datetimes(moments: Iterable[datetime]) -> str:
    """Several times in one phrase, "; " between them. In Welsh it stays a DatePhrase, so in a
    sentence every "Dydd" after the first is "dydd" and the first mutates as one date would."""
    text = "; ".join(human_datetime(moment) for moment in moments)
    return DatePhrase(text) if current_language() == "cy" else text


def hour_label(hour: int) -> str:
    """'9am', '1pm', 'midday' for a whole hour in English; '09:00', '13:00' in Welsh."""
    if current_language() == "cy":
        return f"{hour:02d}:00"
    if hour == 12:
        return gettext("midday")
    return f"{hour % 12 or 12}{'am' if hour < 12 else 'pm'}"


_STORED_UK_MOBILE = re.compile(r"^\+44(7\d{3})(\d{6})$")


def uk_phone(number: str | None) -> str:
    """A stored number as people write it: '+447700900138' -> '07700 900138'.

    UK mobiles (how the app stores them, E.164) become the national format with the usual
    space after the first five digits; anything else (a landline, an email) is shown as stored,
    and None as an empty string.
    """
    if not number:
        return ""
    match = _STORED_UK_MOBILE.match(number.replace(" ", ""))
    return f"0{match.group(1)} {match.group(2)}" if match else number
