"""The client's appointments: one appointment, help before it, calendar files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClient, CurrentClientAsking, CurrentClientSelf
from app.appointments import ics, needs, repository
from app.appointments.activities import all_activities
from app.appointments.forms import HelpForm
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    CalendarFeed,
    ChangeKind,
    HelpKind,
    HelpRequest,
)
from app.appointments.presenting import activity_calendar_entry, calendar_entry, present
from app.appointments.views_needs import router as your_needs_router
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.done_links import redirect_saying, said
from app.core.forms import FormErrors, Posted, posted
from app.core.ids import RecordId
from app.core.templating import render
from app.core.tokens import keyed_hash, keyed_hashes, new_token
from app.delivery.outbox import settings_for
from app.people.models import DetailLevel

router = APIRouter()
# The help a client keeps for every appointment (/your-needs) is served with the appointments.
router.include_router(your_needs_router)


def _own_appointment(
    session: SessionDep, client: CurrentClient, appointment_id: int
) -> Appointment:
    assert client.profile.id is not None
    appointment = repository.for_client(
        session=session, client_id=client.profile.id, appointment_id=appointment_id
    )
    if appointment is None:
        raise HTTPException(status_code=404)
    return appointment


@router.get("/appointments/{appointment_id}", response_class=HTMLResponse)
def appointment_page(
    request: Request, appointment_id: RecordId, client: CurrentClient, session: SessionDep
) -> HTMLResponse:
    return _appointment_page(request, session, client, appointment_id)


def _appointment_page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    appointment_id: int,
    sent: Posted[HelpForm] | None = None,
) -> HTMLResponse:
    appointment = _own_appointment(session, client, appointment_id)
    history = repository.history(session=session, appointment_id=appointment_id)
    help_requests = repository.help_requests(session=session, appointment_id=appointment_id)
    sent_now = said(request).get("sent")
    if sent_now == "help" and not _help_just_asked(history, help_requests):
        # "We have told your adviser" only when help was asked for just now and is still
        # waiting for them: a typed, bookmarked or stale address says nothing.
        sent_now = None
    return render(
        request,
        "appointments/appointment.html",
        {
            "view": present(session, appointment),
            "help_requests": help_requests,
            "history": history,
            "supporter_names": repository.supporter_names(session=session, changes=history),
            "help_kinds": list(HelpKind),
            "asked_kinds": [h.kind for h in help_requests],
            "upcoming": appointment.still_to_come,
            "may_change_needs": not client.is_supporter,
            "sent": sent_now,
            "errors": sent.errors if sent else FormErrors(),
            "form": sent.values if sent else {},
        },
        status_code=400 if sent else 200,
    )


# How long after asking "We have told your adviser" is said on the appointment.
HELP_BANNER_FOR = timedelta(hours=1)


def _help_just_asked(
    history: Sequence[AppointmentChange], help_requests: Sequence[HelpRequest]
) -> bool:
    """Whether help was asked for on this appointment in the last hour and some of it still
    waits for the adviser's answer."""
    asked = [c for c in history if c.change == ChangeKind.help_requested]
    recent = bool(asked) and asked[-1].changed_at >= utcnow() - HELP_BANNER_FOR
    return recent and any(h.status == "asked" for h in help_requests)


@router.post("/appointments/{appointment_id}/help")
def ask_for_help(
    request: Request,
    appointment_id: RecordId,
    client: CurrentClientAsking,
    session: SessionDep,
    sent: Annotated[Posted[HelpForm], posted(HelpForm)],
) -> Response:
    """Ask for things before an appointment; each becomes a request the adviser answers."""
    appointment = _own_appointment(session, client, appointment_id)
    if appointment.status != AppointmentStatus.booked or appointment.starts_at <= utcnow():
        # Help is for an appointment still to come; a stale form changes nothing.
        return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)
    if not sent.ok:
        return _appointment_page(request, session, client, appointment_id, sent)
    form = sent.valid()
    asked_before = {
        h.kind: h for h in repository.help_requests(session=session, appointment_id=appointment_id)
    }
    # Read now: keeping a need may update these same rows before the loop compares them.
    details_before = {kind: h.detail for kind, h in asked_before.items()}
    # Kept for the next appointments too, unless "only this time". A support person asks for
    # this appointment only: what the client keeps for every appointment is the client's choice.
    keep = form.only_this_time is None and not client.is_supporter
    changed = 0
    for kind in dict.fromkeys(form.kinds):  # each kind once, in the order sent
        detail = form.detail(kind)
        if keep:
            needs.keep_need(
                session=session, client_id=appointment.client_id, kind=kind, detail=detail
            )
        earlier = asked_before.get(kind)
        if earlier is None:
            if not keep:
                session.add(HelpRequest(appointment_id=appointment_id, kind=kind, detail=detail))
            changed += 1
        elif detail and details_before[kind] != detail:
            # A new companion's name or language for this appointment: saved, and back to the
            # adviser to answer again (what they arranged was for the old one).
            needs.change_detail(session=session, help_request=earlier, detail=detail)
            changed += 1
    if changed:
        session.add(
            AppointmentChange(
                appointment_id=appointment_id,
                actor_user_id=client.user.id,
                actor_role=client.actor_role,
                change=ChangeKind.help_requested,
            )
        )
    assert appointment.id is not None
    # Nothing new (all asked for already, in the same words): said plainly, never "we told".
    note = "help" if changed else "help-unchanged"
    return redirect_saying(request, f"/appointments/{appointment_id}", {"sent": note})


