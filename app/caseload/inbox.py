"""The adviser's inbox: unread messages from clients across their caseload, newest first, and
the unread count on the "Messages" header link. Listing a client's message is a look at their
record, so each client shown is written in the audit log the client can see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from app.accounts.dependencies import CurrentAdviser, OptionalViewer
from app.audit.service import record
from app.caseload.repository import caseload_ids
from app.core.db import SessionDep
from app.core.templating import NAV_COUNTS, render
from app.messages import repository as messages
from app.people.models import Adviser, ClientProfile, Role, User

router = APIRouter(prefix="/adviser")

FIRST_LINE_CHARS = 80


@dataclass(frozen=True)
class InboxLine:
    client_id: int
    client_name: str
    sent_at: datetime
    first_line: str


def first_line(body: str, limit: int = FIRST_LINE_CHARS) -> str:
    """The message's first non-blank line, cut at a word near `limit` characters."""
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def inbox_lines(*, session: Session, adviser_id: int) -> list[InboxLine]:
    """Unread client messages on this caseload, newest first."""
    found = messages.unread_from_clients(session=session, client_ids=caseload_ids(adviser_id))
    ids = {client_id for _message, client_id in found}
    names = dict(
        session.exec(
            select(ClientProfile.id, User.full_name)
            .join(User, col(User.id) == col(ClientProfile.user_id))
            .where(col(ClientProfile.id).in_(ids))
        ).all()
    )
    return [
        InboxLine(client_id, names.get(client_id, ""), message.created_at, first_line(message.body))
        for message, client_id in found
    ]


@router.get("/messages", response_class=HTMLResponse)
def messages_inbox(request: Request, adviser: CurrentAdviser, session: SessionDep) -> HTMLResponse:
    assert adviser.adviser.id is not None
    lines = inbox_lines(session=session, adviser_id=adviser.adviser.id)
    for client_id in sorted({line.client_id for line in lines}):
        record(
            session=session,
            action="client_messages.listed",
            actor_role=Role.adviser,
            actor_user_id=adviser.user.id,
            client_id=client_id,
        )
    return render(request, "adviser/messages.html", {"lines": lines})


def unread_counter(session: Session, user_id: int) -> Callable[[], dict[str, int]]:
    """Counts the adviser's unread client messages when the page is drawn."""

    def count() -> dict[str, int]:
        adviser_id = session.exec(select(Adviser.id).where(Adviser.user_id == user_id)).first()
        if adviser_id is None:
            return {}
        unread = messages.count_unread_from_clients(
            session=session, client_ids=caseload_ids(adviser_id)
        )
        return {"/adviser/messages": unread}

    return count


async def adviser_nav_counts(request: Request, viewer: OptionalViewer, session: SessionDep) -> None:
    """An app-wide dependency: for a signed-in adviser, the header's "Messages" link shows
    how many client messages are unread (registered in app/main.py). Async because it only
    leaves a counter for the page to call: a sync dependency would cost every request a trip
    to the thread pool."""
    if viewer is not None and viewer.role == Role.adviser and viewer.user.id is not None:
        setattr(request.state, NAV_COUNTS, unread_counter(session, viewer.user.id))
