"""When an office is open: its opening weekdays, less the bank holidays of its nation.

Bank holidays come from the maintained `holidays` package (GOV.UK's list for England and
Wales, Scotland and Northern Ireland differ: Scotland has 2 January and St Andrew's Day,
Northern Ireland St Patrick's Day and the Battle of the Boyne). No time is offered, booked or
suggested on a day the office is closed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from app.core.i18n import gettext as _
from app.offices.models import Office

# The subdivisions of `holidays`' United Kingdom calendar, by the nation an office is in.
SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}
NATIONS = tuple(SUBDIVISIONS)


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> dict[date, str]:
    subdivision = SUBDIVISIONS.get(nation, "ENG")
    return dict(holidays.country_holidays("GB", subdiv=subdivision, years=year).items())


def bank_holiday(office: Office, day: date) -> str | None:
    """The name of the bank holiday on `day` where the office is ("Christmas Day"), or None."""
    return _bank_holidays(office.nation, day.year).get(day)


def is_open(office: Office, day: date) -> bool:
    """Whether the office works on `day`: one of its opening weekdays (Monday 0) and not a
    bank holiday in its nation."""
    return str(day.weekday()) in office.open_weekdays and bank_holiday(office, day) is None


def next_open_day(office: Office, day: date) -> date:
    """`day` if the office is open then, else the next day it is (within a fortnight)."""
    for offset in range(15):
        candidate = day + timedelta(days=offset)
        if is_open(office, candidate):
            return candidate
    return day  # an office closed for a fortnight: say the day asked for, not invent one


def closed_day_message(office: Office | None, day: date | None) -> str | None:
    """What an adviser's form says when the date chosen is one the office is closed
    ("The office is closed that day (Christmas Day). Choose another day"), or None."""
    if office is None or day is None or is_open(office, day):
        return None
    holiday = bank_holiday(office, day)
    if holiday:
        return _("The office is closed that day (%(holiday)s). Choose another day") % {
            "holiday": holiday
        }
    return _("The office is closed that day. Choose another day")
