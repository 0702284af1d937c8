"""The adviser's side of appointments: publishing free times and booking a client's interviews."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select
from starlette.datastructures import FormData

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
from app.appointments.order import window
from app.audit.service import record
from app.caseload.answered import already_answered_page
from app.caseload.forms import (
    AvailabilityForm,
    BookForm,
    OfferForm,
    OutcomeForm,
)
from app.caseload.order_words import out_of_order_message
from app.caseload.timeline import record_offer
from app.caseload.times_finder import find_week, next_wfi_number, usual_place
from app.caseload.views import client_record_page
from app.core.clock import london_datetime, utcnow
from app.core.db import SessionDep
from app.core.done_links import done_url, done_values, redirect_saying, whole_number
from app.core.formatting import human_datetime
from app.core.forms import FormErrors, Posted, chosen, posted
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.offices.calendar import closed_day_message, is_open
from app.offices.models import Office, Venue
from app.people.models import ClaimantType, Role
from app.reminders.planner import tell_times_offered
from app.rescheduling.service import EARLIEST_OFFER, may_choose, suits

router = APIRouter(prefix="/adviser")


def _availability_page(
    request: Request,
    session: SessionDep,
    adviser: CurrentAdviser,
    errors: FormErrors,
    form: dict[str, Any],
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
            "published": whole_number(
                done_values(
                    request.query_params, path=request.url.path, user_id=adviser.user.id
                ).get("published", "")
            ),
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
    sent: Annotated[Posted[AvailabilityForm], posted(AvailabilityForm)],
) -> Response:
    venue = session.get(Venue, sent.form.venue_id) if sent.form else None
    if sent.form and (venue is None or venue.office_id != adviser.adviser.office_id):
        sent.errors.add("venue_id", _("Choose where the appointment happens"))
    office = session.get(Office, adviser.adviser.office_id)
    closed = closed_day_message(office, sent.form.day if sent.form else None)
    if closed:
        sent.errors.add("day", closed)
    if sent.ok:
        first = sent.valid()
        clash = availability.overlapping(
            session,
            adviser.adviser.id or 0,
            london_datetime(first.day, first.starts.hour, first.starts.minute, fold=first.fold),
            first.duration,
        )
        if clash is not None:
            sent.errors.add(
                "starts",
                _("That overlaps a free time you already have: %(when)s, %(minutes)s minutes")
                % {"when": human_datetime(clash.starts_at), "minutes": clash.duration_minutes},
            )
    if not sent.ok:
        return _availability_page(
            request, session, adviser, sent.errors, sent.values, status_code=400
        )
    form = sent.valid()
    assert venue is not None and adviser.adviser.id is not None
    mode = {"phone": AppointmentMode.phone, "home": AppointmentMode.home_visit}.get(
        venue.kind, AppointmentMode.in_person
    )
    published = availability.publish(
        session=session,
        adviser_id=adviser.adviser.id,
        day=form.day,
        hour=form.starts.hour,
        minute=form.starts.minute,
        duration_minutes=form.duration,
        mode=mode,
        venue_id=venue.id,
        repeat_weeks=form.repeat,
        fold=form.fold,
        open_on=(lambda day: is_open(office, day)) if office else (lambda _day: True),
        skip_overlaps=True,
    )
    # Said on the page it returns to: a free time added, or none (every day asked for was
    # one the office is closed).
    return RedirectResponse(
        done_url("/adviser/availability", {"published": len(published)}, user_id=adviser.user.id),
        status_code=303,
    )


@router.post("/clients/{client_id}/book", response_class=HTMLResponse)
def book_for_client(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[BookForm], posted(BookForm)],
) -> Response:
    """Book a chosen free slot for a client on this adviser's caseload."""
    adviser, client_id = client.adviser, client.id
    assert adviser.adviser.id is not None
    if sent.ok and (number := sent.valid().wfi_number):
        # One interview per number: a second "interview 3 of 6" would count twice.
        already = next(
            (
                a
                for a in repository.all_for_client(session=session, client_id=client_id)
                if a.wfi_number == number
                and a.status in (AppointmentStatus.booked, AppointmentStatus.attended)
            ),
            None,
        )
        if already is not None and already.status == AppointmentStatus.attended:
            # Not "already booked": it has happened, and nothing can move it now.
            sent.errors.add(
                "wfi_number",
                _("Interview %(n)s of 6 took place on %(when)s. Choose another number.")
                % {"n": number, "when": human_datetime(already.starts_at)},
            )
        elif already is not None:
            sent.errors.add(
                "wfi_number",
                _(
                    "Interview %(n)s of 6 is already booked for %(when)s. Move or cancel that one first, or choose another number."
                )
                % {"n": number, "when": human_datetime(already.starts_at)},
            )
    chosen_slot = session.get(AvailabilitySlot, sent.form.slot) if sent.form else None
    if sent.ok and chosen_slot is not None:
        keeps_order = window(session=session, client_id=client_id, number=sent.valid().wfi_number)
        if not keeps_order.allows(chosen_slot.starts_at, chosen_slot.duration_minutes):
            sent.errors.add("wfi_number", out_of_order_message(keeps_order))
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    form = sent.valid()
    if chosen_slot is None:
        return redirect_saying(request, f"/adviser/clients/{client_id}", {"booked": "no"})
    if chosen_slot.starts_at < utcnow() + EARLIEST_OFFER:
        # The programme's notice, as on every list: a time posted from an old page is too soon.
        return redirect_saying(request, f"/adviser/clients/{client_id}", {"booked": "soon"})
    if not suits(
        session=session, client_id=client_id, start=chosen_slot.starts_at, end=chosen_slot.ends_at
    ):
        # Only times that suit the client are listed; one posted from elsewhere is checked too.
        return redirect_saying(request, f"/adviser/clients/{client_id}", {"booked": "clash"})
    try:
        appointment = book_slot(
            session=session,
            slot=chosen_slot,
            client_id=client_id,
            kind=AppointmentKind.wfi if form.wfi_number else AppointmentKind.review,
            wfi_number=form.wfi_number,
            actor_user_id=adviser.user.id,
            actor_role=Role.adviser,
        )
    except SlotNotForThisClient:
        return redirect_saying(request, f"/adviser/clients/{client_id}", {"booked": "no"})
    except SlotTaken:
        return redirect_saying(request, f"/adviser/clients/{client_id}", {"booked": "taken"})
    record(
        session=session,
        action="appointment.booked",
        actor_role=Role.adviser,
        actor_user_id=adviser.user.id,
        client_id=client_id,
        detail={"appointment_id": appointment.id},
    )
    return RedirectResponse(
        done_url(
            f"/adviser/clients/{client_id}",
            {"appointment": str(appointment.id), "booked": "yes"},
            user_id=adviser.user.id,
        ),
        status_code=303,
    )