def _wants_detail(session: SessionDep, client_id: int) -> bool:
    """Whether the client chose detailed messages (calendars follow the same lock-screen rule)."""
    return settings_for(session, client_id).detail == DetailLevel.detailed


@router.get("/appointments/{appointment_id}/calendar.ics")
def appointment_calendar(
    appointment_id: RecordId, client: CurrentClient, session: SessionDep
) -> Response:
    appointment = _own_appointment(session, client, appointment_id)
    detailed = _wants_detail(session, appointment.client_id)
    body = ics.calendar([calendar_entry(present(session, appointment), detailed=detailed)])
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="appointment-{appointment_id}.ics"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/appointments/{appointment_id}/add-to-calendar", response_class=HTMLResponse)
def add_to_calendar(
    request: Request, appointment_id: RecordId, client: CurrentClient, session: SessionDep
) -> HTMLResponse:
    """The ways to put an appointment in a calendar, each explained: the file, Google,
    Outlook, and (for the client) a private link that keeps every appointment up to date."""
    appointment = _own_appointment(session, client, appointment_id)
    # The same discreet title and place as the calendar file: calendars show on lock screens.
    entry = calendar_entry(
        present(session, appointment), detailed=_wants_detail(session, appointment.client_id)
    )
    return render(
        request,
        "appointments/add-to-calendar.html",
        {
            "entry": entry,
            "back_url": f"/appointments/{appointment_id}",
            "file_url": f"/appointments/{appointment_id}/calendar.ics",
            "google_link": ics.google_link(entry),
            "outlook_link": ics.outlook_link(entry),
            "may_subscribe": not client.is_supporter,
        },
    )


@router.post("/account/calendar-link", response_class=HTMLResponse)
def new_calendar_link(
    request: Request, client: CurrentClientSelf, session: SessionDep
) -> HTMLResponse:
    """A private link for calendar apps. A new link stops the old one working."""
    assert client.profile.id is not None
    for old in repository.live_feeds(session=session, client_id=client.profile.id):
        old.revoked_at = utcnow()
        session.add(old)
    token = new_token()
    session.add(CalendarFeed(client_id=client.profile.id, token_hash=keyed_hash("calendar", token)))
    link = f"{get_settings().base_url}/calendar/{token}.ics"
    return render(
        request,
        "appointments/calendar-link.html",
        {"link": link, "subscribe_link": ics.subscription_link(link)},
    )


@router.get("/calendar/{token}.ics")
def calendar_feed(token: str, session: SessionDep) -> Response:
    """The private feed: the token is the only key, so it is stored hashed and can be revoked."""
    feed = repository.feed_by_token_hashes(
        session=session, token_hashes=keyed_hashes("calendar", token)
    )
    if feed is None:
        raise HTTPException(status_code=404)
    current_hash = keyed_hash("calendar", token)
    if feed.token_hash != current_hash:  # made under a previous secret key: move it over
        feed.token_hash = current_hash
        session.add(feed)
    appointments = repository.all_for_client(session=session, client_id=feed.client_id)
    detailed = _wants_detail(session, feed.client_id)
    # Appointments and what was booked for the client with a provider: all they go to.
    entries = [calendar_entry(present(session, a), detailed=detailed) for a in appointments]
    entries += [
        activity_calendar_entry(activity, detailed=detailed)
        for activity in all_activities(session=session, client_id=feed.client_id)
    ]
    body = ics.calendar(entries, method="PUBLISH")
    return Response(
        body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-store"}
    )
