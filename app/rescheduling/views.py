"""Changing an appointment, "I'm not well enough right now", and the client's time needs."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import CurrentClient, CurrentClientAsking, CurrentClientSelf
from app.appointments import repository as appointments
from app.appointments.models import Appointment, AppointmentStatus
from app.appointments.presenting import present
from app.core.db import SessionDep
from app.core.forms import FormErrors, check_length, column_limit
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.rescheduling import repository, service
from app.rescheduling.models import BusyTime, TimePreference

router = APIRouter()


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


def _change_page(
    request: Request,
    session: SessionDep,
    client: CurrentClient,
    appointment_id: RecordId,
    *,
    errors: FormErrors,
    reason: str | None = None,
    gone: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    appointment = _own(session, client, appointment_id)
    choices = service.alternative_slots(
        session=session, profile=client.profile, appointment=appointment
    )
    return render(
        request,
        "appointments/change.html",
        {
            "view": present(session, appointment),
            "choices": choices,
            "errors": errors,
            "reason": reason,
            "gone": gone,
            "reasons": service.REASONS,
        },
        status_code=status_code,
    )


@router.get("/appointments/{appointment_id}/change", response_class=HTMLResponse)
def change_appointment(
    request: Request, appointment_id: RecordId, client: CurrentClientAsking, session: SessionDep
) -> HTMLResponse:
    return _change_page(request, session, client, appointment_id, errors=FormErrors())


@router.post("/appointments/{appointment_id}/change", response_class=HTMLResponse)
def change_appointment_post(
    request: Request,
    appointment_id: RecordId,
    client: CurrentClientAsking,
    session: SessionDep,
    slot: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    appointment = _own(session, client, appointment_id)
    if not slot.isdigit():
        errors = FormErrors()
        errors.add("slot", _("Choose a new time"))
        return _change_page(
            request, session, client, appointment_id, errors=errors, reason=reason, status_code=400
        )
    outcome = service.choose_slot(
        session=session,
        profile=client.profile,
        appointment=appointment,
        slot_id=int(slot),
        reason=reason or None,
        actor_user_id=client.user.id,
        actor_role=client.actor_role,
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
            gone=True,
            status_code=409,
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
) -> HTMLResponse:
    appointment = _own(session, client, appointment_id)
    return render(
        request,
        "appointments/changed.html",
        {
            "view": present(session, appointment),
            "requested": outcome == "requested",
        },
    )


@router.post("/not-well-enough")
def not_well_enough(
    client: CurrentClientAsking, session: SessionDep, appointment_id: Annotated[str, Form()] = ""
) -> Response:
    appointment = _own(session, client, int(appointment_id)) if appointment_id.isdigit() else None
    service.not_well_enough(
        session=session,
        profile=client.profile,
        appointment=appointment,
        actor_user_id=client.user.id,
        actor_role=client.actor_role,
    )
    return RedirectResponse("/not-well-enough/thank-you", status_code=303)


@router.get("/not-well-enough/thank-you", response_class=HTMLResponse)
def not_well_enough_thank_you(request: Request, client: CurrentClient) -> HTMLResponse:
    return render(request, "appointments/not-well.html")


@router.get("/your-times", response_class=HTMLResponse)
def your_times(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    return _times_page(request, session, client, FormErrors(), {})


def _times_page(
    request: Request,
    session: SessionDep,
    client: CurrentClientSelf,
    errors: FormErrors,
    form: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    assert client.profile.id is not None
    return render(
        request,
        "appointments/your-times.html",
        {
            "busy_times": repository.busy_times(session=session, client_id=client.profile.id),
            "prefs": repository.preferences(session=session, client_id=client.profile.id),
            "errors": errors,
            "form": form,
        },
        status_code=status_code,
    )


def _parse_time(value: str) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.post("/your-times/preferences")
def save_preferences(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    not_before: Annotated[str, Form()] = "",
    not_after: Annotated[str, Form()] = "",
    avoid: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    assert client.profile.id is not None
    prefs = repository.preferences(session=session, client_id=client.profile.id) or TimePreference(
        client_id=client.profile.id
    )
    errors = FormErrors()
    for name, value in (("not_before", not_before), ("not_after", not_after)):
        if value and _parse_time(value) is None:
            errors.add(name, _("Choose a time from the list"))
    if errors:  # nothing changes: the earlier choice stands
        return _times_page(request, session, client, errors, {}, status_code=400)
    prefs.not_before = _parse_time(not_before)
    prefs.not_after = _parse_time(not_after)
    prefs.avoid_weekdays = "".join(sorted({d for d in avoid if d in "01234"}))
    session.add(prefs)
    return RedirectResponse("/your-times?saved=1", status_code=303)


@router.post("/your-times/busy", response_class=HTMLResponse)
def add_busy_time(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    label: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "weekly",
    weekday: Annotated[str, Form()] = "",
    on_date: Annotated[str, Form()] = "",
    starts: Annotated[str, Form()] = "",
    ends: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "label": label,
        "repeat": repeat,
        "weekday": weekday,
        "on_date": on_date,
        "starts": starts,
        "ends": ends,
    }
    errors = FormErrors()
    start_time, end_time = _parse_time(starts), _parse_time(ends)
    day: date | None = None
    if repeat == "weekly" and weekday not in {"0", "1", "2", "3", "4", "5", "6"}:
        errors.add("weekday", _("Choose the day"))
    if repeat == "once":
        try:
            day = date.fromisoformat(on_date)
        except ValueError:
            errors.add("on_date", _("Enter the date, like 2026-12-01"))
    check_length(errors, "label", label, column_limit(BusyTime, "label"))
    if start_time is None:
        errors.add("starts", _("Enter the start time, like 10:00"))
    if end_time is None:
        errors.add("ends", _("Enter the end time, like 11:00"))
    elif start_time is not None and end_time <= start_time:
        errors.add("ends", _("The end time must be after the start time"))
    if errors:
        return _times_page(request, session, client, errors, form, status_code=400)
    assert client.profile.id is not None and start_time and end_time
    session.add(
        BusyTime(
            client_id=client.profile.id,
            label=label.strip(),
            weekday=int(weekday) if repeat == "weekly" else None,
            on_date=day if repeat == "once" else None,
            starts=start_time,
            ends=end_time,
        )
    )
    return RedirectResponse("/your-times?saved=1", status_code=303)


@router.post("/your-times/busy/{busy_id}/remove")
def remove_busy_time(busy_id: RecordId, client: CurrentClientSelf, session: SessionDep) -> Response:
    busy = session.get(BusyTime, busy_id)
    if busy is None or busy.client_id != client.profile.id:
        raise HTTPException(status_code=404)
    session.delete(busy)
    return RedirectResponse("/your-times", status_code=303)
