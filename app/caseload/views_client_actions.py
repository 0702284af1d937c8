"""What an adviser does on a client's record: pause and resume, job start, help requests,
services, the referral summary, private notes. Every route finds the client through
CurrentCaseloadClient, so another caseload's client is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.caseload import CurrentCaseloadClient
from app.action_plans.service import plan_for, steps_of
from app.appointments.models import Appointment, AppointmentStatus, HelpKind, HelpRequest
from app.audit.service import record
from app.caseload import deferral, repository
from app.caseload.answered import already_answered_page
from app.caseload.forms import (
    DeferForm,
    HelpAnswerForm,
    JobStartForm,
    NoteForm,
    ServiceForm,
    ServiceUpdateForm,
)
from app.caseload.job_start import record_job_start
from app.caseload.models import ClientService, PrivateNote
from app.caseload.needs import needs_for
from app.caseload.views import client_record_page
from app.core.clock import london_today, utcnow
from app.core.db import SessionDep
from app.core.done_links import done_url, redirect_saying
from app.core.forms import Posted, chosen, posted
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.offices.calendar import closed_day_message
from app.offices.models import Office
from app.people.models import Role
from app.reminders.planner import plan_referral_ended, tell_about_appointment
from app.reminders.wording import PLACE_ARRANGED

router = APIRouter(prefix="/adviser/clients/{client_id}")


def _back(client: CurrentCaseloadClient, query: str = "", anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/adviser/clients/{client.id}{query}{anchor}", status_code=303)


@router.post("/defer", response_class=HTMLResponse)
def defer_client(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[DeferForm], posted(DeferForm)],
) -> Response:
    """Pause a client's interviews until a review date (a day the office is open)."""
    office = session.get(Office, client.adviser.adviser.office_id)
    closed = closed_day_message(office, sent.form.review_on if sent.form else None)
    if closed:
        sent.errors.add("review_on", closed)
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    form = sent.valid()
    were_booked = deferral.defer(
        session=session,
        profile=client.profile,
        review_on=form.review_on,
        reason=form.reason,
        adviser_user=client.adviser.user,
    )
    return RedirectResponse(
        done_url(
            f"/adviser/clients/{client.id}",
            {"were_booked": were_booked, "deferred": "yes"},
            user_id=client.adviser.user.id,
        ),
        status_code=303,
    )


@router.post("/resume")
def resume_client(client: CurrentCaseloadClient, session: SessionDep) -> Response:
    deferral.resume(session=session, profile=client.profile, adviser_user=client.adviser.user)
    return _back(client)


@router.post("/notes", response_class=HTMLResponse)
def add_private_note(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[NoteForm], posted(NoteForm)],
) -> Response:
    """The adviser's own note: never part of the plan, never shown to the client."""
    assert client.adviser.adviser.id is not None
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    session.add(
        PrivateNote(
            client_id=client.id, adviser_id=client.adviser.adviser.id, body=sent.valid().body
        )
    )
    return _back(client, anchor="#private-notes")


@router.post("/job-start", response_class=HTMLResponse)
def job_start(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[JobStartForm], posted(JobStartForm)],
) -> Response:
    """Record that the client has started work (the date and hours a week)."""
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    form = sent.valid()
    record_job_start(
        session=session,
        profile=client.profile,
        started_on=form.started_on,
        hours=form.hours,
        actor_user=client.adviser.user,
    )
    return redirect_saying(
        request, f"/adviser/clients/{client.id}", {"job": "yes"}, anchor="job-start"
    )


