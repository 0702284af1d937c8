"""Who is asking: typed dependencies that every non-public route declares.

Whether a client's support person may do something is decided in one place,
`app/accounts/permissions.py`; these dependencies apply it to every route:

- CurrentClient: reading the client's pages is open to the client and to a linked support
  person; anything that changes something (any method but GET/HEAD/OPTIONS) is the client's
  alone. A new route is therefore read-only for support people unless it says otherwise.
- CurrentClientAsking: asking for changes (another time, "not well enough", help at an
  appointment): the client, or a support person the client has allowed to ask for them.
- CurrentClientSelf: the client alone, for every method (settings, sign-in details, data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from app.accounts import repository
from app.accounts.models import WebSession
from app.accounts.permissions import ClientPermission, client_may
from app.accounts.sessions import SESSION_COOKIE, find_session
from app.core.csrf import SAFE_METHODS
from app.core.db import SessionDep
from app.core.i18n import set_language
from app.core.language import REMEMBER_LANGUAGE
from app.core.tokens import could_be_token
from app.people.models import Adviser, ClientProfile, Role, SupportLink, User


@dataclass(frozen=True)
class Viewer:
    user: User
    web_session: WebSession
    # Copied out of `user` when the request starts: an error page is drawn after the request's
    # database session has rolled back and closed, when `user`'s attributes can no longer be
    # loaded, and the header still needs to know who is signed in.
    role: Role
    # For a support person: the name of the client they are acting for (shown in a banner).
    helping_name: str | None = None
    # For a support person: whether that client lets them ask for changes (pages hide the
    # buttons otherwise). Always true for a client, who may do anything to their own record.
    may_ask_for_changes: bool = True


def home_for_role(role: Role) -> str:
    """Where a signed-in person's own pages begin: /adviser, /admin, or /home (a client, or a
    support person acting for one)."""
    return {Role.adviser: "/adviser", Role.admin: "/admin"}.get(role, "/home")


@dataclass(frozen=True)
class ClientContext:
    user: User  # the person signed in (the client, or their support person)
    profile: ClientProfile
    client_user: User  # the client whose record this is
    web_session: WebSession
    link: SupportLink | None = None  # the client's consent, when a support person is signed in

    @property
    def is_supporter(self) -> bool:
        return self.user.role == Role.supporter

    @property
    def actor_role(self) -> Role:
        """Whose action this is, for history lines: the client's own, or their supporter's."""
        return Role.supporter if self.is_supporter else Role.client


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
    may_ask = True
    if user.role == Role.supporter and web_session.acting_for_client_id:
        names = session.exec(
            select(User.preferred_name, User.full_name, SupportLink.can_ask_for_changes)
            .join(ClientProfile, col(ClientProfile.user_id) == col(User.id))
            .join(SupportLink, col(SupportLink.client_id) == col(ClientProfile.id))
            .where(
                ClientProfile.id == web_session.acting_for_client_id,
                SupportLink.supporter_user_id == user.id,
                col(SupportLink.revoked_at).is_(None),
            )
        ).first()
        helping_name = (names[0] or names[1]) if names else None
        may_ask = bool(names and names[2])
    elif user.role == Role.client and "lang" not in request.cookies:
        # The client's chosen language follows them to a new phone or browser.
        language = session.exec(
            select(ClientProfile.language).where(ClientProfile.user_id == user.id)
        ).first()
    viewer = Viewer(
        user=user,
        web_session=web_session,
        role=Role(user.role),
        helping_name=helping_name,
        may_ask_for_changes=may_ask,
    )
    return viewer, language


async def optional_viewer(request: Request, session: SessionDep) -> Viewer | None:
    """The signed-in person, if any (public pages use this to show the right links).

    Async on purpose: the language it sets must reach the handler. A sync dependency runs in
    a worker thread whose context changes are thrown away; an awaited one shares the request's.
    """
    if hasattr(request.state, "viewer"):
        viewer: Viewer | None = request.state.viewer
        return viewer
    if not could_be_token(request.cookies.get(SESSION_COOKIE, "")):
        # Nobody signed in (no cookie, or one no session could have): no need for the thread
        # pool and the database.
        request.state.viewer = None
        return None
    viewer, language = await run_in_threadpool(_load_viewer, request, session)
    if language:
        set_language(language)
        setattr(request.state, REMEMBER_LANGUAGE, language)
    request.state.viewer = viewer
    return viewer


OptionalViewer = Annotated[Viewer | None, Depends(optional_viewer)]


async def require_user(viewer: OptionalViewer) -> Viewer:
    # The checks that read nothing from the database are async: a sync dependency costs a
    # trip to the thread pool, and every page asks for one of these.
    if viewer is None:
        raise HTTPException(status_code=401, detail="sign-in")
    return viewer


def load_client_context(
    request: Request, viewer: OptionalViewer, session: SessionDep
) -> ClientContext:
    """The client's record and who is looking at it; says nothing yet about what they may do
    (the require_client* dependencies below decide that)."""
    if viewer is None:
        raise HTTPException(status_code=401, detail="sign-in")
    user = viewer.user
    link: SupportLink | None = None
    if user.role == Role.client:
        profile = session.exec(
            select(ClientProfile).where(ClientProfile.user_id == user.id)
        ).first()
        client_user: User | None = user
    elif user.role == Role.supporter and viewer.web_session.acting_for_client_id:
        assert user.id is not None
        link = repository.live_link(
            session=session,
            supporter_user_id=user.id,
            client_id=viewer.web_session.acting_for_client_id,
        )
        profile = session.get(ClientProfile, link.client_id) if link else None
        client_user = session.get(User, profile.user_id) if profile else None
    elif user.role == Role.supporter:
        # Signed in, but nobody shares anything with them now (the client stopped sharing).
        raise HTTPException(status_code=403, detail="nothing-shared")
    else:
        raise HTTPException(status_code=403, detail="not-a-client")
    if profile is None or client_user is None:
        detail = "nothing-shared" if user.role == Role.supporter else "not-a-client"
        raise HTTPException(status_code=403, detail=detail)
    if user.role == Role.client:
        _remember_language_choice(request, profile, session)
    return ClientContext(
        user=user,
        profile=profile,
        client_user=client_user,
        web_session=viewer.web_session,
        link=link,
    )


LoadedClient = Annotated[ClientContext, Depends(load_client_context)]


# Why a support person is refused, by what they tried: each code has its own true words on
# pages/forbidden.html (tests/accounts/test_refusal_words.py), never another refusal's.
REFUSALS: dict[ClientPermission, str] = {
    ClientPermission.view: "supporter-read-only",
    ClientPermission.ask_for_changes: "supporter-read-only",
    ClientPermission.read_messages: "supporter-no-messages",
    ClientPermission.manage: "supporter",
}
# The client's own conversation with their adviser: said as that, not as "settings".
WRITING_MESSAGES = "supporter-not-writing"
ASKING_FOR_A_CALL = "supporter-no-call"


def _allow(
    context: ClientContext, permission: ClientPermission, refusal: str | None = None
) -> ClientContext:
    """The context, if the person may do `permission`; a 403 saying why otherwise (`refusal`,
    or the permission's usual code in `REFUSALS`)."""
    if not client_may(context, permission):
        raise HTTPException(status_code=403, detail=refusal or REFUSALS[permission])
    return context


async def require_client(request: Request, context: LoadedClient) -> ClientContext:
    """Read the client's pages (client or support person); change things: the client only."""
    safe = request.method in SAFE_METHODS
    return _allow(context, ClientPermission.view if safe else ClientPermission.manage)


async def require_client_asking(context: LoadedClient) -> ClientContext:
    """Ask for a change to the client's appointments: the client, or a support person they
    have allowed to ask for them. The pages for it are refused to read-only support people
    too, so nobody fills in a form they cannot send."""
    return _allow(context, ClientPermission.ask_for_changes)


async def require_client_messages(context: LoadedClient) -> ClientContext:
    """Read the message thread: the client, or a support person the client lets read it."""
    return _allow(context, ClientPermission.read_messages)


def _remember_language_choice(
    request: Request, profile: ClientProfile, session: SessionDep
) -> None:
    """A language picked with the switch while signed in is kept on the profile."""
    chosen = request.cookies.get("lang")
    if chosen in ("en", "cy") and chosen != profile.language:
        profile.language = chosen
        session.add(profile)


async def require_client_self(context: LoadedClient) -> ClientContext:
    """The client alone: settings, sign-in details, data rights, support people."""
    return _allow(context, ClientPermission.manage)


async def require_client_writing(context: LoadedClient) -> ClientContext:
    """The client alone writes to their adviser (a support person is told just that)."""
    return _allow(context, ClientPermission.manage, WRITING_MESSAGES)


async def require_client_calling(context: LoadedClient) -> ClientContext:
    """The client alone asks their adviser to call them."""
    return _allow(context, ClientPermission.manage, ASKING_FOR_A_CALL)


def require_adviser(viewer: OptionalViewer, session: SessionDep) -> AdviserContext:
    if viewer is None:
        raise HTTPException(status_code=401, detail="staff-sign-in")
    adviser = session.exec(select(Adviser).where(Adviser.user_id == viewer.user.id)).first()
    if viewer.user.role != Role.adviser or adviser is None:
        raise HTTPException(status_code=403, detail="not-an-adviser")
    return AdviserContext(user=viewer.user, adviser=adviser, web_session=viewer.web_session)


async def require_admin(viewer: OptionalViewer) -> Viewer:
    if viewer is None:
        raise HTTPException(status_code=401, detail="staff-sign-in")
    if viewer.user.role != Role.admin:
        raise HTTPException(status_code=403, detail="not-an-admin")
    return viewer


CurrentUser = Annotated[Viewer, Depends(require_user)]
CurrentClient = Annotated[ClientContext, Depends(require_client)]
CurrentClientAsking = Annotated[ClientContext, Depends(require_client_asking)]
CurrentClientSelf = Annotated[ClientContext, Depends(require_client_self)]
CurrentClientMessages = Annotated[ClientContext, Depends(require_client_messages)]
CurrentClientWriting = Annotated[ClientContext, Depends(require_client_writing)]
CurrentClientCalling = Annotated[ClientContext, Depends(require_client_calling)]
CurrentAdviser = Annotated[AdviserContext, Depends(require_adviser)]
CurrentAdmin = Annotated[Viewer, Depends(require_admin)]

# The guard test checks every route declares one of these, or is on the public allow-list.
AUTHORISATION_DEPENDENCIES = (
    require_user,
    require_client,
    require_client_asking,
    require_client_self,
    require_client_messages,
    require_client_writing,
    require_client_calling,
    require_adviser,
    require_admin,
)
