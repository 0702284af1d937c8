"""The kind page an adviser gets when an answer arrives for something already answered, or
gone, since their page was drawn (another tab, a colleague, the client changing it): 409, it
says what happened and what the answer was, and nothing was changed or sent."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.core.templating import render

Stale = Literal[
    "request-answered",  # a client's request for a new time, or "not well enough"
    "time-gone",  # accepting a time that has passed, is too soon, or is no longer theirs
    "help-answered",
    "help-gone",  # the client took back the help, or the appointment changed
    "call-done",
    "task-done",
    "outcome-recorded",  # "they came" / "they did not come", already recorded
    "appointment-over",  # moving or cancelling one that was cancelled or has started
]


def already_answered_page(
    request: Request,
    *,
    client_id: int,
    stale: Stale,
    status: str | None = None,
    answered_at: datetime | None = None,
    note: str | None = None,
    anchor: str = "",
) -> HTMLResponse:
    """409: what happened (`stale`), the answer given (`status`, `note`) and when, and the
    way back to the client's record (at `anchor`)."""
    return render(
        request,
        "adviser/already-answered.html",
        {
            "stale": stale,
            "status": status,
            "answered_at": answered_at,
            "note": note,
            "back": f"/adviser/clients/{client_id}{anchor}",
        },
        status_code=409,
    )
