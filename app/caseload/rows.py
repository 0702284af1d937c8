"""One row per client on the caseload page, built with a fixed number of queries however big
the caseload is: the clients (loaded once by the page), their upcoming appointments, their last
attended appointment, and their open requests — grouped, filtered and sorted in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AppointmentStatus
from app.caseload.repository import CaseloadClient, CaseloadPerson, caseload_ids_bound
from app.core.clock import utcnow
from app.messages.models import Author, CallRequest, Message, MessageThread
from app.people.models import ClientStatus
from app.rescheduling.models import RequestStatus, RescheduleRequest

FILTERS = ("all", "attention", "paused", "in-work", "mandatory", "voluntary")
# The columns the caseload can be sorted by, in the order of the table; the first is the default.
SORTS = ("name", "next", "stage", "last-contact", "flags")
ORDERS = ("asc", "desc")
# The order a column's header link asks for first: flags most first, the rest A to Z, soonest.
FIRST_ORDER = {"flags": "desc"}
# Stages in the order a sort by stage lists them: people in their interviews first.
_STAGE_ORDER = ("wfi", "mandatory", "voluntary", "in-work", "paused", "ended")


@dataclass
class CaseloadRow:
    profile: CaseloadClient
    user: CaseloadPerson
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
    *,
    session: Session,
    adviser_id: int,
    caseload: Sequence[tuple[CaseloadClient, CaseloadPerson]],
    attention: Collection[int] = (),
    search: str = "",
    show: str = "all",
    sort: str = "name",
    order: str = "asc",
) -> list[CaseloadRow]:
    """The adviser's clients (`caseload`, as the page loaded it) with what the caseload page
    shows about each, narrowed by `search` (part of a name) and the filter `show`, in the order
    of the column `sort` (`order` "asc" or "desc"; clients with nothing in that column last).
    `attention` holds the ids of clients on the attention list: the "Needs attention" filter
    and flag come from it, so they always match the list."""
    wanted = search.strip().casefold()
    rows = {
        p.id: CaseloadRow(profile=p, user=u)
        for p, u in caseload
        if wanted in u.full_name.casefold()
    }
    if not rows:
        return []
    now = utcnow()
    params = {"adviser_id": adviser_id, "now": now}
    # Statements built once per process (see caseload.repository); a search narrows the rows
    # here, not in the database, so every search runs the same statements.
    for appointment in session.exec(_soonest_booked(), params=params).all():
        row = rows.get(appointment.client_id)
        if row is not None and row.next_appointment is None:
            row.next_appointment = appointment
    # Contact is an interview they came to, a reply written or a call made.
    for statement in (_last_attended(), _last_adviser_message(), _last_call_made()):
        for client_id, when in session.exec(statement, params=params).all():
            row = rows.get(client_id)
            if row is not None and when is not None:
                row.last_contact = max(filter(None, (row.last_contact, when)))
    requests: dict[int, int] = defaultdict(int)
    for client_id in session.exec(_open_request_clients(), params=params).all():
        requests[client_id] += 1
    today: date = now.date()
    needing = set(attention)
    for client_id, row in rows.items():
        row.open_requests = requests[client_id]
        row.flags.extend(_flags(row, today, client_id in needing))
    shown = [row for row in rows.values() if _shown(row, show, needing)]
    return sort_rows(shown, sort=sort, order=order)


@cache
def _soonest_booked() -> Any:
    """Each client's soonest booked time ahead: only that one, not all six interviews."""
    soonest = (
        select(Appointment.client_id, func.min(Appointment.starts_at).label("starts_at"))
        .where(
            col(Appointment.client_id).in_(caseload_ids_bound()),
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= bindparam("now"),
        )
        .group_by(col(Appointment.client_id))
        .subquery()
    )
    return (
        select(Appointment)
        .join(
            soonest,
            (col(Appointment.client_id) == soonest.c.client_id)
            & (col(Appointment.starts_at) == soonest.c.starts_at),
        )
        .where(Appointment.status == AppointmentStatus.booked)
        .order_by(col(Appointment.id))
    )


