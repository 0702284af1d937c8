"""Whether an open live stream may carry on: the route's own permission check, asked again.

A live stream (core.live) stays open for minutes. What allowed it when it opened can end while
it runs: the client takes back a support person's "can read my messages", removes them, signs
out, or the session is revoked; a client leaves an adviser's caseload. Each stream therefore
gets a `still_allowed()` from here, which the stream calls before every poll. It opens its own
database session (the request's closed when the response began) and reads everything afresh;
False ends the stream at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session, select

from app.accounts import repository
from app.accounts.dependencies import AdviserContext, ClientContext
from app.accounts.permissions import ClientPermission, client_may
from app.accounts.sessions import still_live
from app.core.db import get_engine
from app.people import repository as people_repository
from app.people.models import Adviser, ClientProfile, Role

StillAllowed = Callable[[], bool]


def client_stream_allowed(context: ClientContext, permission: ClientPermission) -> StillAllowed:
    """For a stream on the client's pages: the same session is live, and the person signed in
    may still do `permission` to this client's record (the client themselves, or a support
    person whose link is live and still allows it)."""
    web_session_id, client_id = context.web_session.id, context.profile.id
    assert web_session_id is not None and client_id is not None

    def still_allowed() -> bool:
        with Session(get_engine()) as session:
            found = still_live(session=session, web_session_id=web_session_id)
            if found is None:
                return False
            web_session, user = found
            if user.role == Role.client:
                own = session.exec(
                    select(ClientProfile.id).where(ClientProfile.user_id == user.id)
                ).first()
                return own == client_id and client_may(replace(context, user=user), permission)
            if user.role != Role.supporter or web_session.acting_for_client_id != client_id:
                return False
            assert user.id is not None
            link = repository.live_link(
                session=session, supporter_user_id=user.id, client_id=client_id
            )
            return link is not None and client_may(
                replace(context, user=user, link=link), permission
            )

    return still_allowed


def adviser_stream_allowed(adviser: AdviserContext, client_id: int) -> StillAllowed:
    """For a stream on an adviser's view of a client: the same session is live, the person is
    still an adviser, and the client is still on their caseload."""
    web_session_id, adviser_id = adviser.web_session.id, adviser.adviser.id
    assert web_session_id is not None and adviser_id is not None

    def still_allowed() -> bool:
        with Session(get_engine()) as session:
            found = still_live(session=session, web_session_id=web_session_id)
            if found is None or found[1].role != Role.adviser:
                return False
            current = session.get(Adviser, adviser_id)
            if current is None or current.user_id != found[1].id:
                return False
            in_caseload = people_repository.client_in_caseload(
                session=session, adviser_id=adviser_id, client_id=client_id
            )
            return in_caseload is not None

    return still_allowed
