"""Writing to and from the adviser, reading, and asking for a call. Services flush; the
request commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from app.audit.service import record
from app.core.clock import utcnow
from app.core.db import find_or_add
from app.delivery.models import NotificationKind
from app.delivery.outbox import cancel_pending
from app.messages import repository
from app.messages.models import Author, CallRequest, CallTime, Message, MessageThread
from app.people.models import ClientProfile, Role, User
from app.reminders import wording
from app.reminders.planner import client_subject, tell


def _thread(session: Session, client_id: int) -> MessageThread:
    return find_or_add(
        session,
        lambda: repository.thread_for(session=session, client_id=client_id),
        lambda: MessageThread(client_id=client_id),
    )


def thread_messages(*, session: Session, client_id: int) -> Sequence[Message]:
    """The client's messages with their adviser, oldest first (empty if none yet)."""
    thread = repository.thread_for(session=session, client_id=client_id)
    if thread is None or thread.id is None:
        return []
    return repository.messages_in(session=session, thread_id=thread.id)


def write_as_client(*, session: Session, profile: ClientProfile, user: User, body: str) -> Message:
    """The client's message to their adviser; it waits on the adviser's attention list."""
    assert profile.id is not None
    thread = _thread(session, profile.id)
    assert thread.id is not None
    message = Message(
        thread_id=thread.id, author_role=Author.client, author_user_id=user.id, body=body
    )
    session.add(message)
    session.flush()
    return message


def reply_as_adviser(
    *, session: Session, profile: ClientProfile, adviser_user: User, body: str
) -> Message:
    """The adviser's message to the client (audited). The client is told discreetly, outside
    their quiet hours; not again while an earlier message of ours is still unread."""
    assert profile.id is not None
    thread = _thread(session, profile.id)
    assert thread.id is not None
    already_waiting = repository.unread_from(
        session=session, thread_id=thread.id, author=Author.adviser
    )
    message = Message(
        thread_id=thread.id, author_role=Author.adviser, author_user_id=adviser_user.id, body=body
    )
    session.add(message)
    # A reply answers what the client wrote: only now does it leave the adviser's inbox.
    mark_read(session=session, client_id=profile.id, reader=Author.adviser)
    record(
        session=session,
        action="message.sent",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=profile.id,
        detail={"message_id": message.id},
    )
    if not already_waiting:
        note = wording.simple_message(wording.NEW_MESSAGE, "/messages", language=profile.language)
        tell(session, profile, NotificationKind.answer, f"message:{message.id}", note, utcnow())
    return message


def mark_read(*, session: Session, client_id: int, reader: Author) -> int:
    """Mark what the other side wrote as read by `reader`; returns how many were new."""
    thread = repository.thread_for(session=session, client_id=client_id)
    if thread is None or thread.id is None:
        return 0
    other = Author.client if reader == Author.adviser else Author.adviser
    unread = repository.unread_from(session=session, thread_id=thread.id, author=other)
    now = utcnow()
    for message in unread:
        message.read_at = now
        session.add(message)
    if reader == Author.client:
        # Read already: a "You have a new message" still held by quiet hours is not needed.
        subject = client_subject(client_id)
        cancel_pending(session=session, subject=subject, key_prefix=f"{subject}:message:")
    session.flush()
    return len(unread)


def read_no_reply_needed(*, session: Session, profile: ClientProfile, adviser_user: User) -> int:
    """The adviser has read the client's messages and they need no answer: they leave the
    inbox and the header count (audited). Returns how many were waiting."""
    assert profile.id is not None
    count = mark_read(session=session, client_id=profile.id, reader=Author.adviser)
    if count:
        record(
            session=session,
            action="message.read_no_reply",
            actor_role=Role.adviser,
            actor_user_id=adviser_user.id,
            client_id=profile.id,
            detail={"messages": count},
        )
    return count


def ask_for_call(*, session: Session, profile: ClientProfile, suits: CallTime) -> CallRequest:
    """ "Ask my adviser to call me". A second ask while one is open updates the time that suits
    rather than adding another item for the adviser."""
    assert profile.id is not None
    open_ones = repository.open_call_requests(session=session, client_ids=[profile.id])
    call = open_ones[0] if open_ones else CallRequest(client_id=profile.id, suits=suits)
    call.suits = suits
    session.add(call)
    session.flush()
    return call


def arrange_call(*, session: Session, profile: ClientProfile, adviser_user: User) -> CallRequest:
    """The adviser answered a request with "I will call": a call goes on their list, like one
    the client asked for, and stays there until they say they have called. A call already
    open is kept (with its time that suits); it is marked arranged by this adviser."""
    assert profile.id is not None
    open_ones = repository.open_call_requests(session=session, client_ids=[profile.id])
    call = open_ones[0] if open_ones else CallRequest(client_id=profile.id, suits=CallTime.any)
    call.arranged_by_user_id = adviser_user.id
    session.add(call)
    session.flush()
    return call


def call_made(*, session: Session, call: CallRequest, adviser_user: User) -> None:
    """The adviser has called (or tried): the item leaves their list; who and when is kept."""
    call.done_at = utcnow()
    call.done_by_user_id = adviser_user.id
    session.add(call)
    record(
        session=session,
        action="call_request.done",
        actor_role=Role.adviser,
        actor_user_id=adviser_user.id,
        client_id=call.client_id,
        detail={"call_request_id": call.id},
    )
    session.flush()