@router.post("/help/{help_id}", response_class=HTMLResponse)
def answer_help(
    request: Request,
    client: CurrentCaseloadClient,
    help_id: RecordId,
    session: SessionDep,
    sent: Annotated[Posted[HelpAnswerForm], posted(HelpAnswerForm)],
) -> Response:
    """Arranged (with what was arranged, which the client reads on the appointment), or 'I will
    talk to you about this': the client sees the answer by the request."""
    help_request = session.get(HelpRequest, help_id)
    appointment = session.get(Appointment, help_request.appointment_id) if help_request else None
    if help_request is not None and (appointment is None or appointment.client_id != client.id):
        raise HTTPException(status_code=404)  # another client's: as if it did not exist
    if (
        help_request is None
        or appointment is None
        or appointment.status != AppointmentStatus.booked
    ):
        # Taken back by the client (their needs changed), or the appointment is over or
        # cancelled, since the adviser's page was drawn: nothing to answer now.
        return already_answered_page(
            request, client_id=client.id, stale="help-gone", anchor="#needs"
        )
    if help_request.status != "asked":
        return already_answered_page(
            request,
            client_id=client.id,
            stale="help-answered",
            status=help_request.status,
            answered_at=help_request.answered_at,
            note=help_request.arranged_note,
            anchor="#needs",
        )
    if (
        sent.ok
        and help_request.kind == HelpKind.home_or_community
        and sent.valid().answer == "arranged"
        and not sent.valid().arranged_note
    ):
        # The client goes wherever this says: "arranged" with no place would leave them none.
        sent.errors.add("arranged_note", _("Write where you will meet the client"))
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    form = sent.valid()
    help_request.status = form.answer
    help_request.arranged_note = (form.arranged_note or None) if form.answer == "arranged" else None
    help_request.answered_at = utcnow()
    session.add(help_request)
    if help_request.kind == HelpKind.home_or_community and help_request.arranged_note:
        # Where to go has changed: no silent change, and not on a lock screen either.
        tell_about_appointment(session, client.profile, appointment, PLACE_ARRANGED)
    return _back(client, anchor="#needs")


@router.post("/services", response_class=HTMLResponse)
def add_service(
    request: Request,
    client: CurrentCaseloadClient,
    session: SessionDep,
    sent: Annotated[Posted[ServiceForm], posted(ServiceForm)],
) -> Response:
    """Record a service the client uses or is waiting for."""
    if not sent.ok:
        return client_record_page(request, session, client, sent)
    form = sent.valid()
    session.add(
        ClientService(
            client_id=client.id,
            kind=form.kind,
            started_by=form.started_by,
            expected_wait_weeks=form.expected_wait_weeks,
            started_on=london_today(),
        )
    )
    return _back(client, anchor="#services")


@router.post("/services/{service_id}")
def update_service(
    client: CurrentCaseloadClient,
    service_id: RecordId,
    session: SessionDep,
    sent: Annotated[Posted[ServiceUpdateForm], posted(ServiceUpdateForm)],
) -> Response:
    """Started, ended, or followed up after it ended."""
    service = session.get(ClientService, service_id)
    if service is None or service.client_id != client.id:
        raise HTTPException(status_code=404)
    action = chosen(sent).action
    if action == "active":
        service.status = "active"
    elif action == "ended":
        if service.status != "ended":
            assert service.id is not None
            plan_referral_ended(session, client.profile, service.id)
        service.status, service.ended_on = "ended", london_today()
    else:  # followed up
        service.followed_up = True
    session.add(service)
    return _back(client, anchor="#services")


@router.post("/summary-consent")
def record_summary_consent(client: CurrentCaseloadClient, session: SessionDep) -> Response:
    """The client agreed today that a summary of their plan and services may go with a referral."""
    client.profile.summary_consent_on = london_today()
    session.add(client.profile)
    record(
        session=session,
        action="client.summary_consent",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
    )
    return RedirectResponse(f"/adviser/clients/{client.id}/referral-summary", status_code=303)


@router.get("/referral-summary", response_class=HTMLResponse)
def referral_summary(
    request: Request, client: CurrentCaseloadClient, session: SessionDep
) -> HTMLResponse:
    """A printable summary to send with a referral, so the client need not tell it all again."""
    record(
        session=session,
        action="client_record.viewed",
        actor_role=Role.adviser,
        actor_user_id=client.adviser.user.id,
        client_id=client.id,
        detail={"page": "referral-summary"},
    )
    plan = plan_for(session=session, client_id=client.id)
    assert plan.id is not None
    return render(
        request,
        "adviser/referral-summary.html",
        {
            "profile": client.profile,
            "client_user": client.user,
            "steps": [s for s in steps_of(session=session, plan_id=plan.id) if s.state == "active"],
            "services": repository.services_for(session=session, client_id=client.id),
            "needs": needs_for(session=session, profile=client.profile),
        },
    )
