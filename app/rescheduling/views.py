"""Changing an appointment, "I'm not well enough right now", and the client's time needs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClient, CurrentClientAsking, CurrentClientSelf
from app.appointments import repository as appointments
from app.appointments.models import (
    Appointment,
    AppointmentStatus,
    AvailabilitySlot,
    ChangeKind,
)
from app.appointments.presenting import present, present_slots
from app.core.clock import utcnow
from app.core.db import SessionDep
from app.core.done_links import redirect_saying
from app.core.forms import FormErrors, Posted, posted
from app.core.ids import RecordId
from app.core.templating import render
from app.rescheduling import repository, service
from app.rescheduling.forms import (
    NOT_AFTER_HOURS,
    NOT_BEFORE_HOURS,
    BusyTimeForm,
    ChangeForm,
    NotWellEnoughForm,
    PreferencesForm,
    week_from,
)
from app.rescheduling.models import BusyTime, RequestKind, TimePreference
from app.rescheduling.offers import no_longer_free

router = APIRouter()

# How long after a move "Your new time" is said for it (the page a client lands on after
# choosing; a later visit to the same address shows the appointment instead).
NEW_TIME_SHOWN_FOR = timedelta(hours=1)


def _own(session: SessionDep, client: CurrentClient, appointment_id: RecordId) -> Appointment:
    """One of this client's appointments that can still be changed (404 otherwise): one that
    has happened is history, not something to move."""
    assert client.profile.id is not None
    appointment = appointments.for_client(
        session=session, client_id=client.profile.id, appointment_id=appointment_id
    )
    if appointment is None or appointment.status == AppointmentStatus.attended:
        raise HTTPException(status_code=404)
    return appointment


class NotChangeable(Exception):  # noqa: N818 (a state, not a fault)
    """The appointment has begun, been recorded, missed or cancelled: nothing to move."""


def _to_change(session: SessionDep, client: CurrentClient, appointment_id: RecordId) -> Appointment:
    """One of this client's appointments that is still to come (Appointment.still_to_come);
    404 if it is not theirs, NotChangeable if it can no longer be moved."""
    appointment = _own(session, client, appointment_id)
    if not appointment.still_to_come:
        raise NotChangeable
    return appointment


def _change_page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    appointment_id: RecordId,
    *,
    errors: FormErrors,
    reason: str | None = None,
    week: date | None = None,
    gone: str = "",  # "taken" by someone else a moment ago, "withdrawn", or "past"
    status_code: int = 200,
) -> HTMLResponse:
    appointment = _to_change(session, client, appointment_id)
    choices = service.alternative_slots(
        session=session, profile=client.profile, appointment=appointment, week=week
    )
    view = present(session, appointment)
    own = view.own_place
    minutes = appointment.duration_minutes  # a new time keeps the appointment's own length
    return render(
        request,
        "appointments/change.html",
        {
            "view": view,
            "choices": choices,
            "times": [
                (time, service.differences(appointment, time.slot, own_place=own))
                for time in present_slots(session, choices.slots, own_place=own, minutes=minutes)
            ],
            "offered_times": [
                (time, service.differences(appointment, time.slot, own_place=own))
                for time in present_slots(session, choices.offered, own_place=own, minutes=minutes)
            ],
            # Offered times no longer free are said so, not dropped without a word (offers.py).
            "offers_gone": 0
            if choices.week
            else no_longer_free(
                session=session, client_id=appointment.client_id, shown=choices.offered
            ),
            "errors": errors,
            "reason": reason,
            "gone": gone,
            "reasons": service.REASONS,
        },
        status_code=status_code,
    )


@router.get("/appointments/{appointment_id}/change", response_class=HTMLResponse)
def change_appointment(
    request: Request,
    appointment_id: RecordId,
    client: CurrentClientAsking,
    session: SessionDep,
    week: Annotated[str | None, Query(alias="from")] = None,
) -> Response:
    """The times the client may choose: the soonest, or a week of times from `?from=`. An
    appointment that can no longer be moved (begun, recorded, missed, cancelled): its own
    page, which says what happens next."""
    try:
        return _change_page(
            request, session, client, appointment_id, errors=FormErrors(), week=week_from(week)
        )
    except NotChangeable:
        return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)


@router.post("/appointments/{appointment_id}/change", response_class=HTMLResponse)
def change_appointment_post(
    request: Request,
    appointment_id: RecordId,
    client: CurrentClientAsking,
    session: SessionDep,
    sent: Annotated[Posted[ChangeForm], posted(ChangeForm)],
) -> Response:
    try:
        appointment = _to_change(session, client, appointment_id)
    except NotChangeable:
        # A page left open, or an offline queue, from before it began or was cancelled:
        # nothing is asked, and its page says what happens now.
        return RedirectResponse(f"/appointments/{appointment_id}", status_code=303)
    reason = sent.values.get("reason")
    week = sent.form.week if sent.form else week_from(sent.values.get("week"))
    if not sent.ok:
        return _change_page(
            request,
            session,
            client,
            appointment_id,
            errors=sent.errors,
            reason=reason,
            week=week,
            status_code=400,
        )
    form = sent.valid()
    # A time no longer there (withdrawn, or never offered to this client) is not "taken by
    # someone else": only a time someone has just booked is.
    wanted = session.get(AvailabilitySlot, form.slot)
    withdrawn = wanted is None or wanted.appointment_id is None
    # A time that has gone by, or is now too close to choose (a page or an offline queue
    # from yesterday): said as "that time has gone", never booked.
    past = wanted is not None and wanted.starts_at < utcnow() + service.EARLIEST_OFFER
    outcome = service.choose_slot(
        session=session,
        profile=client.profile,
        appointment=appointment,
        slot_id=form.slot,
        reason=form.reason,
        actor_user_id=client.user.id,
        actor_role=client.actor_role,
        confirmed=form.confirmed,
    )
    if outcome == service.Outcome.gone:
        # Someone else took that time first: fresh choices, and the reason they gave is kept.
        return _change_page(
            request,
            session,
            client,
            appointment_id,
            errors=FormErrors(),
            reason=reason,
            week=week,
            gone="past" if past else ("withdrawn" if withdrawn else "taken"),
            status_code=409,
        )
    if outcome == service.Outcome.check:
        assert wanted is not None
        # A page of its own, answering this post (not a redirect): a choice sent later by the
        # phone's offline queue then comes back to the client to look at, not counted as done.
        view = present(session, appointment)
        own = view.own_place
        return render(
            request,
            "appointments/change-confirm.html",
            {
                "view": view,
                "time": present_slots(
                    session, [wanted], own_place=own, minutes=appointment.duration_minutes
                )[0],
                "differences": service.differences(appointment, wanted, own_place=own),
                "confirmation": service.confirmation(appointment, wanted, own_place=own),
                "reason": form.reason,
                "week": week,
            },
        )
    return RedirectResponse(
        f"/appointments/{appointment_id}/changed?outcome={outcome.value}", status_code=303
    )


@router.get("/appointments/{appointment_id}/changed", response_class=HTMLResponse)
def appointment_changed(
    request: Request,
    appointment_id: RecordId,
    client: CurrentClient,
    session: SessionDep,
    outcome: str = "confirmed",
) -> Response:
    """After a change: "we have asked your adviser" while a request for this appointment is
    open, "your new time" when its latest change is a move made in the last hour; otherwise
    (a typed, stale or bookmarked link) the appointment itself. The address only says which
    page to prefer: what is said comes from the appointment's state."""
    appointment = _own(session, client, appointment_id)
    assert client.profile.id is not None and appointment.id is not None
    asked = any(
        request_.kind == RequestKind.change and request_.appointment_id == appointment.id
        for request_ in repository.open_requests_for_client(
            session=session, client_id=client.profile.id
        )
    )
    latest = appointments.latest_change(session=session, appointment_id=appointment.id)
    moved = (
        latest is not None
        and latest.change == ChangeKind.moved
        and latest.changed_at >= utcnow() - NEW_TIME_SHOWN_FOR
    )
    requested = outcome == "requested" and asked
    if not (requested or moved):
        return RedirectResponse(f"/appointments/{appointment.id}", status_code=303)
    return render(
        request,
        "appointments/changed.html",
        {"view": present(session, appointment), "requested": requested},
    )


