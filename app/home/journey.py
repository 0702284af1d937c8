"""Where a client is on the programme, in plain words: "Am I with Pathways, or not?"

The study heard clients ask exactly that, and describe feeling "in limbo" once a course ended
(PSI 2009, §8.2). This gathers what the record already says — the
interviews so far and next, a pause, a job, the services in use or waited for — so one page
can answer it. Nothing here is new data; nothing is asked of the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AppointmentKind, AppointmentStatus
from app.caseload.models import ClientService
from app.core.clock import london_today, utcnow
from app.people.models import ClaimantType, ClientProfile

WFI_COUNT = 6  # six Work Focused Interviews (PSI 2009, ch. 4)


@dataclass(frozen=True)
class Journey:
    """What the "Where you are" page shows, facts only (the template chooses the words)."""

    status: str  # active, paused, ended
    mandatory: bool
    interviews_done: int  # interviews attended, 0–6
    next_interview: Appointment | None  # the next booked interview, if any
    paused_until: date | None
    in_work_since: date | None
    starts_work_later: bool  # in_work_since is still to come
    services: list[ClientService]


def journey_of(*, session: Session, profile: ClientProfile) -> Journey:
    """The client's place on the programme as of now (London today)."""
    assert profile.id is not None
    done = session.exec(
        select(func.count()).where(
            Appointment.client_id == profile.id,
            Appointment.kind == AppointmentKind.wfi,
            Appointment.status == AppointmentStatus.attended,
        )
    ).one()
    upcoming = session.exec(
        select(Appointment)
        .where(
            Appointment.client_id == profile.id,
            Appointment.kind == AppointmentKind.wfi,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at))
    ).first()
    services = session.exec(
        select(ClientService)
        .where(ClientService.client_id == profile.id)
        .order_by(col(ClientService.id))
    ).all()
    return Journey(
        status=str(profile.status),
        mandatory=profile.claimant_type == ClaimantType.mandatory,
        interviews_done=min(int(done), WFI_COUNT),
        next_interview=upcoming,
        paused_until=profile.paused_until,
        in_work_since=profile.in_work_since,
        starts_work_later=bool(profile.in_work_since and profile.in_work_since > london_today()),
        services=list(services),
    )


def next_interview_number(journey: Journey) -> int | None:
    """ "Interview 3 of 6": the booked one's number, else the next after those done."""
    if journey.next_interview is not None and journey.next_interview.wfi_number:
        return journey.next_interview.wfi_number
    if journey.interviews_done < WFI_COUNT:
        return journey.interviews_done + 1
    return None
