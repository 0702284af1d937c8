"""What every request passes through before its route: one app-wide dependency.

Six checks in a set order, as one dependency rather than six: FastAPI solves each dependency
of every route on every request, and for a health check or a public page solving six (with
their own parameters) cost more than the page itself. every_request gives their order.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from app.accounts.dependencies import optional_viewer
from app.caseload.inbox import adviser_nav_counts
from app.core.csrf import verify_csrf
from app.core.db import SessionDep
from app.core.form_nul import NUL
from app.core.forms import form_model_of, is_form, refuse_oversized_forms
from app.core.idempotency import AfterResponseWrite, claim_form_token


async def every_request(
    request: Request, session: SessionDep, remember: AfterResponseWrite
) -> None:
    """Who is signed in is learnt first, so a refusal by any guard after it (a form from a
    stale page, a form too big) is drawn with that person's own header and menu. Then: a body
    over the size limit is refused (413/411) before anything reads it; every state-changing
    request must carry a valid CSRF token (403); a form with a NUL character is refused (400) unless a typed form will say so on its page;
    a signed-in adviser's header learns how many client messages are unread; and a form sent
    twice (a double tap, the offline queue replaying) changes things once (AlreadySent).
    Raises HTTPException or AlreadySent as those checks do."""
    viewer = await optional_viewer(request, session)
    await refuse_oversized_forms(request)
    await verify_csrf(request)
    await refuse_nul_characters(request)
    await adviser_nav_counts(request, viewer, session)
    await claim_form_token(request, session, remember)


async def refuse_nul_characters(request: Request) -> None:
    """Refuse (400, "unreadable") a form with a NUL character in any field, unless the route
    reads a typed form: that form says which field, on the page itself (app/core/form_nul.py).
    Raises HTTPException."""
    if not is_form(request):
        return
    route = request.scope.get("route")
    if route is not None and form_model_of(route) is not None:
        return
    form = await request.form()
    for _name, value in form.multi_items():
        if isinstance(value, str) and NUL in value:
            raise HTTPException(status_code=400, detail="unreadable")