@cache
def _last_attended() -> Any:
    return (
        select(Appointment.client_id, func.max(Appointment.starts_at))
        .where(
            col(Appointment.client_id).in_(caseload_ids_bound()),
            Appointment.status == AppointmentStatus.attended,
        )
        .group_by(col(Appointment.client_id))
    )


@cache
def _last_adviser_message() -> Any:
    return (
        select(MessageThread.client_id, func.max(Message.created_at))
        .join(Message, col(Message.thread_id) == col(MessageThread.id))
        .where(
            col(MessageThread.client_id).in_(caseload_ids_bound()),
            Message.author_role == Author.adviser,
        )
        .group_by(col(MessageThread.client_id))
    )


@cache
def _last_call_made() -> Any:
    return (
        select(CallRequest.client_id, func.max(CallRequest.done_at))
        .where(
            col(CallRequest.client_id).in_(caseload_ids_bound()),
            col(CallRequest.done_at).is_not(None),
        )
        .group_by(col(CallRequest.client_id))
    )


@cache
def _open_request_clients() -> Any:
    return select(RescheduleRequest.client_id).where(
        col(RescheduleRequest.client_id).in_(caseload_ids_bound()),
        RescheduleRequest.status == RequestStatus.open,
    )


def sort_rows(rows: list[CaseloadRow], *, sort: str, order: str) -> list[CaseloadRow]:
    """`rows` in the order of the column `sort`, "asc" or "desc", ties by name; rows with
    nothing in that column (no next appointment, no contact yet) come last either way. An
    unknown column or order is treated as the default (by name, A to Z)."""
    key = _SORT_KEYS.get(sort, _SORT_KEYS["name"])
    by_name = sorted(rows, key=_name_key)
    present = [row for row in by_name if key(row) is not None]
    missing = [row for row in by_name if key(row) is None]
    # sorted() is stable, so rows that tie stay in name order (A to Z) in both directions.
    present.sort(key=key, reverse=order == "desc")
    return present + missing


def _name_key(row: CaseloadRow) -> Any:
    return row.user.full_name.casefold()


def _stage_key(row: CaseloadRow) -> Any:
    code, value = row.stage
    if isinstance(value, date):
        return (_STAGE_ORDER.index(code), value.toordinal())
    return (_STAGE_ORDER.index(code), value if isinstance(value, int) else 0)


_SORT_KEYS: dict[str, Callable[[CaseloadRow], Any]] = {
    "name": _name_key,
    "next": lambda row: row.next_appointment.starts_at if row.next_appointment else None,
    "stage": _stage_key,
    "last-contact": lambda row: row.last_contact,
    # Clients on the attention list, then by how many flags: "desc" puts them at the top.
    "flags": lambda row: ("attention" in row.flags, len(row.flags)),
}


def _flags(row: CaseloadRow, today: date, needs_attention: bool) -> list[str]:
    """What the caseload table marks about a client."""
    flags = ["attention"] if needs_attention else []
    if row.open_requests:
        flags.append("request")
    profile = row.profile
    if (
        profile.status == ClientStatus.paused
        and profile.paused_until
        and profile.paused_until <= today
    ):
        flags.append("review-due")
    # Someone in work has no interviews to come: nothing booked is expected, not a gap.
    if (
        row.next_appointment is None
        and profile.status == ClientStatus.active
        and profile.in_work_since is None
    ):
        flags.append("no-next-contact")
    return flags


def _shown(row: CaseloadRow, show: str, attention: set[int]) -> bool:
    """Whether the caseload filter `show` keeps this client."""
    profile = row.profile
    if show == "attention":
        return profile.id in attention
    if show == "paused":
        return profile.status == ClientStatus.paused
    if show == "in-work":
        return profile.in_work_since is not None
    if show in ("mandatory", "voluntary"):
        return bool(profile.claimant_type == show)
    return True
