"""Queries about people that every domain may need."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter
from sqlmodel import Session, col, select

from app.people.models import ClientProfile, User


def client_in_caseload(
    *, session: Session, adviser_id: int, client_id: int
) -> tuple[ClientProfile, User] | None:
    """A client on this adviser's caseload, or None (the route answers 404)."""
    return session.exec(
        select(ClientProfile, User)
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .where(ClientProfile.id == client_id, caseload_scope(adviser_id))
    ).first()


def caseload_scope(adviser_id: int | BindParameter[int]) -> Any:
    """The one rule: an adviser sees the clients assigned to them, and nobody else's.
    `adviser_id` may be a bound value, for a statement built once and run for any adviser."""
    return col(ClientProfile.adviser_id) == adviser_id
