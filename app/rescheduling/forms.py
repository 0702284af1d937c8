"""The client's rescheduling forms: a new time, "not well enough", time preferences, busy times."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from app.core.clock import london_today
from app.core.forms import (
    ISO_DATE,
    ClockTime,
    FormErrors,
    FormId,
    FormModel,
    PlainLine,
    example_day,
    limit,
    read_day,
)
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext
from app.rescheduling.models import BusyTime

Reason = Literal["nhs-appointment", "medication", "not-well", "something-else", "rather-not-say"]
Weekday = Annotated[int, Field(ge=0, le=6)]


# What the "this is at a different place" page sends back (policy.confirmation): a place and
# length, then the new place and length, e.g. "in-person-3.60>phone.45".
CONFIRMATION = re.compile(r"[a-z0-9-]{1,30}\.[0-9]{1,4}>[a-z0-9-]{1,30}\.[0-9]{1,4}")


def _confirmation_or_none(value: object) -> str | None:
    # Not typed by anyone: a value that is not a confirmation (an old page, a forged one)
    # only means "not confirmed", and the client is shown the difference and asked.
    return value if isinstance(value, str) and CONFIRMATION.fullmatch(value) else None


def week_from(value: object) -> date | None:
    """The first day of a week of times to show (`?from=2026-12-03`, or the form's `week`):
    None, meaning the soonest times, for anything that is not a date from tomorrow to a year
    ahead. Not typed by anyone, so never an error: an old or garbled link shows the soonest."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 0 < (day - london_today()).days <= 365 else None


Confirmation = Annotated[str | None, BeforeValidator(_confirmation_or_none)]
Week = Annotated[date | None, BeforeValidator(week_from)]


class ChangeForm(FormModel):
    """A new time for an appointment, (optionally) why, the week of times it was chosen
    from, and (from the "this is at a different place" page) `confirmed`."""

    problems: ClassVar[dict[str, str]] = {"slot": lazy_gettext("Choose a new time")}

    slot: FormId
    reason: Reason | None = None
    week: Week = None
    confirmed: Confirmation = None


class NotWellEnoughForm(FormModel):
    """ "I'm not well enough right now", about one appointment or in general."""

    appointment_id: FormId | None = None


# The times the page offers, on the hour: a time from anywhere else is not one of the choices.
NOT_BEFORE_HOURS = range(9, 16)
NOT_AFTER_HOURS = range(11, 18)


def _one_of(hours: range) -> Any:
    def check(value: time | None) -> time | None:
        if value is not None and (value.minute or value.second or value.hour not in hours):
            raise ValueError("not one of the choices")
        return value

    return AfterValidator(check)


class PreferencesForm(FormModel):
    """Times of day that suit, and weekdays to avoid (Monday 0 to Friday 4)."""

    problems: ClassVar[dict[str, str]] = {
        "not_before": lazy_gettext("Choose a time from the list"),
        "not_after": lazy_gettext("Choose a time from the list"),
        "avoid": lazy_gettext("Choose days from the list"),
    }

    not_before: Annotated[ClockTime | None, _one_of(NOT_BEFORE_HOURS)] = None
    not_after: Annotated[ClockTime | None, _one_of(NOT_AFTER_HOURS)] = None
    avoid: tuple[Annotated[int, Field(ge=0, le=4)], ...] = ()

    def check(self, errors: FormErrors) -> None:
        if self.not_before and self.not_after and self.not_after <= self.not_before:
            errors.add(
                "not_after",
                _("Choose a time for ‘Nothing ending after’ later than ‘Nothing before’"),
            )
        if len(set(self.avoid)) == 5:
            errors.add(
                "avoid", _("Leave at least one weekday free, so your adviser can offer you times")
            )


ONCE_DAYS_AHEAD = 365


class BusyTimeForm(FormModel):
    """A time the client is busy: every week on a weekday, or once on a date."""

    too_long: ClassVar[dict[str, str]] = {
        "label": lazy_gettext("What it is must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "weekday": lazy_gettext("Choose the day"),
        "starts": lazy_gettext("Enter the start time, like 10:00"),
        "ends": lazy_gettext("Enter the end time, like 11:00"),
        "repeat": lazy_gettext("Choose every week or just once"),
    }

    label: Annotated[str, limit(BusyTime, "label"), PlainLine] = ""
    repeat: Literal["weekly", "once"] = "weekly"
    weekday: Weekday | None = None
    # Read only for "Just once" (a conditional reveal under it): see `once_on`.
    on_date: Annotated[str, Field(max_length=40)] = ""
    starts: ClockTime
    ends: ClockTime

    def check(self, errors: FormErrors) -> None:
        if self.repeat == "weekly" and self.weekday is None:
            errors.add("weekday", _("Choose the day"))
        if self.repeat == "once":
            self._check_day(errors)
        if self.ends <= self.starts:
            errors.add("ends", _("The end time must be after the start time"))

    def _check_day(self, errors: FormErrors) -> None:
        if not self.on_date:
            errors.add("on_date", _("Enter the date you are busy, or choose 'Every week'"))
            return
        day = self.once_on()
        if day is None:
            message = _(
                "Enter the date as day, month and year, with spaces between, like %(example)s"
            )
            errors.add("on_date", message % {"example": example_day()})
            return
        offset = (day - london_today()).days
        if offset < 0:
            errors.add("on_date", _("The date must be today or later"))
        elif offset > ONCE_DAYS_AHEAD:
            errors.add("on_date", _("The date must be within a year from today"))

    def once_on(self) -> date | None:
        """The date typed for "Just once", if it is a real one."""
        return read_day(self.on_date)
