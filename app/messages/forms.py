"""The message box and "ask my adviser to call me"."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from app.core.forms import FormModel, PlainText, limit
from app.core.i18n import lazy_gettext
from app.messages.models import CallTime, Message


class MessageForm(FormModel):
    """A message in the thread (client or adviser): plain text, no attachments."""

    too_long: ClassVar[dict[str, str]] = {
        "body": lazy_gettext("Your message must be %(limit)s characters or fewer"),
    }
    problems: ClassVar[dict[str, str]] = {"body": lazy_gettext("Write your message")}

    body: Annotated[str, limit(Message, "body"), Field(min_length=1), PlainText]


class CallForm(FormModel):
    """When a call suits the client; the view also refuses a time not offered to them."""

    problems: ClassVar[dict[str, str]] = {"suits": lazy_gettext("Choose when a call suits you")}

    suits: CallTime


class ReplyForm(FormModel):
    """The adviser's message, from the client record (its own field name: the record page
    also has the private-note box)."""

    too_long: ClassVar[dict[str, str]] = {
        "reply": lazy_gettext("The message must be %(limit)s characters or fewer"),
    }
    problems: ClassVar[dict[str, str]] = {"reply": lazy_gettext("Write the message")}

    reply: Annotated[str, limit(Message, "body"), Field(min_length=1), PlainText]
