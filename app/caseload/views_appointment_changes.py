"""The adviser moves ("Change time") or cancels a client's booked appointment from the record.

Change time is the "Find a time" page for one appointment: a week of free times at a place
(the appointment's own, to start with), each saying where and how long; the chosen one is
booked through `appointment_changes.move`. Cancel asks first, with an optional reason from a
fixed list. Both answer with the record and a success banner (Post/Redirect/Get), and an
appointment that is over or cancelled meanwhile gets the kind "already changed" page (409).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from app.accounts.caseload import CurrentCaseloadClient
from app.appointments import repository
from app.appointments.booking import SlotTaken
from app.appointments.models import Appointment, AvailabilitySlot
from app.appointments.presenting import present
from app.audit.service import record
from app.caseload import appointment_changes
from app.caseload.answered import already_answered_page
from app.caseload.forms import CancelForm, MoveForm, seen_is_current
from app.caseload.times_finder import find_week, place_of
from app.core.clock import to_london
from app.core.db import SessionDep
from app.core.done_links import done_url
from app.core.forms import FormErrors, Posted, chosen, posted
from app.core.ids import RecordId
from app.core.templating import render
from app.people.models import Role

router = APIRouter(prefix="/adviser/clients/{client_id}/appointments/{appointment_id}")


def _appointment(
    session: SessionDep, client: CurrentCaseloadClient, appointment_id: int
) -> Appointment:
    """One of this client's appointments (404 for anyone else's, as if it did not exist)."""
    found = repository.for_client(
        session=session, client_id=client.id, appointment_id=appointment_id
    )
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _viewed(session: SessionDep, client: CurrentCaseloadClient, page: str) -> None:
    """Every adviser look at a client's record is written down (the client can see it)."""
    record(
        session=session,
        action="client_record.viewed",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
        detail={"page": page},
    )


def _over(request: Request, client: CurrentCaseloadClient) -> HTMLResponse:
    return already_answered_page(
        request, client_id=client.id, stale="appointment-over", anchor="#appointments"
    )


def _change_page(
    request: Request,
    session: SessionDep,
    client: CurrentCaseloadClient,
    appointment: Appointment,
    query: FormData,
    *,
    errors: FormErrors | None = None,
    gone: bool = False,
    changed: bool = False,
) -> HTMLResponse:
    # A new time is looked for around the old one: the week from a few days before it.
    around = to_london(appointment.starts_at).date() - timedelta(days=3)
    found = find_week(
        session,
        client,
        query,
        default_where=place_of(appointment),
        default_day=around,
        appointment=appointment,
    )
    context: dict[str, Any] = {
        "profile": client.profile,
        "client_user": client.user,
        "view": present(session, appointment),
        **found.context,
        "gone": gone,
        "changed": changed,
    }
    if errors:
        context["errors"] = errors
    # 400: what was sent will not do; 409: the time went, or the appointment moved, since
    # the page was drawn.
    status = 400 if errors or not found.ok else (409 if gone or changed else 200)
    return render(request, "adviser/appointment-change.html", context, status_code=status)


@router.get("/change", response_class=HTMLResponse)
def change_time(
    request: Request, client: CurrentCaseloadClient, appointment_id: RecordId, session: SessionDep
) -> HTMLResponse:
    """The free times this appointment could move to: a week at a place (`?day=&where=`, as
    "Find a time"), from this week at the appointment's own place."""
    appointment = _appointment(session, client, appointment_id)
    _viewed(session, client, "change-time")
    if not appointment_changes.changeable(appointment):
        return _over(request, client)
    query = FormData(list(request.query_params.multi_items()))
    return _change_page(request, session, client, appointment, query)


@router.post("/change", response_class=HTMLResponse)
def change_time_post(
    request: Request,
    client: CurrentCaseloadClient,
    appointment_id: RecordId,
    session: SessionDep,
    sent: Annotated[Posted[MoveForm], posted(MoveForm)],
) -> Response:
    """Move the appointment to the chosen time; the client is told, the old time is free."""
    appointment = _appointment(session, client, appointment_id)
    if not appointment_changes.changeable(appointment):
        return _over(request, client)
    week = FormData([(k, str(sent.values[k])) for k in ("day", "where") if sent.values.get(k)])
    if not sent.ok:
        return _change_page(request, session, client, appointment, week, errors=sent.errors)
    if not seen_is_current(sent.valid().seen, appointment.sequence):
        # Moved since the page was drawn (by the client, say): show what it is now first.
        return _change_page(request, session, client, appointment, week, changed=True)
    slot = session.get(AvailabilitySlot, sent.valid().slot)
    try:
        if slot is None:
            raise SlotTaken
        appointment_changes.move(
            session=session,
            profile=client.profile,
            appointment=appointment,
            slot=slot,
            adviser_user=client.adviser.user,
        )
    except SlotTaken:
        # Taken a moment ago, gone by, or no longer suits them: fresh times, nothing changed.
        return _change_page(request, session, client, appointment, week, gone=True)
    return _done(client, moved=appointment.id)


@router.get("/cancel", response_class=HTMLResponse)
def cancel_appointment(
    request: Request, client: CurrentCaseloadClient, appointment_id: RecordId, session: SessionDep
) -> HTMLResponse:
    """Are you sure? What cancelling does, and an optional reason from a fixed list."""
    appointment = _appointment(session, client, appointment_id)
    _viewed(session, client, "cancel-appointment")
    if not appointment_changes.changeable(appointment):
        return _over(request, client)
    return _cancel_page(request, session, client, appointment)


def _cancel_page(
    request: Request,
    session: SessionDep,
    client: CurrentCaseloadClient,
    appointment: Appointment,
    *,
    changed: bool = False,
) -> HTMLResponse:
    """Are you sure?, or (`changed`, 409) the same page saying the time moved meanwhile."""
    return render(
        request,
        "adviser/appointment-cancel.html",
        {
            "profile": client.profile,
            "client_user": client.user,
            "view": present(session, appointment),
            "reasons": appointment_changes.CANCEL_REASONS,
            "changed": changed,
        },
        status_code=409 if changed else 200,
    )


@router.post("/cancel", response_class=HTMLResponse)
def cancel_appointment_post(
    request: Request,
    client: CurrentCaseloadClient,
    appointment_id: RecordId,
    session: SessionDep,
    sent: Annotated[Posted[CancelForm], posted(CancelForm)],
) -> Response:
    """Cancel it: the time is free again, the client is told, and it is never a missed one."""
    appointment = _appointment(session, client, appointment_id)
    if not appointment_changes.changeable(appointment):
        return _over(request, client)
    if not seen_is_current(chosen(sent).seen, appointment.sequence):
        # Moved since the page was drawn (by the client, say): show what it is now first.
        return _cancel_page(request, session, client, appointment, changed=True)
    appointment_changes.cancel_for_client(
        session=session,
        profile=client.profile,
        appointment=appointment,
        reason=chosen(sent).reason,
        adviser_user=client.adviser.user,
    )
    return _done(client, cancelled=appointment.id)


def _done(client: CurrentCaseloadClient, **done: int | None) -> RedirectResponse:
    """Back to the record's appointments, its banner saying what was done (`moved=12`)."""
    return RedirectResponse(
        done_url(
            f"/adviser/clients/{client.id}",
            {key: str(value) for key, value in done.items()},
            user_id=client.adviser.user.id,
            anchor="appointments",
        ),
        status_code=303,
    )
