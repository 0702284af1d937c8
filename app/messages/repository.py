"""Every query about message threads and call requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from app.messages.models import Author, CallRequest, Message, MessageThread
from app.people.models import User


def thread_for(*, session: Session, client_id: int) -> MessageThread | None:
    """The client's thread, or None if nobody has written yet."""
    return session.exec(select(MessageThread).where(MessageThread.client_id == client_id)).first()


def messages_in(*, session: Session, thread_id: int) -> Sequence[Message]:
    """The thread's messages, oldest first."""
    return session.exec(
        select(Message)
        .where(Message.thread_id == thread_id)
        .order_by(col(Message.created_at), col(Message.id))
    ).all()


def unread_from(*, session: Session, thread_id: int, author: Author) -> Sequence[Message]:
    """Messages `author` wrote that the other side has not seen yet."""
    return session.exec(
        select(Message).where(
            Message.thread_id == thread_id,
            Message.author_role == author,
            col(Message.read_at).is_(None),
        )
    ).all()


def clients_with_unread(*, session: Session, client_ids: Any) -> set[int]:
    """Of `client_ids` (a list or a subquery), those with a message their adviser has not read."""
    return set(
        session.exec(
            select(MessageThread.client_id)
            .join(Message, col(Message.thread_id) == col(MessageThread.id))
            .where(
                col(MessageThread.client_id).in_(client_ids),
                Message.author_role == Author.client,
                col(Message.read_at).is_(None),
            )
            .distinct()
        ).all()
    )


def open_call_requests(*, session: Session, client_ids: Any) -> Sequence[CallRequest]:
    """Calls asked for and not yet made, oldest first."""
    return session.exec(
        select(CallRequest)
        .where(col(CallRequest.client_id).in_(client_ids), col(CallRequest.done_at).is_(None))
        .order_by(col(CallRequest.created_at))
    ).all()


def all_call_requests(*, session: Session, client_id: int) -> Sequence[CallRequest]:
    """Every call the client has asked for, made or not, oldest first (for their data)."""
    return session.exec(
        select(CallRequest)
        .where(CallRequest.client_id == client_id)
        .order_by(col(CallRequest.created_at))
    ).all()


def unread_from_clients(*, session: Session, client_ids: Any) -> Sequence[tuple[Message, int]]:
    """Messages from the clients in `client_ids` (a list or a subquery) that their adviser has
    not read, newest first, each with its client's id."""
    return session.exec(
        select(Message, MessageThread.client_id)
        .join(MessageThread, col(MessageThread.id) == col(Message.thread_id))
        .where(
            col(MessageThread.client_id).in_(client_ids),
            Message.author_role == Author.client,
            col(Message.read_at).is_(None),
        )
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    ).all()


def count_unread_from_clients(*, session: Session, client_ids: Any) -> int:
    """How many messages from these clients their adviser has not read."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Message)
            .join(MessageThread, col(MessageThread.id) == col(Message.thread_id))
            .where(
                col(MessageThread.client_id).in_(client_ids),
                Message.author_role == Author.client,
                col(Message.read_at).is_(None),
            )
        ).one()
    )


def author_names(*, session: Session, messages: Sequence[Message]) -> dict[int, str]:
    """{user id: name} for whoever wrote these messages, so a thread can say who wrote each."""
    ids = {m.author_user_id for m in messages if m.author_user_id is not None}
    if not ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return {user.id: user.display_name for user in rows if user.id is not None}
