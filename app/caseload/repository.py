"""Caseload queries. Scoping an adviser to their own clients happens here and only here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, or_, select
from sqlmodel.sql.expression import Select

from app.caseload.models import ClientService, PrivateNote
from app.core.clock import london_today
from app.delivery.models import Notification, NotificationKind
from app.people.models import (
    AdviserTask,
    ClaimantType,
    ClientProfile,
    ClientStatus,
    User,
)
from app.people.repository import caseload_scope
from app.rescheduling.models import RequestStatus, RescheduleRequest


def messages_to(*, session: Session, user_id: int | None, limit: int = 10) -> list[Notification]:
    """What we sent the client lately, and whether it arrived (never their sign-in codes)."""
    return list(
        session.exec(
            select(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.kind != NotificationKind.sign_in_code,
            )
            .order_by(col(Notification.due_at).desc())
            .limit(limit)
        ).all()
    )


def caseload_ids(adviser_id: int) -> Any:
    """The caseload's client ids as a subquery: one bound value, however many clients, so the
    database plans it once and walks its indexes (a list of 150 ids was slower on PostgreSQL)."""
    return select(ClientProfile.id).where(caseload_scope(adviser_id)).scalar_subquery()


# The caseload page asks twenty-odd questions of the database on every load. Building each
# statement anew cost more than running it (SQLAlchemy walks a new statement to find it in
# its cache), so the page's statements are built once per process, with the adviser, the
# time and the day as bound values: execute them with params={"adviser_id": …} (and "now",
# "today" where they say so).
ADVISER: BindParameter[int] = bindparam("adviser_id")


@cache
def caseload_ids_bound() -> Any:
    """caseload_ids for a statement built once: the adviser is the bound value "adviser_id"."""
    return select(ClientProfile.id).where(caseload_scope(ADVISER)).scalar_subquery()


@dataclass(frozen=True, slots=True)
class CaseloadClient:
    """What the caseload page and its attention list read of a client's profile: plain values,
    not a database record (150 records a page were a good part of the page's time)."""

    id: int
    user_id: int
    adviser_id: int | None
    claimant_type: ClaimantType
    status: ClientStatus
    paused_until: date | None
    in_work_since: date | None


@dataclass(frozen=True, slots=True)
class CaseloadPerson:
    """The client's name as the caseload shows it (`id` is the user's id)."""

    id: int
    full_name: str
    preferred_name: str | None


@cache
def _caseload_statement() -> Any:
    # SQLAlchemy's own select: sqlmodel's types stop at four columns.
    return (
        sa_select(
            col(ClientProfile.id),
            col(ClientProfile.user_id),
            col(ClientProfile.adviser_id),
            col(ClientProfile.claimant_type),
            col(ClientProfile.status),
            col(ClientProfile.paused_until),
            col(ClientProfile.in_work_since),
            col(User.full_name),
            col(User.preferred_name),
        )
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(caseload_scope(ADVISER))
        .order_by(col(User.full_name))
    )


def caseload(*, session: Session, adviser_id: int) -> list[tuple[CaseloadClient, CaseloadPerson]]:
    """The adviser's clients with their names, by name: [(CaseloadClient, CaseloadPerson)]."""
    rows = session.execute(_caseload_statement(), params={"adviser_id": adviser_id}).all()
    return [
        (
            CaseloadClient(
                id=profile_id,
                user_id=user_id,
                adviser_id=adviser,
                claimant_type=ClaimantType(claimant_type),
                status=ClientStatus(status),
                paused_until=paused_until,
                in_work_since=in_work_since,
            ),
            CaseloadPerson(id=user_id, full_name=full_name, preferred_name=preferred_name),
        )
        for (
            profile_id,
            user_id,
            adviser,
            claimant_type,
            status,
            paused_until,
            in_work_since,
            full_name,
            preferred_name,
        ) in rows
    ]


@cache
def _open_tasks_statement() -> Select[AdviserTask, User]:
    return (
        select(AdviserTask, User)
        .join(ClientProfile, col(ClientProfile.id) == col(AdviserTask.client_id))
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(
            caseload_scope(ADVISER),
            col(AdviserTask.done_at).is_(None),
            # Planned tasks (like in-work check-ins) appear on the day they are due.
            or_(
                col(AdviserTask.due_on).is_(None),
                col(AdviserTask.due_on) <= bindparam("today"),
            ),
        )
        .order_by(col(AdviserTask.created_at))
    )


def open_tasks(*, session: Session, adviser_id: int) -> Sequence[tuple[AdviserTask, User]]:
    """Tasks not yet done for this adviser's clients, oldest first (planned ones from their day)."""
    return session.exec(
        _open_tasks_statement(), params={"adviser_id": adviser_id, "today": london_today()}
    ).all()


@cache
def _open_requests_statement() -> Select[RescheduleRequest, User]:
    return (
        select(RescheduleRequest, User)
        .join(ClientProfile, col(ClientProfile.id) == col(RescheduleRequest.client_id))
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(caseload_scope(ADVISER), RescheduleRequest.status == RequestStatus.open)
        .order_by(col(RescheduleRequest.created_at))
    )


def open_requests(*, session: Session, adviser_id: int) -> Sequence[tuple[RescheduleRequest, User]]:
    """Reschedule requests and "not well enough" notices waiting for this adviser."""
    return session.exec(_open_requests_statement(), params={"adviser_id": adviser_id}).all()


def private_notes(*, session: Session, client_id: int) -> Sequence[PrivateNote]:
    return session.exec(
        select(PrivateNote)
        .where(PrivateNote.client_id == client_id)
        .order_by(col(PrivateNote.created_at).desc())
    ).all()


def services_for(*, session: Session, client_id: int) -> Sequence[ClientService]:
    return session.exec(
        select(ClientService)
        .where(ClientService.client_id == client_id)
        .order_by(col(ClientService.id))
    ).all()
