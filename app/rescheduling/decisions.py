"""An adviser answers a client's request; every answer is told to the client.

An answer is decided on what the adviser's page showed, which can be old (another tab, a
colleague, the client's own change). So a request is answered once: the answer claims it with
a conditional UPDATE ("... WHERE status = 'open'"), and a second answer changes nothing
(`AlreadyAnswered`). Accepting the client's time checks that time afresh (`may_choose`): one
that has gone by, is too soon or is no longer theirs to hold is never booked (`TimeGone`).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col

from app.appointments.booking import SlotTaken, book_slot, move_to_slot
from app.appointments.models import Appointment, AppointmentStatus, AvailabilitySlot
from app.core.clock import utcnow
from app.core.i18n import lazy_gettext
from app.people.models import ClientProfile, Role, User
from app.reminders.planner import tell_client, tell_times_offered
from app.rescheduling.models import RequestStatus, RescheduleRequest
from app.rescheduling.service import may_choose


class Answer(StrEnum):
    accept = "accept"
    offer_other_times = "offer-other-times"
    arrange_call = "arrange-call"


ANSWERED = lazy_gettext("Your adviser has answered your request.")


class AlreadyAnswered(Exception):  # noqa: N818 - reads better at the call site
    """The request was answered before this answer arrived; nothing was changed."""


class TimeGone(Exception):  # noqa: N818 - reads better at the call site
    """The time the client chose can no longer be booked for them; nothing was changed."""


def _claim(session: Session, request: RescheduleRequest, adviser_user: User) -> None:
    """Mark the request answered, if it is still open; otherwise AlreadyAnswered. One
    conditional UPDATE, so two answers at the same moment cannot both go through."""
    now = utcnow()
    result = session.execute(
        update(RescheduleRequest)
        .where(
            col(RescheduleRequest.id) == request.id,
            col(RescheduleRequest.status) == RequestStatus.open,
        )
        .values(decided_at=now, decided_by_user_id=adviser_user.id)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyAnswered
    request.decided_at, request.decided_by_user_id = now, adviser_user.id


def answer_request(
    *,
    session: Session,
    request: RescheduleRequest,
    answer: Answer,
    adviser_user: User,
    offered_slots: list[AvailabilitySlot] | None = None,
) -> RescheduleRequest:
    """Record the adviser's answer, act on it, and queue a message to the client.

    Raises AlreadyAnswered if the request is no longer open, and TimeGone if the answer is
    "accept" and the client's time can no longer be booked for them (`may_choose`); either
    way nothing has changed and nothing is sent."""
    profile = session.get(ClientProfile, request.client_id)
    assert profile is not None
    if request.status != RequestStatus.open:
        raise AlreadyAnswered
    accepting = bool(answer == Answer.accept and request.wanted_slot_id and request.appointment_id)
    if accepting:
        wanted = session.get(AvailabilitySlot, request.wanted_slot_id)
        about = session.get(Appointment, request.appointment_id)
        if wanted is None or not may_choose(
            session=session, profile=profile, slot=wanted, appointment=about
        ):
            raise TimeGone
    try:
        # One savepoint: a time taken at the last moment leaves the request open, unanswered.
        with session.begin_nested():
            _claim(session, request, adviser_user)
            _act(session, request, profile, answer, adviser_user, accepting, offered_slots)
            session.add(request)
    except SlotTaken as taken:
        raise TimeGone from taken
    if answer == Answer.offer_other_times:
        # The same words as "Offer these times" (and the record's banner reads the same
        # message): what the answer is, not only that there is one.
        tell_times_offered(session, profile)
    else:
        tell_client(session, profile, ANSWERED)
    session.flush()
    return request


def _act(
    session: Session,
    request: RescheduleRequest,
    profile: ClientProfile,
    answer: Answer,
    adviser_user: User,
    accepting: bool,
    offered_slots: list[AvailabilitySlot] | None,
) -> None:
    """Do what the answer says: move or book the chosen time, keep other times for the
    client, or note that a call is arranged. SlotTaken if the chosen time went meanwhile."""
    if accepting:
        appointment = session.get(Appointment, request.appointment_id)
        slot = session.get(AvailabilitySlot, request.wanted_slot_id)
        assert appointment is not None and slot is not None
        asked_by = (request.asked_by_role, request.asked_by_user_id)
        if appointment.status == AppointmentStatus.booked:
            move_to_slot(
                session=session,
                appointment=appointment,
                slot=slot,
                actor_user_id=adviser_user.id,
                actor_role=Role.adviser,
                asked_by=asked_by,
                keep_length=True,  # the client chose it seeing their appointment's length
                reason=request.reason if request.reason != "rather-not-say" else None,
            )
        else:  # missed or cancelled: that record stays as it was; a new one is booked
            assert profile.id is not None
            book_slot(
                session=session,
                slot=slot,
                client_id=profile.id,
                kind=appointment.kind,
                wfi_number=appointment.wfi_number,
                actor_user_id=adviser_user.id,
                actor_role=Role.adviser,
                asked_by=asked_by,
            )
        request.status = RequestStatus.accepted
    elif answer == Answer.offer_other_times:
        for offered in offered_slots or []:
            offered.offered_to_client_id = profile.id
            session.add(offered)
        request.status = RequestStatus.other_times_offered
    else:
        request.status = RequestStatus.call_arranged
