"""A client's message thread with their adviser, and their requests for a call."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.clock import utcnow

# Long enough for a few paragraphs; a message, not a letter.
BODY_MAX_CHARS = 2000


class MessageThread(SQLModel, table=True):
    """One thread per client, with whoever is their adviser (it follows the client when
    their adviser changes, so nobody has to repeat their story)."""

    __tablename__ = "message_threads"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class Author(StrEnum):
    client = "client"
    adviser = "adviser"


class Message(SQLModel, table=True):
    """One message. read_at is when the other side first saw it (the client reading an
    adviser's message, or an adviser reading the client's)."""

    __tablename__ = "thread_messages"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="message_threads.id", index=True)
    author_role: Author = Field(sa_type=String(16))
    author_user_id: int | None = Field(default=None, foreign_key="users.id")
    body: str = Field(max_length=BODY_MAX_CHARS)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None)


class CallTime(StrEnum):
    """When a call suits, in the office's opening hours."""

    any = "any"
    morning = "morning"
    afternoon = "afternoon"


class CallRequest(SQLModel, table=True):
    """ "Ask my adviser to call me": open until the adviser says they have called."""

    __tablename__ = "call_requests"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client_profiles.id", index=True)
    suits: CallTime = Field(sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = Field(default=None)
    done_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    # Set when the adviser said they would ring (answering a request with "arrange a call"),
    # rather than the client asking: the record and the client's page word it so.
    arranged_by_user_id: int | None = Field(default=None, foreign_key="users.id")
