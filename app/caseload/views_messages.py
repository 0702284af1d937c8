"""The adviser's side of a client's messages: replying from the client record, marking a
requested call as made, marking the client's messages "read, no reply needed", and
marking a check-in answer dealt with. The client is found through CurrentCaseloadClient (another caseload's
client is a 404); both actions are audited in app/messages/service.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.caseload import CurrentCaseloadClient
from app.caseload.answered import already_answered_page
from app.caseload.views import client_record_page
from app.core.db import SessionDep
from app.core.done_links import redirect_saying
from app.core.forms import Posted, posted
from app.core.ids import RecordId
from app.messages import service
from app.messages.check_ins import CheckInReply, mark_done
from app.messages.forms import ReplyForm
from app.messages.models import CallRequest

router = APIRouter(prefix="/adviser/clients/{client_id}")


@router.post("/messages", response_class=HTMLResponse)
def reply_to_client(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[ReplyForm], posted(ReplyForm)],
) -> Response:
    """Write to the client; they get a discreet "you have a new message" outside quiet hours."""
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    service.reply_as_adviser(
        session=session,
        profile=client.profile,
        adviser_user=client.adviser.user,
        body=sent.valid().reply,
    )
    return redirect_saying(
        request, f"/adviser/clients/{client.id}", {"replied": 1}, anchor="conversation"
    )


@router.post("/messages/read")
def read_no_reply_needed(
    request: Request, client: CurrentCaseloadClient, session: SessionDep
) -> Response:
    """ "Read, no reply needed": the client's unread messages leave the inbox without an
    answer (audited). Nothing waiting (another tab got there first): nothing changes."""
    service.read_no_reply_needed(
        session=session, profile=client.profile, adviser_user=client.adviser.user
    )
    return redirect_saying(
        request, f"/adviser/clients/{client.id}", {"read": 1}, anchor="conversation"
    )


@router.post("/calls/{call_id}/done")
def call_done(
    request: Request, client: CurrentCaseloadClient, call_id: RecordId, session: SessionDep
) -> Response:
    """The adviser has called: the request leaves the attention list. Marked already (another
    tab, a colleague): the kind page says so, and nothing changes."""
    call = session.get(CallRequest, call_id)
    if call is None or call.client_id != client.id:
        raise HTTPException(status_code=404)
    if call.done_at is not None:
        return already_answered_page(
            request,
            client_id=client.id,
            stale="call-done",
            answered_at=call.done_at,
            anchor="#conversation",
        )
    service.call_made(session=session, call=call, adviser_user=client.adviser.user)
    return RedirectResponse(f"/adviser/clients/{client.id}#conversation", status_code=303)


@router.post("/check-ins/{answer_id}/done")
def check_in_done(
    client: CurrentCaseloadClient, answer_id: RecordId, session: SessionDep
) -> Response:
    """The adviser has dealt with a check-in answer: it leaves the attention list."""
    reply = session.get(CheckInReply, answer_id)
    if reply is None or reply.client_id != client.id or reply.done_at is not None:
        raise HTTPException(status_code=404)
    mark_done(session=session, reply=reply, adviser_user=client.adviser.user)
    return RedirectResponse(f"/adviser/clients/{client.id}#check-ins", status_code=303)
