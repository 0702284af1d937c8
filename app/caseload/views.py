"""The adviser's workspace: caseload, a client's record (audited), adding a client."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.caseload import CurrentCaseloadClient, caseload_client
from app.accounts.dependencies import CurrentAdviser
from app.accounts.invitations import send_invitation
from app.accounts.repository import message_readers, user_by_phone
from app.appointments import repository as appointments
from app.appointments.models import Appointment, AvailabilitySlot
from app.appointments.presenting import present_slots
from app.appointments.wfi import proposed_dates
from app.audit.service import record
from app.caseload import deferral, repository
from app.caseload.answered import already_answered_page
from app.caseload.attention import attention_list
from app.caseload.attention_state import interviews_after_job_start, live_requests
from app.caseload.forms import AnswerRequestForm, NewClientForm
from app.caseload.job_start import RTWC_MIN_HOURS
from app.caseload.models import ServiceKind
from app.caseload.needs import needs_for
from app.caseload.record_prompts import appointment_places, done_banner, pause_defaults
from app.caseload.row_markup import rows_markup
from app.caseload.rows import FILTERS, FIRST_ORDER, ORDERS, SORTS, caseload_rows
from app.caseload.story import asked_about, steps_due, whats_next
from app.caseload.timeline import names_in, record_offer, story
from app.caseload.times_finder import next_wfi_number
from app.caseload.told import told
from app.core.clock import utcnow
from app.core.db import SessionDep
from app.core.done_links import done_url, done_values, redirect_saying, said
from app.core.forms import FormErrors, Posted, chosen, posted
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.delivery.models import NotificationKind
from app.messages import repository as message_repository
from app.messages import service as messages
from app.messages.check_ins import answers_for, waiting_answers
from app.messages.models import Author
from app.offices.calendar import next_open_day
from app.offices.models import Office
from app.people import repository as people_repository
from app.people.models import AdviserTask, ClaimantType, ClientProfile, ClientStatus, Role, User
from app.reminders.planner import client_subject
from app.rescheduling.decisions import AlreadyAnswered, Answer, TimeGone
from app.rescheduling.decisions import answer_request as answer_client_request
from app.rescheduling.models import RequestStatus, RescheduleRequest
from app.rescheduling.repository import open_requests_for_client
from app.rescheduling.service import bookable_slots, clashing_appointments, may_choose

router = APIRouter(prefix="/adviser")


@router.get("", response_class=HTMLResponse)
def caseload(
    request: Request,
    adviser: CurrentAdviser,
    session: SessionDep,
    q: str = "",
    show: str = "all",
    sort: str = SORTS[0],
    order: str = ORDERS[0],
) -> HTMLResponse:
    """The caseload: what needs attention, then every client, filtered, searched and sorted by
    the query string alone (no JavaScript). Unknown values fall back to the defaults."""
    assert adviser.adviser.id is not None
    show = show if show in FILTERS else "all"
    sort, order = (sort, order) if sort in SORTS else (SORTS[0], ORDERS[0])
    order = order if order in ORDERS else ORDERS[0]
    everyone = repository.caseload(session=session, adviser_id=adviser.adviser.id)
    attention = attention_list(session=session, adviser_id=adviser.adviser.id, caseload=everyone)
    return render(
        request,
        "adviser/caseload.html",
        {
            "rows": caseload_rows(
                session=session,
                adviser_id=adviser.adviser.id,
                caseload=everyone,
                attention=attention.client_ids,
                search=q,
                show=show,
                sort=sort,
                order=order,
            ),
            "q": q,
            "show": show,
            "sort": sort,
            "order": order,
            "filters": FILTERS,
            "first_order": FIRST_ORDER,
            "rows_markup": rows_markup,
            "tasks": attention.tasks,
            "requests": attention.requests,
            "book_requests": attention.book_requests,
            "items": attention.items,
            "closed": done_values(
                request.query_params, path="/adviser", user_id=adviser.user.id
            ).get("closed")
            == "1",
        },
    )


@router.get("/clients/new", response_class=HTMLResponse)
def new_client(request: Request, adviser: CurrentAdviser) -> HTMLResponse:
    return render(request, "adviser/new-client.html", {"errors": FormErrors(), "form": {}})


@router.post("/clients/new", response_class=HTMLResponse)
def new_client_post(
    request: Request,
    adviser: CurrentAdviser,
    session: SessionDep,
    sent: Annotated[Posted[NewClientForm], posted(NewClientForm)],
) -> Response:
    if sent.ok and user_by_phone(session=session, phone=sent.valid().phone):
        sent.errors.add("phone", _("Someone already uses this number. Check it with the client."))
    if not sent.ok:
        return render(
            request,
            "adviser/new-client.html",
            {"errors": sent.errors, "form": sent.values},
            status_code=400,
        )
    form = sent.valid()
    assert adviser.adviser.id is not None
    user = User(role=Role.client, full_name=form.full_name, phone=form.phone)
    session.add(user)
    session.flush()
    assert user.id is not None
    profile = ClientProfile(
        user_id=user.id,
        adviser_id=adviser.adviser.id,
        claimant_type=form.claimant_type,
        claim_date=form.claim_date,
        language=form.language,
    )
    session.add(profile)
    session.flush()
    send_invitation(session=session, user=user, created_by=adviser.user, language=profile.language)
    record(
        session=session,
        action="client.created",
        actor_role=Role.adviser,
        actor_user_id=adviser.user.id,
        client_id=profile.id,
    )
    return redirect_saying(request, f"/adviser/clients/{profile.id}", {"invited": 1})


@router.get("/clients/{client_id}", response_class=HTMLResponse)
def client_record(
    request: Request, client: CurrentCaseloadClient, session: SessionDep
) -> HTMLResponse:
    return client_record_page(request, session, client)


def _open_day_finder(session: SessionDep, adviser: CurrentAdviser) -> Callable[[date], date]:
    """The adviser's office's next open day from a date (suggestions avoid closed days)."""
    office = session.get(Office, adviser.adviser.office_id)
    return (lambda day: next_open_day(office, day)) if office else (lambda day: day)


def _wanted_times(session: SessionDep, requests: Sequence[RescheduleRequest]) -> dict[int, str]:
    """Request id -> the time the client chose, as every list of times says it (so "Accept
    the time they chose" says which)."""
    wanted = {
        request.id: slot
        for request in requests
        if request.id is not None
        and request.wanted_slot_id
        and (slot := session.get(AvailabilitySlot, request.wanted_slot_id)) is not None
    }
    views = present_slots(session, list(wanted.values()), for_adviser=True)
    return {request_id: view.label for request_id, view in zip(wanted, views, strict=True)}


def client_record_page(
    request: Request,
    session: SessionDep,
    client: CurrentCaseloadClient,
    sent: Posted[Any] | None = None,
) -> HTMLResponse:
    """The client's record; with `sent`, a form on it came back with errors (a 400 page with
    the errors summarised and what the adviser typed kept)."""
    profile, user, client_id, adviser = client.profile, client.user, client.id, client.adviser
    assert adviser.adviser.id is not None
    # Every adviser look at a client's record is written down, and the client can see it.
    record(
        session=session,
        action="client_record.viewed",
        actor_role=Role.adviser,
        actor_user_id=adviser.user.id,
        client_id=profile.id,
    )
    history = story(session=session, client_id=client_id)
    pause_reason = (
        deferral.current_reason(session=session, client_id=client_id)
        if profile.status == ClientStatus.paused
        else None
    )
    listed = appointments.all_for_client(session=session, client_id=client_id)
    # Opening the record does not answer the client: their messages stay unread (in the
    # inbox and the header count) until the adviser replies or says no reply is needed.
    thread = messages.thread_messages(session=session, client_id=client_id)
    new_ids = {m.id for m in thread if m.author_role == Author.client and m.read_at is None}
    requests = live_requests(
        session=session, requests=open_requests_for_client(session=session, client_id=client_id)
    )
    return render(
        request,
        "adviser/client.html",
        {
            "profile": profile,
            "client_user": user,
            "needs": needs_for(session=session, profile=profile),
            "whats_next": whats_next(session=session, profile=profile),
            "steps_due": steps_due(session=session, client_id=client_id),
            "appointments": listed,
            "appointment_places": appointment_places(session, listed),
            "requests": requests,
            "wanted_times": _wanted_times(session, requests),
            "asked_about": asked_about(session=session, requests=requests),
            "clashes": clashing_appointments(session=session, client_id=client_id),
            "job_clashes": interviews_after_job_start(session=session, profiles=[profile]),
            "check_in_answers": answers_for(session=session, client_id=client_id),
            "waiting_check_ins": {
                a.id for a in waiting_answers(session=session, client_ids=[client_id])
            },
            # Each time says where it is and how long, as the client's lists do.
            "slots": present_slots(
                session,
                bookable_slots(session=session, profile=profile, adviser_id=adviser.adviser.id),
                for_adviser=True,
            ),
            "wfi_dates": proposed_dates(profile.claim_date, _open_day_finder(session, adviser))
            if profile.claimant_type == ClaimantType.mandatory
            else [],
            "invited": said(request).get("invited") == "1",
            "booked": said(request).get("booked"),
            "deferred": said(request).get("deferred"),
            "job": said(request).get("job"),
            "rtwc_min_hours": RTWC_MIN_HOURS,
            "private_notes": repository.private_notes(session=session, client_id=client_id),
            "services": repository.services_for(session=session, client_id=client_id),
            "service_kinds": list(ServiceKind),
            "history": history,
            "change_names": names_in(session=session, entries=history),
            "viewer_user_id": adviser.user.id,
            "defer_reasons": deferral.REASONS,
            "messages": repository.messages_to(session=session, user_id=user.id),
            "thread": thread,
            "new_message_ids": new_ids,
            "author_names": message_repository.author_names(session=session, messages=thread),
            "message_readers": message_readers(session=session, client_id=client_id),
            "calls": message_repository.open_call_requests(session=session, client_ids=[client_id]),
            "replied": said(request).get("replied") == "1",
            # Where the note telling the client of a reply stands (caseload.told).
            "replied_told": told(
                session,
                subject=client_subject(client_id),
                kinds=[NotificationKind.answer],
                key_prefix=f"{client_subject(client_id)}:message:",
            )
            if said(request).get("replied") == "1"
            else None,
            "marked_read": said(request).get("read") == "1",
            "errors": sent.errors if sent else FormErrors(),
            # A form sent back with errors keeps what was typed; otherwise the pause form
            # starts sensibly when the client said they are not well enough.
            "form": sent.values
            if sent
            else pause_defaults(
                session.get(Office, adviser.adviser.office_id),
                requests,
                profile=profile,
                current_reason=pause_reason,
            ),
            "pause_reason": pause_reason,
            "done": done_banner(
                session,
                done_values(request.query_params, path=request.url.path, user_id=adviser.user.id),
                profile,
            ),
            "next_wfi": next_wfi_number(session, profile),
        },
        status_code=400 if sent else 200,
    )


@router.post("/requests/{request_id}")
def answer_request(
    request: Request,
    request_id: RecordId,
    adviser: CurrentAdviser,
    session: SessionDep,
    sent: Annotated[Posted[AnswerRequestForm], posted(AnswerRequestForm)],
) -> Response:
    """Accept, offer other times, or arrange a call; the client is told either way."""
    assert adviser.adviser.id is not None
    found = session.get(RescheduleRequest, request_id)
    in_caseload = found is not None and people_repository.client_in_caseload(
        session=session, adviser_id=adviser.adviser.id, client_id=found.client_id
    )
    if found is None or not in_caseload:
        raise HTTPException(status_code=404)
    form = chosen(sent)
    profile = session.get(ClientProfile, found.client_id)
    assert profile is not None
    # Only times the client could choose for the appointment asked about (as "Offer these
    # times" does): one within a day, that breaks their times, or that would put interviews
    # out of order, would be held for them and never shown.
    about = session.get(Appointment, found.appointment_id) if found.appointment_id else None
    offered = [
        slot
        for slot in appointments.free_slots_by_id(
            session=session, adviser_id=adviser.adviser.id, ids=form.slots
        )
        if may_choose(session=session, profile=profile, slot=slot, appointment=about)
    ]
    if found.status != RequestStatus.open:
        return already_answered_page(
            request,
            client_id=found.client_id,
            stale="request-answered",
            status=found.status,
            answered_at=found.decided_at,
        )
    if form.answer == Answer.offer_other_times and not form.slots:
        # Nothing ticked: the adviser's slip, said on the request's own boxes (the first is
        # "#offer-<request id>"), not "none of those times could be offered".
        sent.errors.add(f"offer-{found.id}", _("Choose at least one time to offer"))
        client = caseload_client(found.client_id, adviser, session)
        return client_record_page(request, session, client, sent)
    if form.answer == Answer.offer_other_times and not offered:
        # None of the chosen times is this adviser's to offer, or one the client could choose
        # (or none was chosen): the request stays open rather than telling the client
        # "answered" with nothing in it, and the adviser is told why.
        return RedirectResponse(
            done_url(
                f"/adviser/clients/{found.client_id}", {"offered": 0}, user_id=adviser.user.id
            ),
            status_code=303,
        )
    try:
        answer_client_request(
            session=session,
            request=found,
            answer=form.answer,
            adviser_user=adviser.user,
            offered_slots=offered,
        )
    except AlreadyAnswered:
        # From a page drawn before someone answered it: nothing moves, nobody is texted.
        session.refresh(found)
        return already_answered_page(
            request,
            client_id=found.client_id,
            stale="request-answered",
            status=found.status,
            answered_at=found.decided_at,
        )
    except TimeGone:
        return already_answered_page(
            request, client_id=found.client_id, stale="time-gone", anchor="#requests"
        )
    if form.answer == Answer.arrange_call:
        # "I will call" is a promise: it stays on the adviser's list until they have called.
        messages.arrange_call(session=session, profile=profile, adviser_user=adviser.user)
    if form.answer == Answer.offer_other_times:
        record_offer(
            session=session, client_id=found.client_id, slots=offered, adviser_user=adviser.user
        )
        return RedirectResponse(
            done_url(
                f"/adviser/clients/{found.client_id}",
                {"offered": len(offered)},
                user_id=adviser.user.id,
            ),
            status_code=303,
        )
    return RedirectResponse(f"/adviser/clients/{found.client_id}", status_code=303)


@router.post("/tasks/{task_id}/done")
def task_done(
    request: Request, task_id: RecordId, adviser: CurrentAdviser, session: SessionDep
) -> Response:
    """A task leaves the list only when the adviser says it is done; who and when is kept."""
    assert adviser.adviser.id is not None
    task = session.get(AdviserTask, task_id)
    in_caseload = task is not None and people_repository.client_in_caseload(
        session=session, adviser_id=adviser.adviser.id, client_id=task.client_id
    )
    if task is None or not in_caseload:
        raise HTTPException(status_code=404)
    if task.done_at is not None:
        return already_answered_page(
            request, client_id=task.client_id, stale="task-done", answered_at=task.done_at
        )
    task.done_at = utcnow()
    task.done_by_user_id = adviser.user.id
    session.add(task)
    return RedirectResponse("/adviser#attention", status_code=303)
