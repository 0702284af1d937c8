"""The client's side: how to reach their adviser, "ask my adviser to call me", and the message
thread. Support people may see the contact page, and read the thread only if the client
lets them; only the client writes in it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from app.accounts.dependencies import (
    CurrentClient,
    CurrentClientCalling,
    CurrentClientMessages,
    CurrentClientWriting,
)
from app.accounts.live_guard import client_stream_allowed
from app.accounts.permissions import ClientPermission, client_may
from app.accounts.repository import message_readers
from app.core.db import SessionDep
from app.core.done_links import redirect_saying, said
from app.core.forms import FormErrors, Posted, posted
from app.core.i18n import gettext as _
from app.core.templating import render
from app.messages import repository, service
from app.messages.contact import call_times_for, contact_details, hours_in_words
from app.messages.forms import CallForm, MessageForm
from app.messages.live import thread_events
from app.messages.models import Author

router = APIRouter()


def _contact_page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    *,
    errors: FormErrors,
    chosen: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert client.profile.id is not None
    details = contact_details(session=session, profile=client.profile)
    open_calls = repository.open_call_requests(session=session, client_ids=[client.profile.id])
    return render(
        request,
        "messages/contact.html",
        {
            "details": details,
            "hours": hours_in_words(details.opens_hour, details.closes_hour),
            "call_times": call_times_for(session=session, profile=client.profile),
            "open_call": open_calls[0] if open_calls else None,
            # "We have asked your adviser to call you" only while that call is still to make.
            "asked": said(request).get("asked") == "1" and bool(open_calls),
            "is_client": not client.is_supporter,
            "may_read_messages": client_may(client, ClientPermission.read_messages),
            "chosen": chosen,
            "errors": errors,
        },
        status_code=status_code,
    )


@router.get("/contact", response_class=HTMLResponse)
def contact(request: Request, client: CurrentClient, session: SessionDep) -> HTMLResponse:
    return _contact_page(request, session, client, errors=FormErrors())


@router.post("/contact/call-me", response_class=HTMLResponse)
def contact_call_me(
    request: Request,
    client: CurrentClientCalling,
    session: SessionDep,
    sent: Annotated[Posted[CallForm], posted(CallForm)],
) -> Response:
    """Ask the adviser to call, at a part of the day the client's own times allow."""
    offered = call_times_for(session=session, profile=client.profile)
    if sent.ok and sent.valid().suits not in offered:
        sent.errors.add("suits", _("Choose when a call suits you"))
    if not sent.ok:
        return _contact_page(
            request,
            session,
            client,
            errors=sent.errors,
            chosen=sent.values.get("suits"),
            status_code=400,
        )
    service.ask_for_call(session=session, profile=client.profile, suits=sent.valid().suits)
    return redirect_saying(request, "/contact", {"asked": 1}, anchor="call-me")


def _messages_page(
    request: Request,
    session: SessionDep,
    client: CurrentClientMessages,
    *,
    errors: FormErrors,
    body: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    assert client.profile.id is not None
    thread = service.thread_messages(session=session, client_id=client.profile.id)
    # What the client sees now is read; the page shows which were new this time.
    new_ids = {m.id for m in thread if m.author_role == Author.adviser and m.read_at is None}
    if not client.is_supporter:
        # A support person reading along does not make a message read for the client.
        service.mark_read(session=session, client_id=client.profile.id, reader=Author.client)
    details = contact_details(session=session, profile=client.profile)
    return render(
        request,
        "messages/thread.html",
        {
            "thread": thread,
            "new_ids": new_ids,
            "details": details,
            "hours": hours_in_words(details.opens_hour, details.closes_hour),
            "sent": said(request).get("sent") == "1",
            "errors": errors,
            "body": body,
            "helping": client.client_user.display_name if client.is_supporter else None,
            "readers": []
            if client.is_supporter
            else message_readers(session=session, client_id=client.profile.id),
        },
        status_code=status_code,
    )


@router.get("/messages", response_class=HTMLResponse)
def messages(request: Request, client: CurrentClientMessages, session: SessionDep) -> HTMLResponse:
    return _messages_page(request, session, client, errors=FormErrors())


@router.post("/messages", response_class=HTMLResponse)
def messages_post(
    request: Request,
    client: CurrentClientWriting,
    session: SessionDep,
    sent: Annotated[Posted[MessageForm], posted(MessageForm)],
) -> Response:
    """The client writes to their adviser; what they typed is kept if it comes back."""
    if not sent.ok:
        return _messages_page(
            request,
            session,
            client,
            errors=sent.errors,
            body=str(sent.values.get("body", "")),
            status_code=400,
        )
    service.write_as_client(
        session=session, profile=client.profile, user=client.user, body=sent.valid().body
    )
    return redirect_saying(request, "/messages", {"sent": 1}, anchor="sent")


@router.get("/messages/events")
def messages_events(client: CurrentClientMessages) -> StreamingResponse:
    """Server-sent events: the open thread shows a new message without a reload; the stream
    ends as soon as this person may no longer read the thread."""
    assert client.profile.id is not None
    return StreamingResponse(
        thread_events(
            client.profile.id,
            still_allowed=client_stream_allowed(client, ClientPermission.read_messages),
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