@router.post("/not-well-enough")
def not_well_enough(
    client: CurrentClientAsking,
    session: SessionDep,
    sent: Annotated[Posted[NotWellEnoughForm], posted(NotWellEnoughForm)],
) -> Response:
    """ "Not well enough" is never lost: about one of the client's booked appointments, or in
    general when the id is garbled, or names an appointment that is over, cancelled or not
    theirs (a stale page or an offline queue; another client's is never touched)."""
    assert client.profile.id is not None
    chosen = sent.form.appointment_id if sent.form else None
    found = (
        appointments.for_client(session=session, client_id=client.profile.id, appointment_id=chosen)
        if chosen
        else None
    )
    appointment = found if found and found.status == AppointmentStatus.booked else None
    service.not_well_enough(
        session=session,
        profile=client.profile,
        appointment=appointment,
        actor_user_id=client.user.id,
        actor_role=client.actor_role,
    )
    return RedirectResponse("/not-well-enough/thank-you", status_code=303)


@router.get("/not-well-enough/thank-you", response_class=HTMLResponse)
def not_well_enough_thank_you(
    request: Request, client: CurrentClient, session: SessionDep
) -> Response:
    """ "We have let your adviser know", said only while it is true: the client's "not well
    enough" is open for their adviser. Anyone else (a link sent to them, a request answered
    since) goes home, where what stands is said."""
    assert client.profile.id is not None
    asked = any(
        request_.kind == RequestKind.not_well
        for request_ in repository.open_requests_for_client(
            session=session, client_id=client.profile.id
        )
    )
    if not asked:
        return RedirectResponse("/home", status_code=303)
    return render(request, "appointments/not-well.html")


