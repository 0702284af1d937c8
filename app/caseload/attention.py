"""What needs the adviser's attention, in the order the workspace shows it. Every item comes
from the state of the record, so it leaves the list only when the underlying thing is done
(help arranged, a new time booked, a pause reviewed, a referral followed up)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlmodel import Session, col, func, select

from app.action_plans.models import PlanStep
from app.action_plans.service import waiting_to_be_booked
from app.appointments.models import Appointment, AppointmentKind, AppointmentStatus, HelpRequest
from app.caseload import repository
from app.caseload.attention_state import (
    check_in_answers_waiting,
    interviews_after_job_start,
    live_requests,
)
from app.caseload.models import ClientService
from app.caseload.repository import (
    ADVISER,
    CaseloadClient,
    CaseloadPerson,
    caseload_ids,
    caseload_ids_bound,
)
from app.core.clock import london_today, utcnow
from app.delivery.models import Notification, NotificationKind, NotificationStatus
from app.messages import repository as messages
from app.people.models import AdviserTask, ClientProfile, ClientStatus, TaskKind, User
from app.people.repository import caseload_scope
from app.rescheduling.models import BusyTime, RequestKind, RescheduleRequest, TimePreference
from app.rescheduling.service import clashing_appointments


class AttentionKind(StrEnum):
    """The items attention_items gives, each derived from the record's state."""

    help = "help"
    review_due = "review-due"
    after_sixth = "after-sixth"
    referral_ended = "referral-ended"
    missed = "missed"
    unreachable = "unreachable"
    clash = "clash"
    message = "message"
    call = "call"
    call_promised = "call-promised"  # the adviser answered a request with "I will call"
    check_in = "check-in"  # a check-in answer asking for contact
    job_clash = "job-clash"  # starts work on or before a booked interview
    unrecorded = "unrecorded"  # an appointment over, and nobody said whether they came


# Shown on the same list from other records: open client requests (only while they still
# ask, app/caseload/attention_state.py), adviser tasks (until marked done) and "please book
# this for me" plan steps (until booked).
BOOK_STEP = "book"


def every_kind() -> set[str]:
    """Every kind of line the attention list can show; each needs a rule test
    (tests/caseload/test_attention_rules.py) that it appears and that the natural action
    clears it."""
    return (
        {kind.value for kind in AttentionKind}
        | {f"request:{kind.value}" for kind in RequestKind}
        | {f"task:{kind.value}" for kind in TaskKind}
        | {BOOK_STEP}
    )


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # an AttentionKind
    client_id: int
    client_name: str
    detail: str = ""
    when: datetime | None = None  # the appointment it is about, if any
    day: date | None = None  # the day it is about (a job start), if any


def attention_items(
    *,
    session: Session,
    adviser_id: int,
    caseload: Sequence[tuple[CaseloadClient, CaseloadPerson]] | None = None,
) -> list[AttentionItem]:
    """Help requests, reviews due, clients after their sixth interview with nothing next,
    referrals that ended without follow-up, missed appointments with no new time, clients
    our messages no longer reach, booked times that clash with a client's later busy times,
    unread messages from clients, calls asked for, check-in answers asking for contact and
    interviews booked on or after a job start. `caseload` saves loading the clients
    again if the caller has them."""
    if caseload is None:
        caseload = repository.caseload(session=session, adviser_id=adviser_id)
    clients = {p.id: (p, u) for p, u in caseload}
    ids = [i for i in clients if i is not None]
    if not ids:
        return []
    scope = caseload_ids(adviser_id)
    now, today = utcnow(), london_today()
    params = {"adviser_id": adviser_id, "now": now}
    booked_ahead = set(session.exec(_booked_ahead(), params=params).all())
    items: list[AttentionItem] = []

    def name(client_id: int) -> str:
        return clients[client_id][1].full_name

    # One item per client and kind of help, about the soonest appointment: a need kept for
    # every appointment is copied onto each one, and six copies would bury the list.
    help_seen: set[tuple[int, str]] = set()
    for kind, client_id in session.exec(_help_asked(), params=params).all():
        if (client_id, kind) in help_seen:
            continue
        help_seen.add((client_id, kind))
        items.append(AttentionItem("help", client_id, name(client_id), kind))
    for profile, _user in clients.values():
        assert profile.id is not None
        if (
            profile.status == ClientStatus.paused
            and profile.paused_until
            and profile.paused_until <= today
        ):
            items.append(AttentionItem("review-due", profile.id, name(profile.id)))
    sixth = session.exec(_after_sixth(), params=params).all()
    for client_id in sorted(set(sixth) - booked_ahead):
        items.append(AttentionItem("after-sixth", client_id, name(client_id)))
    for client_id, kind in session.exec(_referrals_ended(), params=params).all():
        items.append(AttentionItem("referral-ended", client_id, name(client_id), kind))
    items.extend(_missed_and_unrecorded(session, clients, params, booked_ahead))
    items.extend(_unreachable(session, clients, adviser_id))
    items.extend(_clashes(session, clients, adviser_id))
    items.extend(_messages_and_calls(session, clients, scope))
    items.extend(_check_ins_and_job_starts(session, clients, scope))
    return items