@router.post("/clients/{client_id}/appointments/{appointment_id}/outcome")
def record_appointment_outcome(
    request: Request,
    client: CurrentCaseloadClient,
    appointment_id: RecordId,
    session: SessionDep,
    sent: Annotated[Posted[OutcomeForm], posted(OutcomeForm)],
) -> Response:
    """'They came' or 'They did not come', once the time has passed; recorded once (a second
    answer from an old tab gets the kind page saying what was recorded)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.client_id != client.id:
        raise HTTPException(status_code=404)
    if appointment.status in (AppointmentStatus.attended, AppointmentStatus.missed):
        return already_answered_page(
            request,
            client_id=client.id,
            stale="outcome-recorded",
            status=appointment.status,
            anchor="#appointments",
        )
    if appointment.status != AppointmentStatus.booked or appointment.starts_at > utcnow():
        raise HTTPException(status_code=404)
    outcome = chosen(sent).outcome
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
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[OfferForm], posted(OfferForm)],
) -> Response:
    """Keep chosen free times for one client: only they are offered them, and they are told.
    With none ticked, the record again with that said (not "none of those times could be
    offered", which blamed the times)."""
    adviser, client_id = client.adviser, client.id
    assert adviser.adviser.id is not None
    if sent.ok and not sent.valid().slots:
        sent.errors.add("slots", _("Choose at least one time to offer"))
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    offered = sent.valid().slots
    slots = [
        slot
        for slot in repository.free_slots_by_id(
            session=session, adviser_id=adviser.adviser.id, ids=offered
        )
        # Only a time the client could choose: never one within a day, gone, or that breaks
        # their times (they would be told of it, then refused it).
        if may_choose(session=session, profile=client.profile, slot=slot)
    ]
    for slot in slots:
        slot.offered_to_client_id = client_id
        session.add(slot)
    if slots:
        tell_times_offered(session, client.profile)
        record_offer(session=session, client_id=client_id, slots=slots, adviser_user=adviser.user)
    return RedirectResponse(
        done_url(f"/adviser/clients/{client_id}", {"offered": len(slots)}, user_id=adviser.user.id),
        status_code=303,
    )


@router.get("/clients/{client_id}/times", response_class=HTMLResponse)
def client_times(request: Request, client: CurrentCaseloadClient, session: SessionDep) -> Response:
    """Every free time of the adviser's in a chosen week at a chosen place that suits the
    client, however far ahead, to offer or book (`?day=2026-12-21&where=3`; `where` is a
    venue's id, "phone" or "any"; by default the place the client usually meets them). A date
    or place that will not do: this page again, 400."""
    record(
        session=session,
        action="client_record.viewed",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
    )
    found = find_week(
        session,
        client,
        FormData(list(request.query_params.multi_items())),
        default_where=usual_place(session, client.id),
    )
    context: dict[str, Any] = {
        "profile": client.profile,
        "client_user": client.user,
        **found.context,
        "wfi_count": 6 if client.profile.claimant_type == ClaimantType.mandatory else 0,
        "next_wfi": next_wfi_number(session, client.profile),
    }
    return render(
        request, "adviser/client-times.html", context, status_code=200 if found.ok else 400
    )
