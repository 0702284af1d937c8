"""Server-side sessions: create, find, touch, revoke. The cookie holds only a random token."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlmodel import Session, col, select, update

from app.accounts.models import WebSession
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.tokens import could_be_token, keyed_hash, new_token
from app.people.models import Role, User

SESSION_COOKIE = "mp_session"
KEEP_SIGNED_IN = timedelta(days=30)
BROWSER_SESSION_CAP = timedelta(hours=12)
IDLE_MINUTES = 30
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return keyed_hash("session", token)


def start_session(
    *, session: Session, user: User, keep_signed_in: bool, user_agent: str = ""
) -> tuple[WebSession, str]:
    """Create a new session row and return it with the token for the cookie."""
    assert user.id is not None
    now = utcnow()
    # Staff never get a long-lived session: they handle many people's records.
    persistent = keep_signed_in and user.role in (Role.client, Role.supporter)
    token = new_token()
    web_session = WebSession(
        token_hash=_hash(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + (KEEP_SIGNED_IN if persistent else BROWSER_SESSION_CAP),
        idle_timeout_minutes=None if persistent else IDLE_MINUTES,
        user_agent=user_agent[:200],
    )
    session.add(web_session)
    session.flush()
    return web_session, token


def set_session_cookie(response: Response, token: str, web_session: WebSession) -> None:
    persistent = web_session.idle_timeout_minutes is None
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(KEEP_SIGNED_IN.total_seconds()) if persistent else None,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def _is_live(web_session: WebSession, now: datetime) -> bool:
    if web_session.revoked_at is not None or web_session.expires_at <= now:
        return False
    if web_session.idle_timeout_minutes is not None:
        idle_limit = timedelta(minutes=web_session.idle_timeout_minutes)
        if now - web_session.last_seen_at > idle_limit:
            return False
    return True


def find_session(*, session: Session, request: Request) -> tuple[WebSession, User] | None:
    """The live session and its user for this request's cookie, touching last_seen_at."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or not could_be_token(token):
        return None
    row = session.exec(
        select(WebSession, User)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(WebSession.token_hash == _hash(token))
    ).first()
    if row is None:
        return None
    web_session, user = row
    now = utcnow()
    if not _is_live(web_session, now) or not user.is_active:
        return None
    if now - web_session.last_seen_at > TOUCH_EVERY:
        web_session.last_seen_at = now
        session.add(web_session)
    return web_session, user


def still_live(*, session: Session, web_session_id: int) -> tuple[WebSession, User] | None:
    """The session and its user, read afresh, if it is still live (not signed out, revoked,
    expired or idle too long) and the user still active; None otherwise. Never touches it:
    an open live stream asks this every second, and that is not the person doing anything."""
    row = session.exec(
        select(WebSession, User)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(WebSession.id == web_session_id)
    ).first()
    if row is None or not _is_live(row[0], utcnow()) or not row[1].is_active:
        return None
    return row[0], row[1]


def revoke(*, session: Session, web_session: WebSession) -> None:
    """End one session."""
    web_session.revoked_at = utcnow()
    session.add(web_session)


def revoke_all(*, session: Session, user_id: int) -> int:
    """End every session of a user ("sign out everywhere"); returns how many were live."""
    result = session.exec(
        update(WebSession)
        .where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount or 0)


def list_live(*, session: Session, user_id: int) -> list[WebSession]:
    now = utcnow()
    rows = session.exec(
        select(WebSession)
        .where(WebSession.user_id == user_id, col(WebSession.revoked_at).is_(None))
        .order_by(col(WebSession.last_seen_at).desc())
    ).all()
    return [row for row in rows if _is_live(row, now)]
