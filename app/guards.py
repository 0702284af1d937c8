"""What every request passes through before its route: one app-wide dependency.

Six checks in a set order, as one dependency rather than six: FastAPI solves each dependency
of every route on every request, and for a health check or a public page solving six (with
their own parameters) cost more than the page itself. every_request gives their order.
"""

from __future__ import annotations

from fastapi import Request

from app.accounts.dependencies import optional_viewer
from app.caseload.inbox import adviser_nav_counts
from app.core.csrf import verify_csrf
from app.core.db import SessionDep
from app.core.forms import refuse_nul_characters, refuse_oversized_forms
from app.core.idempotency import AfterResponseWrite, claim_form_token


async def every_request(
    request: Request, session: SessionDep, remember: AfterResponseWrite
) -> None:
    """Who is signed in is learnt first, so a refusal by any guard after it (a form from a
    stale page, a form too big) is drawn with that person's own header and menu. Then: a body
    over the size limit is refused (413/411) before anything reads it; every state-changing
    request must carry a valid CSRF token (403); a form with a NUL character is refused (400);
    a signed-in adviser's header learns how many client messages are unread; and a form sent
    twice (a double tap, the offline queue replaying) changes things once (AlreadySent).
    Raises HTTPException or AlreadySent as those checks do."""
    viewer = await optional_viewer(request, session)
    await refuse_oversized_forms(request)
    await verify_csrf(request)
    await refuse_nul_characters(request)
    await adviser_nav_counts(request, viewer, session)
    await claim_form_token(request, session, remember)
