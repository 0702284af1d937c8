"""Check-in answers ("How are things?"): kept so the adviser sees them on the client's record,
newest first. An answer that asks for contact ("I would like to talk about next steps", "I
would like someone to call me") waits on the adviser's attention list until the adviser acts:
writes to the client, marks a call made, or marks the answer dealt with. "Not yet" is a full
answer and asks for nothing (BRIEF, scenario 4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlmodel import Field, Session, SQLModel, col, func, select

from app.audit.service import record
from app.core.clock import utcnow
from app.messages.models import Author, CallRequest, Message, MessageThread
from app.people.models import User


class CheckInAnswer(StrEnum):
    not_yet = "not-yet"
    ready = "ready"
    call_me = "call-me"


# The answers that ask the adviser to get in touch.
ASKS_FOR_CONTACT = frozenset({CheckInAnswer.ready, CheckInAnswer.call_me})


class CheckInReply(SQLModel, table=True):
    """One answer to a check-in. done_at: the adviser marked it dealt with (writing to the
    client or marking a call made after it deals with it too, without setting this)."""

    __tablename__ = "check_in_answers"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    answer: CheckInAnswer = Field(sa_type=String(16))
    answered_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = Field(default=None)
    done_by_user_id: int | None = Field(default=None, foreign_key="users.id")

    @property
    def asks_for_contact(self) -> bool:
        return self.answer in ASKS_FOR_CONTACT


def record_answer(
    *, session: Session, client_id: int, answer: CheckInAnswer, user: User
) -> CheckInReply:
    """Keep the client's answer (and write it in the audit log, which the client can see)."""
    reply = CheckInReply(client_id=client_id, answer=answer, answered_by_user_id=user.id)
    session.add(reply)
    session.flush()
    record(
        session=session,
        action="client.check_in_answered",
        actor_role=user.role,
        actor_user_id=user.id,
        client_id=client_id,
        detail={"answer": answer.value},
    )
    return reply


def answers_for(*, session: Session, client_id: int, limit: int = 20) -> Sequence[CheckInReply]:
    """The client's check-in answers, newest first."""
    return session.exec(
        select(CheckInReply)
        .where(CheckInReply.client_id == client_id)
        .order_by(col(CheckInReply.created_at).desc(), col(CheckInReply.id).desc())
        .limit(limit)
    ).all()


def waiting_answers(*, session: Session, client_ids: Any) -> list[CheckInReply]:
    """Of `client_ids` (a list or a subquery), each client's latest answer when it asks for
    contact and the adviser has not acted since: no message written to the client after it,
    no call marked made after it, and not marked dealt with. A later "not yet" replaces an
    earlier ask (the client has said what they want now)."""
    latest = (
        select(func.max(CheckInReply.id))
        .where(col(CheckInReply.client_id).in_(client_ids))
        .group_by(col(CheckInReply.client_id))
    )
    asking = session.exec(
        select(CheckInReply).where(
            col(CheckInReply.id).in_(latest),
            col(CheckInReply.answer).in_(list(ASKS_FOR_CONTACT)),
            col(CheckInReply.done_at).is_(None),
        )
    ).all()
    if not asking:
        return []
    ids = [reply.client_id for reply in asking]
    last_written = dict(
        session.exec(
            select(MessageThread.client_id, func.max(Message.created_at))
            .join(Message, col(Message.thread_id) == col(MessageThread.id))
            .where(col(MessageThread.client_id).in_(ids), Message.author_role == Author.adviser)
            .group_by(col(MessageThread.client_id))
        ).all()
    )
    last_called = dict(
        session.exec(
            select(CallRequest.client_id, func.max(CallRequest.done_at))
            .where(col(CallRequest.client_id).in_(ids), col(CallRequest.done_at).is_not(None))
            .group_by(col(CallRequest.client_id))
        ).all()
    )
    return sorted(
        (
            reply
            for reply in asking
            if not _acted_since(reply, last_written.get(reply.client_id))
            and not _acted_since(reply, last_called.get(reply.client_id))
        ),
        key=lambda reply: reply.created_at,
    )


def _acted_since(reply: CheckInReply, moment: datetime | None) -> bool:
    if moment is None:
        return False
    if moment.tzinfo is None:  # SQLite's aggregate gives the stored text back without a zone
        moment = moment.replace(tzinfo=reply.created_at.tzinfo)
    return moment >= reply.created_at


def mark_done(*, session: Session, reply: CheckInReply, adviser_user: User) -> None:
    """The adviser has dealt with the answer (called, talked, or arranged something)."""
    reply.done_at = utcnow()
    reply.done_by_user_id = adviser_user.id
    session.add(reply)
    record(
        session=session,
        action="check_in_answer.done",
        actor_role=adviser_user.role,
        actor_user_id=adviser_user.id,
        client_id=reply.client_id,
        detail={"check_in_answer_id": reply.id},
    )
    session.flush()
