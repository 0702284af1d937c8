"""The reminder settings form: channels, lead times, the evening hour, quiet hours, detail."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from app.core.forms import FormModel, Posted
from app.core.i18n import lazy_gettext
from app.people.models import DetailLevel, LeadTime

REMINDER_HOURS = list(range(8, 21))
QUIET_STARTS = list(range(18, 24))
QUIET_ENDS = list(range(6, 15))


class ReminderSettingsForm(FormModel):
    """Every choice on the reminders page; hours are whole hours, London time."""

    problems: ClassVar[dict[str, str]] = {
        "channels": lazy_gettext("Choose from the ways listed"),
        "lead_times": lazy_gettext("Choose from the times listed"),
        "reminder_hour": lazy_gettext("Choose a time for reminders the day before"),
        "quiet_start": lazy_gettext("Choose when your quiet hours start"),
        "quiet_end": lazy_gettext("Choose when your quiet hours end"),
        "detail": lazy_gettext("Choose how much a message says"),
        "suggestions": lazy_gettext("Choose from the options listed"),
    }

    channels: tuple[Literal["push", "sms"], ...] = ()
    lead_times: tuple[LeadTime, ...] = ()
    reminder_hour: Annotated[int, Field(ge=REMINDER_HOURS[0], le=REMINDER_HOURS[-1])]
    quiet_start: Annotated[int, Field(ge=QUIET_STARTS[0], le=QUIET_STARTS[-1])]
    quiet_end: Annotated[int, Field(ge=QUIET_ENDS[0], le=QUIET_ENDS[-1])]
    detail: DetailLevel
    suggestions: Literal["yes"] | None = None


def shown_again(sent: Posted[ReminderSettingsForm]) -> dict[str, Any]:
    """The page's choices as the person left them, for a form that came back with errors."""
    values = sent.values
    return {
        "push_on": "push" in values.get("channels", []),
        "sms_on": "sms" in values.get("channels", []),
        "lead_times": values.get("lead_times", []),
        "reminder_hour": _hour(values.get("reminder_hour", "")),
        "quiet_start": _hour(values.get("quiet_start", "")),
        "quiet_end": _hour(values.get("quiet_end", "")),
        "detail": values.get("detail", ""),
        "suggestions_on": values.get("suggestions") == "yes",
    }


def _hour(value: str) -> int | str:
    # The page compares the choice with whole numbers to keep it selected.
    # isdigit() alone is true of "²", which int() refuses: ASCII digits only.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else value