# The statements below are built once per process (see caseload.repository): the adviser is
# the bound value "adviser_id", the moment "now".
NOW: BindParameter[datetime] = bindparam("now")

# The caseload by client id, as attention_items reads it.
Clients = dict[int, tuple[CaseloadClient, CaseloadPerson]]


@cache
def _booked_ahead() -> Any:
    return select(Appointment.client_id).where(
        col(Appointment.client_id).in_(caseload_ids_bound()),
        Appointment.status == AppointmentStatus.booked,
        col(Appointment.starts_at) >= NOW,
    )


@cache
def _help_asked() -> Any:
    return (
        select(HelpRequest.kind, Appointment.client_id)
        .join(Appointment, col(Appointment.id) == col(HelpRequest.appointment_id))
        .where(
            col(Appointment.client_id).in_(caseload_ids_bound()),
            HelpRequest.status == "asked",
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= NOW,
        )
        .order_by(col(Appointment.starts_at))
    )


@cache
def _past_still_booked() -> Any:
    return (
        select(Appointment.client_id, Appointment.starts_at, Appointment.duration_minutes)
        .where(
            col(Appointment.client_id).in_(caseload_ids_bound()),
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) < NOW,
        )
        .order_by(col(Appointment.starts_at))
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@cache
def _after_sixth() -> Any:
    return select(Appointment.client_id).where(
        col(Appointment.client_id).in_(caseload_ids_bound()),
        Appointment.kind == AppointmentKind.wfi,
        Appointment.wfi_number == 6,
        Appointment.status == AppointmentStatus.attended,
    )


@cache
def _referrals_ended() -> Any:
    return select(ClientService.client_id, ClientService.kind).where(
        col(ClientService.client_id).in_(caseload_ids_bound()),
        ClientService.status == "ended",
        col(ClientService.followed_up).is_(False),
    )


@cache
def _last_missed() -> Any:
    return (
        select(Appointment.client_id, func.max(Appointment.starts_at))
        .where(
            col(Appointment.client_id).in_(caseload_ids_bound()),
            Appointment.status == AppointmentStatus.missed,
        )
        .group_by(col(Appointment.client_id))
    )


@cache
def _with_time_rules() -> Any:
    """Clients with a busy time or a time preference: only theirs can clash."""
    return (
        select(BusyTime.client_id)
        .where(col(BusyTime.client_id).in_(caseload_ids_bound()))
        .union(
            select(TimePreference.client_id).where(
                col(TimePreference.client_id).in_(caseload_ids_bound())
            )
        )
    )


@cache
def _unreachable_users() -> Any:
    """The caseload's users whose latest finished message (not a sign-in code) failed."""
    users = select(ClientProfile.user_id).where(caseload_scope(ADVISER)).scalar_subquery()
    finished = [
        NotificationStatus.sent,
        NotificationStatus.delivered,
        NotificationStatus.failed_permanent,
        NotificationStatus.failed_technical,
    ]
    latest = (
        select(func.max(Notification.id))
        .where(
            col(Notification.user_id).in_(users),
            col(Notification.status).in_(finished),
            Notification.kind != NotificationKind.sign_in_code,
        )
        .group_by(col(Notification.user_id))
    )
    return select(Notification.user_id).where(
        col(Notification.id).in_(latest),
        col(Notification.status).in_(
            [NotificationStatus.failed_permanent, NotificationStatus.failed_technical]
        ),
    )


def _missed_and_unrecorded(
    session: Session,
    clients: Clients,
    params: dict[str, Any],
    booked_ahead: set[int],
) -> list[AttentionItem]:
    """Clients who missed their latest appointment and have no new time; and appointments
    that are over but still "booked": until someone says whether they came, the missed and
    after-sixth items cannot appear, and contact could stop without anyone noticing."""
    items = [
        AttentionItem("missed", client_id, clients[client_id][1].full_name)
        for client_id, _when in session.exec(_last_missed(), params=params).all()
        if client_id not in booked_ahead and client_id in clients
    ]
    for client_id, starts_at, minutes in session.exec(_past_still_booked(), params=params).all():
        if client_id in clients and _aware(starts_at) + timedelta(minutes=minutes) <= params["now"]:
            name = clients[client_id][1].full_name
            items.append(AttentionItem("unrecorded", client_id, name, "", starts_at))
    return items


