"""The adviser's side of appointments: publishing free times and booking a client's interviews."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.caseload import CurrentCaseloadClient
from app.accounts.dependencies import CurrentAdviser
from app.appointments import availability, repository
from app.appointments.booking import SlotNotForThisClient, SlotTaken, book_slot, record_outcome
from app.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
)
from app.audit.service import record
from app.core.clock import utcnow
from app.core.db import SessionDep
from app.core.forms import FormErrors
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.offices.models import Venue
from app.people.models import Role
from app.reminders.planner import tell_client
from app.reminders.wording import TIMES_OFFERED

router = APIRouter(prefix="/adviser")


def _availability_page(
    request: Request,
    session: SessionDep,
    adviser: CurrentAdviser,
    errors: FormErrors,
    form: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    slots = session.exec(
        select(AvailabilitySlot)
        .where(
            AvailabilitySlot.adviser_id == adviser.adviser.id,
            col(AvailabilitySlot.starts_at) >= utcnow(),
        )
        .order_by(col(AvailabilitySlot.starts_at))
        .limit(60)
    ).all()
    venues = session.exec(select(Venue).where(Venue.office_id == adviser.adviser.office_id)).all()
    return render(
        request,
        "adviser/availability.html",
        {
            "slots": slots,
            "venues": venues,
            "errors": errors,
            "form": form,
        },
        status_code=status_code,
    )


@router.get("/availability", response_class=HTMLResponse)
def adviser_availability(
    request: Request, adviser: CurrentAdviser, session: SessionDep
) -> HTMLResponse:
    return _availability_page(
        request, session, adviser, FormErrors(), {"duration": "60", "repeat": "1"}
    )


@router.post("/availability", response_class=HTMLResponse)
def adviser_availability_post(
    request: Request,
    adviser: CurrentAdviser,
    session: SessionDep,
    day: Annotated[str, Form()] = "",
    starts: Annotated[str, Form()] = "",
    duration: Annotated[str, Form()] = "60",
    venue_id: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "1",
) -> Response:
    form = {
        "day": day,
        "starts": starts,
        "duration": duration,
        "venue_id": venue_id,
        "repeat": repeat,
    }
    errors = FormErrors()
    try:
        on = date.fromisoformat(day)
    except ValueError:
        errors.add("day", _("Enter the date, like 2026-12-01"))
    try:
        at = time.fromisoformat(starts)
    except ValueError:
        errors.add("starts", _("Enter the start time, like 14:30"))
    venue = session.get(Venue, int(venue_id)) if venue_id.isdigit() else None
    if venue is None or venue.office_id != adviser.adviser.office_id:
        errors.add("venue_id", _("Choose where the appointment happens"))
    if not duration.isdigit() or not 15 <= int(duration) <= 120:
        errors.add("duration", _("Enter a length between 15 and 120 minutes"))
    if errors:
        return _availability_page(request, session, adviser, errors, form, status_code=400)
    assert venue is not None and adviser.adviser.id is not None
    mode = {"phone": AppointmentMode.phone, "home": AppointmentMode.home_visit}.get(
        venue.kind, AppointmentMode.in_person
    )
    availability.publish(
        session=session,
        adviser_id=adviser.adviser.id,
        day=on,
        hour=at.hour,
        minute=at.minute,
        duration_minutes=int(duration),
        mode=mode,
        venue_id=venue.id,
        repeat_weeks=int(repeat) if repeat.isdigit() else 1,
    )
    return RedirectResponse("/adviser/availability", status_code=303)


@router.post("/clients/{client_id}/book")
def book_for_client(
    client: CurrentCaseloadClient,
    session: SessionDep,
    slot: Annotated[str, Form()] = "",
    wfi_number: Annotated[str, Form()] = "",
) -> Response:
    """Book a chosen free slot for a client on this adviser's caseload."""
    adviser, client_id = client.adviser, client.id
    assert adviser.adviser.id is not None
    chosen = session.get(AvailabilitySlot, int(slot)) if slot.isdigit() else None
    if chosen is None:
        return RedirectResponse(f"/adviser/clients/{client_id}?booked=no", status_code=303)
    number = int(wfi_number) if wfi_number.isdigit() and 1 <= int(wfi_number) <= 6 else None
    try:
        appointment = book_slot(
            session=session,
            slot=chosen,
            client_id=client_id,
            kind=AppointmentKind.wfi if number else AppointmentKind.review,
            wfi_number=number,
            actor_user_id=adviser.user.id,
            actor_role=Role.adviser,
        )
    except SlotNotForThisClient:
        return RedirectResponse(f"/adviser/clients/{client_id}?booked=no", status_code=303)
    except SlotTaken:
        return RedirectResponse(f"/adviser/clients/{client_id}?booked=taken", status_code=303)
    record(
        session=session,
        action="appointment.booked",
        actor_role=Role.adviser,
        actor_user_id=adviser.user.id,
        client_id=client_id,
        detail={"appointment_id": appointment.id},
    )
    return RedirectResponse(f"/adviser/clients/{client_id}?booked=yes", status_code=303)


@router.post("/clients/{client_id}/appointments/{appointment_id}/outcome")
def record_appointment_outcome(
    client: CurrentCaseloadClient,
    appointment_id: RecordId,
    session: SessionDep,
    outcome: Annotated[str, Form()] = "",
) -> Response:
    """'They came' or 'They did not come', once the time has passed."""
    appointment = session.get(Appointment, appointment_id)
    if (
        appointment is None
        or appointment.client_id != client.id
        or appointment.status != AppointmentStatus.booked
        or appointment.starts_at > utcnow()
        or outcome not in ("attended", "missed")
    ):
        raise HTTPException(status_code=404)
    record_outcome(
        session=session,
        appointment=appointment,
        attended=outcome == "attended",
        actor_user_id=client.adviser.user.id,
    )
    record(
        session=session,
        action=f"appointment.{outcome}",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
        detail={"appointment_id": appointment_id},
    )
    return RedirectResponse(f"/adviser/clients/{client.id}#appointments", status_code=303)


@router.post("/clients/{client_id}/offer")
def offer_times(
    client: CurrentCaseloadClient,
    session: SessionDep,
    slots: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
) -> Response:
    """Keep chosen free times for one client: only they are offered them, and they are told."""
    adviser, client_id = client.adviser, client.id
    assert adviser.adviser.id is not None
    chosen = repository.free_slots_by_id(session=session, adviser_id=adviser.adviser.id, ids=slots)
    for slot in chosen:
        slot.offered_to_client_id = client_id
        session.add(slot)
    if chosen:
        tell_client(session, client.profile, TIMES_OFFERED)
    return RedirectResponse(f"/adviser/clients/{client_id}?offered={len(chosen)}", status_code=303)
