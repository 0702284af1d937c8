"""Caseload queries. Scoping an adviser to their own clients happens here and only here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, or_, select

from app.caseload.models import ClientService, PrivateNote
from app.core.clock import london_today
from app.delivery.models import Notification, NotificationKind
from app.people.models import AdviserTask, ClientProfile, User
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


def caseload(*, session: Session, adviser_id: int) -> Sequence[tuple[ClientProfile, User]]:
    return session.exec(
        select(ClientProfile, User)
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(caseload_scope(adviser_id))
        .order_by(col(User.full_name))
    ).all()


def open_tasks(*, session: Session, adviser_id: int) -> Sequence[tuple[AdviserTask, User]]:
    return session.exec(
        select(AdviserTask, User)
        .join(ClientProfile, col(ClientProfile.id) == col(AdviserTask.client_id))
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(
            caseload_scope(adviser_id),
            col(AdviserTask.done_at).is_(None),
            # Planned tasks (like in-work check-ins) appear on the day they are due.
            or_(col(AdviserTask.due_on).is_(None), col(AdviserTask.due_on) <= london_today()),
        )
        .order_by(col(AdviserTask.created_at))
    ).all()


def open_requests(*, session: Session, adviser_id: int) -> Sequence[tuple[RescheduleRequest, User]]:
    """Reschedule requests and "not well enough" notices waiting for this adviser."""
    return session.exec(
        select(RescheduleRequest, User)
        .join(ClientProfile, col(ClientProfile.id) == col(RescheduleRequest.client_id))
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(caseload_scope(adviser_id), RescheduleRequest.status == RequestStatus.open)
        .order_by(col(RescheduleRequest.created_at))
    ).all()


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
