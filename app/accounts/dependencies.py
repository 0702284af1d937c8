"""Who is asking: typed dependencies that every non-public route declares.

CurrentClient is the client themself, or a support person acting for them with consent.
CurrentClientSelf excludes support people (settings, sign-in details, data rights).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from app.accounts.models import Role, SupportLink, User, WebSession
from app.accounts.sessions import find_session
from app.caseload.models import Adviser, ClientProfile
from app.core.db import SessionDep
from app.core.i18n import set_language


@dataclass(frozen=True)
class Viewer:
    user: User
    web_session: WebSession
    # For a support person: the name of the client they are acting for (shown in a banner).
    helping_name: str | None = None


@dataclass(frozen=True)
class ClientContext:
    user: User  # the person signed in (the client, or their support person)
    profile: ClientProfile
    client_user: User  # the client whose record this is
    web_session: WebSession

    @property
    def is_supporter(self) -> bool:
        return self.user.role == Role.supporter


@dataclass(frozen=True)
class AdviserContext:
    user: User
    adviser: Adviser
    web_session: WebSession


def _load_viewer(request: Request, session: SessionDep) -> tuple[Viewer | None, str | None]:
    """The live session's person, and the language their profile asks for (if any)."""
    found = find_session(session=session, request=request)
    if found is None:
        return None, None
    web_session, user = found
    helping_name = language = None
    if user.role == Role.supporter and web_session.acting_for_client_id:
        names = session.exec(
            select(User.preferred_name, User.full_name)
            .join(ClientProfile, col(ClientProfile.user_id) == col(User.id))
            .where(ClientProfile.id == web_session.acting_for_client_id)
        ).first()
        helping_name = (names[0] or names[1]) if names else None
    elif user.role == Role.client and "lang" not in request.cookies:
        # The client's chosen language follows them to a new phone or browser.
        language = session.exec(
            select(ClientProfile.language).where(ClientProfile.user_id == user.id)
        ).first()
    return Viewer(user=user, web_session=web_session, helping_name=helping_name), language


async def optional_viewer(request: Request, session: SessionDep) -> Viewer | None:
    """The signed-in person, if any (public pages use this to show the right links).

    Async on purpose: the language it sets must reach the handler. A sync dependency runs in
    a worker thread whose context changes are thrown away; an awaited one shares the request's.
    """
    if hasattr(request.state, "viewer"):
        viewer: Viewer | None = request.state.viewer
        return viewer
    viewer, language = await run_in_threadpool(_load_viewer, request, session)
    if language:
        set_language(language)
    request.state.viewer = viewer
    return viewer


OptionalViewer = Annotated[Viewer | None, Depends(optional_viewer)]


def require_user(viewer: OptionalViewer) -> Viewer:
    if viewer is None:
        raise HTTPException(status_code=401, detail="sign-in")
    return viewer


def require_client(request: Request, viewer: OptionalViewer, session: SessionDep) -> ClientContext:
    """The client's own record, for the client or a consenting support person."""
    if viewer is None:
        raise HTTPException(status_code=401, detail="sign-in")
    user = viewer.user
    if user.role == Role.client:
        profile = session.exec(
            select(ClientProfile).where(ClientProfile.user_id == user.id)
        ).first()
        client_user = user
    elif user.role == Role.supporter and viewer.web_session.acting_for_client_id:
        link = session.exec(
            select(SupportLink).where(
                SupportLink.supporter_user_id == user.id,
                SupportLink.client_id == viewer.web_session.acting_for_client_id,
                col(SupportLink.revoked_at).is_(None),
            )
        ).first()
        profile = session.get(ClientProfile, link.client_id) if link else None
        client_user = session.get(User, profile.user_id) if profile else None  # type: ignore[assignment]
    else:
        raise HTTPException(status_code=403, detail="not-a-client")
    if profile is None or client_user is None:
        raise HTTPException(status_code=403, detail="not-a-client")
    if user.role == Role.client:
        _remember_language_choice(request, profile, session)
    return ClientContext(
        user=user, profile=profile, client_user=client_user, web_session=viewer.web_session
    )


def _remember_language_choice(
    request: Request, profile: ClientProfile, session: SessionDep
) -> None:
    """A language picked with the switch while signed in is kept on the profile."""
    chosen = request.cookies.get("lang")
    if chosen in ("en", "cy") and chosen != profile.language:
        profile.language = chosen
        session.add(profile)


def require_client_self(
    context: Annotated[ClientContext, Depends(require_client)],
) -> ClientContext:
    if context.is_supporter:
        raise HTTPException(status_code=403, detail="supporter")
    return context


def require_adviser(viewer: OptionalViewer, session: SessionDep) -> AdviserContext:
    if viewer is None:
        raise HTTPException(status_code=401, detail="staff-sign-in")
    adviser = session.exec(select(Adviser).where(Adviser.user_id == viewer.user.id)).first()
    if viewer.user.role != Role.adviser or adviser is None:
        raise HTTPException(status_code=403, detail="not-an-adviser")
    return AdviserContext(user=viewer.user, adviser=adviser, web_session=viewer.web_session)


def require_admin(viewer: OptionalViewer) -> Viewer:
    if viewer is None:
        raise HTTPException(status_code=401, detail="staff-sign-in")
    if viewer.user.role != Role.admin:
        raise HTTPException(status_code=403, detail="not-an-admin")
    return viewer


CurrentUser = Annotated[Viewer, Depends(require_user)]
CurrentClient = Annotated[ClientContext, Depends(require_client)]
CurrentClientSelf = Annotated[ClientContext, Depends(require_client_self)]
CurrentAdviser = Annotated[AdviserContext, Depends(require_adviser)]
CurrentAdmin = Annotated[Viewer, Depends(require_admin)]

# The guard test checks every route declares one of these, or is on the public allow-list.
AUTHORISATION_DEPENDENCIES = (
    require_user,
    require_client,
    require_client_self,
    require_adviser,
    require_admin,
)
