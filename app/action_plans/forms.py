"""The plan's forms: a new step, and an edit of a step (every field in `service.EDITABLE`)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from pydantic import BaseModel

from app.action_plans import service
from app.action_plans.models import Owner, PlanStep, StepStatus
from app.action_plans.views_common import (
    parse_when,
)
from app.core.forms import FormErrors, check_length, column_limit
from app.core.i18n import gettext as _


class NewStepForm(BaseModel):
    title: str = ""
    details: str = ""
    suggest: str = ""  # "yes": the adviser suggests it and the client decides
    explainer: str = ""  # an explainer's slug to link the step to


@dataclass(frozen=True)
class StepEdit:
    """An edit of a step: what the person wants now and what the page showed when it opened,
    for every field in `service.EDITABLE` (the one list of fields a person can edit)."""

    base_version: int | None  # None: the form did not say which version it started from
    submitted: dict[str, str]
    original: dict[str, str]
    when_date: str


async def step_edit_form(request: Request) -> StepEdit:
    """Read the step form (already parsed for the CSRF check, so this costs nothing)."""
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    version = text("base_version")
    return StepEdit(
        base_version=int(version) if version.isdigit() and len(version) < 10 else None,
        submitted={field: text(field) for field in service.EDITABLE},
        original={field: text(f"original_{field}") for field in service.EDITABLE},
        when_date=text("when_date"),
    )


def checked_step_edit(edit: StepEdit) -> tuple[dict[str, str], FormErrors]:
    """The fields to save ("when" made a date or "no-rush"), and what is wrong with them."""
    errors = FormErrors()
    if edit.base_version is None:
        errors.add("title", _("This page was out of date, so nothing was saved. Check and save."))
    submitted = {
        **edit.submitted,
        "when": parse_when(edit.submitted["when"], edit.when_date, errors),
    }
    if not submitted["title"].strip():
        errors.add("title", _("Enter what the step is"))
    check_length(errors, "title", submitted["title"], column_limit(PlanStep, "title"))
    check_length(
        errors, "owner_name", submitted["owner_name"], column_limit(PlanStep, "owner_name")
    )
    if submitted["owner"] not in set(Owner) or submitted["status"] not in set(StepStatus):
        errors.add("owner", _("Choose who does this step"))
    return submitted, errors
