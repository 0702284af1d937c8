"""An adviser answers a client's request; every answer is told to the client."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from app.appointments.booking import SlotTaken, book_slot, move_to_slot
from app.appointments.models import Appointment, AppointmentStatus, AvailabilitySlot
from app.core.clock import utcnow
from app.core.i18n import lazy_gettext
from app.people.models import ClientProfile, Role, User
from app.reminders.planner import tell_client
from app.rescheduling.models import RequestStatus, RescheduleRequest


class Answer(StrEnum):
    accept = "accept"
    offer_other_times = "offer-other-times"
    arrange_call = "arrange-call"


ANSWERED = lazy_gettext("Your adviser has answered your request.")


def answer_request(
    *,
    session: Session,
    request: RescheduleRequest,
    answer: Answer,
    adviser_user: User,
    offered_slots: list[AvailabilitySlot] | None = None,
) -> RescheduleRequest:
    """Record the adviser's answer, act on it, and queue a message to the client."""
    profile = session.get(ClientProfile, request.client_id)
    assert profile is not None
    if answer == Answer.accept and request.wanted_slot_id and request.appointment_id:
        appointment = session.get(Appointment, request.appointment_id)
        slot = session.get(AvailabilitySlot, request.wanted_slot_id)
        assert appointment is not None and slot is not None
        try:
            if appointment.status == AppointmentStatus.booked:
                move_to_slot(
                    session=session,
                    appointment=appointment,
                    slot=slot,
                    actor_user_id=adviser_user.id,
                    actor_role=Role.adviser,
                    asked_by=(request.asked_by_role, request.asked_by_user_id),
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
                    asked_by=(request.asked_by_role, request.asked_by_user_id),
                )
            request.status = RequestStatus.accepted
        except SlotTaken:
            request.status = RequestStatus.other_times_offered
    elif answer == Answer.offer_other_times:
        for slot in offered_slots or []:
            slot.offered_to_client_id = profile.id
            session.add(slot)
        request.status = RequestStatus.other_times_offered
    else:
        request.status = RequestStatus.call_arranged
    request.decided_at = utcnow()
    request.decided_by_user_id = adviser_user.id
    session.add(request)
    tell_client(session, profile, ANSWERED)
    session.flush()
    return request
