"""The adviser's form for a course or group booked with a provider for a plan step."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from app.appointments.activity_models import Activity
from app.core.clock import WallClock, london_datetime, utcnow, wall_clock_problem
from app.core.forms import (
    ClockTime,
    FormErrors,
    FormModel,
    IsoDate,
    PlainLine,
    PlainText,
    limit,
    within,
)
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext

BRING_MAX_CHARS = 1000


class ActivityForm(FormModel):
    """What was booked, who runs it, where and when, how long, what to bring, who to ask."""

    problems: ClassVar[dict[str, str]] = {
        "title": lazy_gettext("Enter what it is, for example Confidence course"),
        "day": lazy_gettext("Enter the date as %(example)s, from today to a year ahead"),
        "at": lazy_gettext("Enter the start time as 10:00"),
        "duration_minutes": lazy_gettext("Enter how long it lasts in minutes, from 15 to 480"),
    }
    missing: ClassVar[dict[str, str]] = {
        "day": lazy_gettext("Enter the date"),
        "at": lazy_gettext("Enter the start time"),
    }
    too_long: ClassVar[dict[str, str]] = {
        "title": lazy_gettext("The name must be %(limit)s characters or fewer"),
        "provider": lazy_gettext("Who runs it must be %(limit)s characters or fewer"),
        "place": lazy_gettext("Where must be %(limit)s characters or fewer"),
        "bring": lazy_gettext("What to bring must be %(limit)s characters or fewer"),
        "contact": lazy_gettext("The contact must be %(limit)s characters or fewer"),
    }

    title: Annotated[str, limit(Activity, "title"), Field(min_length=1), PlainLine]
    provider: Annotated[str, limit(Activity, "provider"), PlainLine] = ""
    place: Annotated[str, limit(Activity, "place"), PlainLine] = ""
    day: Annotated[IsoDate, within(0, 365)]
    at: ClockTime
    duration_minutes: Annotated[int, Field(ge=15, le=480)]
    bring: Annotated[str, Field(max_length=BRING_MAX_CHARS), PlainText] = ""
    contact: Annotated[str, limit(Activity, "contact"), PlainLine] = ""

    def check(self, errors: FormErrors) -> None:
        if wall_clock_problem(self.day, self.at) == WallClock.missing:
            errors.add("at", _("That time does not happen that day: the clocks go forward"))
        elif london_datetime(self.day, self.at.hour, self.at.minute) <= utcnow():
            errors.add("at", _("Choose a time that is still to come"))