@router.get("/your-times", response_class=HTMLResponse)
def your_times(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    return _times_page(request, session, client, FormErrors(), {})


def _times_page(
    request: Request,
    session: SessionDep,
    client: CurrentClientSelf,
    errors: FormErrors,
    form: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    assert client.profile.id is not None
    return render(
        request,
        "appointments/your-times.html",
        {
            "busy_times": repository.busy_times(session=session, client_id=client.profile.id),
            "prefs": repository.preferences(session=session, client_id=client.profile.id),
            "clashes": service.clashing_appointments(session=session, client_id=client.profile.id),
            "before_hours": NOT_BEFORE_HOURS,
            "after_hours": NOT_AFTER_HOURS,
            "errors": errors,
            "form": form,
        },
        status_code=status_code,
    )


@router.post("/your-times/preferences")
def save_preferences(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[PreferencesForm], posted(PreferencesForm)],
) -> Response:
    assert client.profile.id is not None
    if not sent.ok:  # nothing changes: the earlier choice stands
        return _times_page(request, session, client, sent.errors, sent.values, status_code=400)
    form = sent.valid()
    prefs = repository.preferences(session=session, client_id=client.profile.id) or TimePreference(
        client_id=client.profile.id
    )
    prefs.not_before = form.not_before
    prefs.not_after = form.not_after
    prefs.avoid_weekdays = "".join(str(day) for day in sorted(set(form.avoid)))
    session.add(prefs)
    return redirect_saying(request, "/your-times", {"saved": "times"})


@router.post("/your-times/busy", response_class=HTMLResponse)
def add_busy_time(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[BusyTimeForm], posted(BusyTimeForm)],
) -> Response:
    if not sent.ok:
        return _times_page(request, session, client, sent.errors, sent.values, status_code=400)
    form = sent.valid()
    assert client.profile.id is not None
    session.add(
        BusyTime(
            client_id=client.profile.id,
            label=form.label,
            weekday=form.weekday if form.repeat == "weekly" else None,
            on_date=form.once_on() if form.repeat == "once" else None,
            starts=form.starts,
            ends=form.ends,
        )
    )
    return redirect_saying(request, "/your-times", {"saved": "busy"})


@router.post("/your-times/busy/{busy_id}/remove")
def remove_busy_time(
    request: Request, busy_id: RecordId, client: CurrentClientSelf, session: SessionDep
) -> Response:
    busy = session.get(BusyTime, busy_id)
    if busy is None or busy.client_id != client.profile.id:
        raise HTTPException(status_code=404)
    session.delete(busy)
    return redirect_saying(request, "/your-times", {"saved": "removed"})