def _check_ins_and_job_starts(
    session: Session, clients: Clients, scope: Any
) -> list[AttentionItem]:
    """Check-in answers asking for contact (the detail is the answer), and clients starting
    work on or before a booked interview (the detail is the start date)."""
    items = [
        AttentionItem(
            AttentionKind.check_in,
            reply.client_id,
            clients[reply.client_id][1].full_name,
            reply.answer,
            reply.created_at,
        )
        for reply in check_in_answers_waiting(session=session, client_ids=scope)
        if reply.client_id in clients
    ]
    profiles = [profile for profile, _user in clients.values()]
    for profile, appointment in interviews_after_job_start(session=session, profiles=profiles):
        assert profile.id is not None and profile.in_work_since is not None
        items.append(
            AttentionItem(
                AttentionKind.job_clash,
                profile.id,
                clients[profile.id][1].full_name,
                "",
                appointment.starts_at,
                profile.in_work_since,
            )
        )
    return items


def _messages_and_calls(session: Session, clients: Clients, scope: Any) -> list[AttentionItem]:
    """Clients with a message their adviser has not read (it leaves when the record is
    opened), and calls asked for, or promised in answer to a request ("call-promised"), and
    not yet marked as made (the detail is when it suits)."""
    items = [
        AttentionItem("message", client_id, clients[client_id][1].full_name)
        for client_id in sorted(messages.clients_with_unread(session=session, client_ids=scope))
        if client_id in clients
    ]
    items.extend(
        AttentionItem(
            AttentionKind.call_promised if call.arranged_by_user_id else AttentionKind.call,
            call.client_id,
            clients[call.client_id][1].full_name,
            call.suits,
        )
        for call in messages.open_call_requests(session=session, client_ids=scope)
        if call.client_id in clients
    )
    return items


def _clashes(session: Session, clients: Clients, adviser_id: int) -> list[AttentionItem]:
    """Clients with a booked appointment that breaks a busy time or preference they added
    later. The item leaves when it no longer clashes: moved, cancelled, or the rule removed."""
    with_rules = (
        session.execute(_with_time_rules(), params={"adviser_id": adviser_id}).scalars().all()
    )
    items = []
    for client_id in sorted(set(with_rules)):
        if client_id not in clients:
            continue
        for appointment in clashing_appointments(session=session, client_id=client_id):
            name = clients[client_id][1].full_name
            items.append(
                AttentionItem("clash", client_id, name, str(appointment.id), appointment.starts_at)
            )
    return items


def _unreachable(session: Session, clients: Clients, adviser_id: int) -> list[AttentionItem]:
    """Clients whose latest message failed for good (a number no longer in use, say): contact
    must not stop quietly. The item leaves once a message reaches them again."""
    by_user = {
        user.id: profile.id
        for profile, user in clients.values()
        if user.id is not None and profile.id is not None
    }
    failed = session.exec(_unreachable_users(), params={"adviser_id": adviser_id}).all()
    return [
        AttentionItem("unreachable", by_user[user_id], clients[by_user[user_id]][1].full_name)
        for user_id in failed
        if user_id in by_user
    ]


@dataclass(frozen=True)
class AttentionList:
    """Everything on the adviser's attention list, in its four kinds: open reschedule and
    "not well enough" requests, open tasks, "please book this for me" plan steps (with the
    client's id), and the items `attention_items` finds from the state of the records."""

    requests: Sequence[tuple[RescheduleRequest, User]]
    tasks: Sequence[tuple[AdviserTask, User]]
    book_requests: list[tuple[PlanStep, CaseloadPerson, int]]
    items: list[AttentionItem]

    @property
    def client_ids(self) -> set[int]:
        """The clients with at least one thing on the list (the "Needs attention" filter)."""
        return (
            {request.client_id for request, _user in self.requests}
            | {task.client_id for task, _user in self.tasks}
            | {client_id for _step, _user, client_id in self.book_requests}
            | {item.client_id for item in self.items}
        )

    def __bool__(self) -> bool:
        return bool(self.requests or self.tasks or self.book_requests or self.items)


def attention_list(
    *, session: Session, adviser_id: int, caseload: Sequence[tuple[CaseloadClient, CaseloadPerson]]
) -> AttentionList:
    """The adviser's whole attention list for `caseload` (their clients, as loaded by the
    page). The list on the caseload page and its "Needs attention" filter both come from here,
    so a client is under the filter exactly when something about them is on the list."""
    clients = {profile.id: user for profile, user in caseload if profile.id is not None}
    return AttentionList(
        # Only requests that still ask for something (a pause answers "not well enough").
        requests=live_requests(
            session=session,
            requests=repository.open_requests(session=session, adviser_id=adviser_id),
            request_of=lambda row: row[0],
        ),
        tasks=repository.open_tasks(session=session, adviser_id=adviser_id),
        book_requests=[
            (step, clients[client_id], client_id)
            for step, client_id in waiting_to_be_booked(session=session, client_ids=list(clients))
            if client_id in clients
        ],
        items=attention_items(session=session, adviser_id=adviser_id, caseload=caseload),
    )
