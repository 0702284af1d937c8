"""The plan's forms: a new step, and an edit of a step (every field in `service.EDITABLE`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from app.action_plans import service
from app.action_plans.models import Owner, PlanStep, StepStatus
from app.core.clock import london_today
from app.core.forms import (
    DayDate,
    FormErrors,
    FormId,
    FormModel,
    PlainLine,
    PlainText,
    Posted,
    example_day,
    limit,
    read_day,
    within,
)
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext
from app.core.ids import MAX_ID
from app.explainers.content import explainers as explainers_in

DETAILS_MAX_CHARS = 5000  # the details column is unbounded text; a step's details are a note
MOST_DAYS_AHEAD = 5 * 365  # a step's date further ahead is a typing slip (2062 for 2026)
OUT_OF_DATE = lazy_gettext("This page was out of date, so nothing was saved. Check and save.")

Title = Annotated[str, limit(PlanStep, "title"), Field(min_length=1), PlainLine]
Details = Annotated[str, Field(max_length=DETAILS_MAX_CHARS), PlainText]
Shown = Annotated[str, Field(max_length=DETAILS_MAX_CHARS)]  # what the page showed


class NewStepForm(FormModel):
    """A new step; an adviser may send it as a suggestion the client decides on."""

    too_long: ClassVar[dict[str, str]] = {
        "title": lazy_gettext("The step must be %(limit)s characters or fewer"),
        "details": lazy_gettext("The detail must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {"title": lazy_gettext("Enter what the step is")}

    title: Title
    details: Details = ""
    suggest: Literal["yes"] | None = None
    explainer: str = ""  # an explainer's slug to link to, or none

    def check(self, errors: FormErrors) -> None:
        # The list offers only real guides: anything else is a forged or garbled form, said
        # so rather than saved without the link the adviser thought they chose.
        if self.explainer and self.explainer not in set(explainers_in("en")):
            errors.add("explainer", _("Choose a guide from the list, or None"))


Progress = Literal[
    "more-confident", "went-to-a-group", "tried-something-new", "looked-after-myself"
]


class ProgressForm(FormModel):
    """A small win, chosen from a short list (the list is optional: "Note it" with nothing
    chosen says so, rather than quietly doing nothing)."""

    problems: ClassVar[dict[str, str]] = {
        "progress": lazy_gettext("Choose a small win to note"),
    }

    progress: Progress


class BookStepForm(FormModel):
    """One of the adviser's free times, for a step the client asked them to book."""

    problems: ClassVar[dict[str, str]] = {"slot": lazy_gettext("Choose a time")}

    slot: FormId


class ReviewDateForm(FormModel):
    """When the plan will next be looked at together (empty: no date yet)."""

    problems: ClassVar[dict[str, str]] = {
        "review_on": lazy_gettext("Enter a review date from today to a year ahead"),
    }

    # A date picker sends 2027-01-05; typed by hand (an older browser) it is often 5 1 2027.
    review_on: Annotated[DayDate | None, within(0, 365)] = None


class MoveForm(FormModel):
    """A step moved one place up or down."""

    direction: Literal["up", "down"] = "down"


class StepEditForm(FormModel):
    """An edit of a step: what the person wants now, and what the page showed when it opened
    (`original_*`, so only the fields they changed are saved) at `base_version`."""

    too_long: ClassVar[dict[str, str]] = {
        "title": lazy_gettext("The step must be %(limit)s characters or fewer"),
        "details": lazy_gettext("The detail must be %(limit)s characters or fewer"),
        "owner_name": lazy_gettext("The name of who does it must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "title": lazy_gettext("Enter what the step is"),
        "base_version": OUT_OF_DATE,
        "owner": lazy_gettext("Choose who does this step"),
        "status": lazy_gettext("Choose how the step is going"),
        "when": lazy_gettext("Choose 'No rush' or 'Aim for a date'"),
    }

    base_version: Annotated[int, Field(ge=0, le=MAX_ID)]
    title: Title
    details: Details = ""
    owner: Owner
    owner_name: Annotated[str, limit(PlanStep, "owner_name"), PlainLine] = ""
    status: StepStatus
    when: Literal["no-rush", "date"] = "no-rush"
    # Read only when "Aim for a date" is chosen: words left in the hidden box under "No rush"
    # are not a problem (GOV.UK conditional reveals).
    when_date: Annotated[str, Field(max_length=40)] = ""
    original_title: Shown = ""
    original_details: Shown = ""
    original_owner: Shown = ""
    original_owner_name: Shown = ""
    original_status: Shown = ""
    original_when: Shown = ""

    def check(self, errors: FormErrors) -> None:
        if self.when != "date":
            return
        if not self.when_date:
            errors.add("when_date", _("Enter the date you are aiming for, or choose 'No rush'"))
            return
        day = self.aim_for()
        if day is None:
            message = _(
                "Enter the date as day, month and year, with spaces between, like %(example)s"
            )
            errors.add("when_date", message % {"example": example_day()})
            return
        if day.isoformat() == self.original_when:
            return  # kept as it was: a date that has passed since is not the person's slip
        offset = (day - london_today()).days
        if offset < 0:
            errors.add("when_date", _("The date must be today or later"))
        elif offset > MOST_DAYS_AHEAD:
            errors.add("when_date", _("The date must be in the next 5 years"))

    def aim_for(self) -> date | None:
        """The date typed, if it is a real one."""
        return read_day(self.when_date)

    def submitted(self) -> dict[str, str]:
        """Every editable field as the service stores it ("when" a date or "no-rush")."""
        day = self.aim_for() if self.when == "date" else None
        when = day.isoformat() if day else "no-rush"
        return {
            "title": self.title,
            "details": self.details,
            "owner": self.owner.value,
            "owner_name": self.owner_name,
            "status": self.status.value,
            "when": when,
        }

    def original(self) -> dict[str, str]:
        """What the page showed for every editable field."""
        return {field: getattr(self, f"original_{field}") for field in service.EDITABLE}


def step_errors(sent: Posted[StepEditForm]) -> FormErrors:
    """The edit's errors for the page: an out-of-date page is said by the first field."""
    errors = FormErrors()
    for field, message in sent.errors.messages.items():
        errors.add("title" if field == "base_version" else field, message)
    return errors


def typed_step(sent: Posted[Any]) -> dict[str, str]:
    """A step form as the person left it, to show again with its errors."""
    values = {field: str(sent.values.get(field, "")) for field in service.EDITABLE}
    day = str(sent.values.get("when_date", ""))
    if values["when"] != "date":
        values["when"] = "no-rush"
    elif day:
        values["when"] = day  # "date" with none typed stays "date": the choice is kept
    values["when_date"] = day  # what was typed, shown again as typed (even under "No rush")
    return values
