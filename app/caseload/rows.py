"""One row per client on the caseload page, built with a fixed number of queries however big
the caseload is: clients, their upcoming appointments, their last attended appointment, and
their open requests — four queries, grouped in Python."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AppointmentStatus
from app.caseload.repository import caseload_ids
from app.core.clock import utcnow
from app.people.models import ClientProfile, ClientStatus, User
from app.people.repository import caseload_scope
from app.rescheduling.models import RequestStatus, RescheduleRequest

FILTERS = ("all", "attention", "paused", "in-work", "mandatory", "voluntary")


@dataclass
class CaseloadRow:
    profile: ClientProfile
    user: User
    next_appointment: Appointment | None = None
    last_contact: datetime | None = None
    open_requests: int = 0
    flags: list[str] = field(default_factory=list)

    @property
    def stage(self) -> tuple[str, object]:
        """A stage code and its value, worded by the template."""
        if self.profile.status == ClientStatus.paused:
            return "paused", self.profile.paused_until
        if self.profile.status == ClientStatus.ended:
            return "ended", None
        if self.profile.in_work_since:
            return "in-work", self.profile.in_work_since
        if self.next_appointment and self.next_appointment.wfi_number:
            return "wfi", self.next_appointment.wfi_number
        return (
            ("voluntary", None)
            if self.profile.claimant_type == "voluntary"
            else ("mandatory", None)
        )


def caseload_rows(
    *, session: Session, adviser_id: int, search: str = "", show: str = "all"
) -> list[CaseloadRow]:
    """The adviser's clients with what the caseload page shows about each."""
    query = (
        select(ClientProfile, User)
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(caseload_scope(adviser_id))
        .order_by(col(User.full_name))
    )
    if search.strip():
        query = query.where(col(User.full_name).ilike(f"%{search.strip()}%"))
    rows = {p.id: CaseloadRow(profile=p, user=u) for p, u in session.exec(query).all()}
    ids = [i for i in rows if i is not None]
    if not ids:
        return []
    # Without a search, every client of the caseload is here: ask by adviser, not by list.
    scope = ids if search.strip() else caseload_ids(adviser_id)
    now = utcnow()
    for appointment in session.exec(
        select(Appointment)
        .where(
            col(Appointment.client_id).in_(scope),
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= now,
        )
        .order_by(col(Appointment.starts_at))
    ).all():
        row = rows[appointment.client_id]
        if row.next_appointment is None:
            row.next_appointment = appointment
    for client_id, last in session.exec(
        select(Appointment.client_id, func.max(Appointment.starts_at))
        .where(
            col(Appointment.client_id).in_(scope), Appointment.status == AppointmentStatus.attended
        )
        .group_by(col(Appointment.client_id))
    ).all():
        rows[client_id].last_contact = last
    requests: dict[int, int] = defaultdict(int)
    for client_id in session.exec(
        select(RescheduleRequest.client_id).where(
            col(RescheduleRequest.client_id).in_(scope),
            RescheduleRequest.status == RequestStatus.open,
        )
    ).all():
        requests[client_id] += 1
    today: date = now.date()
    for row in rows.values():
        row.open_requests = requests[row.profile.id or 0]
        row.flags.extend(_flags(row, today))
    return [row for row in rows.values() if _shown(row, show)]


def _flags(row: CaseloadRow, today: date) -> list[str]:
    """What the caseload table marks about a client."""
    flags = []
    if row.open_requests:
        flags.append("request")
    profile = row.profile
    if (
        profile.status == ClientStatus.paused
        and profile.paused_until
        and profile.paused_until <= today
    ):
        flags.append("review-due")
    if row.next_appointment is None and profile.status == ClientStatus.active:
        flags.append("no-next-contact")
    return flags


def _shown(row: CaseloadRow, show: str) -> bool:
    """Whether the caseload filter `show` keeps this client."""
    profile = row.profile
    if show == "attention":
        return bool(row.flags)
    if show == "paused":
        return profile.status == ClientStatus.paused
    if show == "in-work":
        return profile.in_work_since is not None
    if show in ("mandatory", "voluntary"):
        return bool(profile.claimant_type == show)
    return True
