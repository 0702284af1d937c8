"""Small helpers for HTML forms: collect errors by field, keep what the person typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import HTTPException, Request
from sqlmodel import SQLModel

from app.core.i18n import gettext as _

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass
class FormErrors:
    """Field name -> message, in the order the fields appear on the page."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record the first problem with a field (an empty message records nothing)."""
        if message:
            self.messages.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.messages)


async def refuse_nul_characters(request: Request) -> None:
    """Refuse a form with a NUL character in any field, before any handler sees it.

    No person types one, PostgreSQL cannot store one in text and SQLite can: refusing it here
    means both databases judge the same input the same way (a kind 400 page, nothing saved).
    """
    if not request.headers.get("content-type", "").startswith(FORM_CONTENT_TYPES):
        return
    form = await request.form()
    for _name, value in form.multi_items():
        if isinstance(value, str) and "\x00" in value:
            raise HTTPException(status_code=400, detail="unreadable")


def column_limit(model: type[SQLModel], field: str) -> int:
    """The most characters a field's column holds: the one place a length limit is set, read
    by the forms so they refuse what a database would (PostgreSQL enforces it, SQLite not)."""
    column_type = model.__table__.columns[field].type  # type: ignore[attr-defined]
    length = getattr(column_type, "length", None)  # String, or SQLModel's AutoString
    assert isinstance(length, int) and length > 0, f"{field} has no length"
    return length


def check_length(errors: FormErrors, name: str, value: str, limit: int) -> None:
    """Add a field error if `value` (as it will be saved, trimmed) is longer than `limit`."""
    if len(value.strip()) > limit:
        errors.add(name, _("Enter %(limit)s characters or fewer") % {"limit": limit})
