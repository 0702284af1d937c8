"""One answer per form: a form sent twice changes things once.

A double tap, a browser retry, or the phone's offline queue replaying a post whose answer was
lost on a bad signal all send the same form again. Every form carries a one-time token
(`form_token`, added by the `csrf_field` macro next to the CSRF token). The first request with a
token claims it inside its own transaction, so the claim is kept exactly when the change is;
a repeat finds the claim and gets the first request's answer (the page it was sent on to)
without running again. On PostgreSQL a repeat arriving while the first is still running waits
on the unique index and then finds it; on SQLite requests take turns anyway.

Only redirects are remembered: a form that came back with errors changed nothing, so its claim
is dropped and sending it again simply runs again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.clock import utcnow
from app.core.csrf import CSRF_COOKIE, SAFE_METHODS
from app.core.db import SessionDep, run_write
from app.core.forms import is_form
from app.core.tokens import keyed_hash

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 - a field name, not a secret


class FormSubmission(SQLModel, table=True):
    """A form token that has been used, and where its first answer sent the person."""

    __tablename__ = "form_submissions"

    id: int | None = Field(default=None, primary_key=True)
    # Keyed hash of the browser's CSRF cookie and the token: a token works in one browser only.
    token_hash: str = Field(max_length=64, unique=True)
    location: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class AlreadySent(Exception):  # noqa: N818 - it is an answer, not a failure
    """This form was sent before; answer as the first time (a redirect to `location`)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def new_form_token() -> str:
    """A fresh one-time token for a form on a page (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


async def after_response_writer(session: SessionDep) -> Callable[..., Any]:
    """How the answer is remembered once it is known: a short transaction of its own on the
    request's database (the request's own transaction has committed by then). Tests that
    share one transaction swap in theirs. Async: it does no I/O, and every request asks for
    it, so it must not cost a trip to the thread pool."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine

    def remember(work: Callable[[Session], None]) -> None:
        run_write(work, engine=engine)

    return remember


AfterResponseWrite = Annotated[Callable[..., Any], Depends(after_response_writer)]


def _same_site_path(request: Request) -> str:
    """Where to send a repeat whose first answer was not recorded: the page it came from."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.headers.get("host"):
        return "/"
    return referer.path or "/"


async def claim_form_token(
    request: Request, session: SessionDep, remember: AfterResponseWrite
) -> None:
    """Claim this form's token in the request's transaction, or raise AlreadySent.

    A request without a token (JSON calls, machines, old pages) is let through unchanged.
    """
    if request.method in SAFE_METHODS:
        return
    if not is_form(request):
        return
    token = (await request.form()).get(FORM_TOKEN_FIELD)
    if not isinstance(token, str) or not 0 < len(token) <= 100:
        return
    key = keyed_hash("form-token", request.cookies.get(CSRF_COOKIE, ""), token)
    found = await run_in_threadpool(_claim, session, key)
    if found is not None:
        raise AlreadySent(found or _same_site_path(request))
    request.state.form_token_key = key
    request.state.form_token_remember = remember


def _claim(session: Session, key: str) -> str | None:
    """None if this request now holds the token; else the first answer's location ("" if
    it was not recorded)."""
    existing = session.exec(select(FormSubmission).where(FormSubmission.token_hash == key)).first()
    if existing is not None:
        return existing.location or ""
    try:
        with session.begin_nested():
            session.add(FormSubmission(token_hash=key))
            session.flush()
    except IntegrityError:
        # Another request with this token committed first (PostgreSQL waited for it).
        first = session.exec(select(FormSubmission).where(FormSubmission.token_hash == key)).first()
        return (first.location or "") if first else ""
    return None


def _record_answer(key: str, status: int, location: str | None) -> Callable[[Session], None]:
    def work(session: Session) -> None:
        if status == 303 and location:
            session.exec(
                update(FormSubmission)
                .where(col(FormSubmission.token_hash) == key)
                .values(location=location[:500])
            )
        else:
            session.exec(delete(FormSubmission).where(col(FormSubmission.token_hash) == key))

    return work


class FormAnswers:
    """Remembers the answer to a claimed form before the browser sees it, so a repeat that
    arrives at once already finds it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        async def send_after_recording(message: Message) -> None:
            state = scope.get("state", {})
            key = state.get("form_token_key")
            if message["type"] == "http.response.start" and key:
                location = Headers(raw=message.get("headers", [])).get("location")
                remember = state["form_token_remember"]
                work = _record_answer(key, message["status"], location)
                await run_in_threadpool(remember, work)
                state.pop("form_token_key", None)
            await send(message)

        await self.app(scope, receive, send_after_recording)
