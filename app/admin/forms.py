"""The administrator's forms: a new adviser, and a client given to another adviser."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from app.core.forms import FormId, FormModel, PlainLine, limit
from app.core.i18n import lazy_gettext
from app.people.models import User


class AdviserForm(FormModel):
    """A new adviser: their name and work email (an invitation goes there)."""

    too_long: ClassVar[dict[str, str]] = {
        "full_name": lazy_gettext("The adviser's name must be %(limit)s characters or fewer"),
        "email": lazy_gettext("The email address must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "full_name": lazy_gettext("Enter the adviser's name"),
        "email": lazy_gettext("Enter a work email address"),
    }

    full_name: Annotated[str, limit(User, "full_name"), Field(min_length=1), PlainLine]
    email: Annotated[str, limit(User, "email"), PlainLine] = ""


class ReassignForm(FormModel):
    """The adviser a client moves to."""

    problems: ClassVar[dict[str, str]] = {"adviser_id": lazy_gettext("Choose an adviser")}

    adviser_id: FormId
