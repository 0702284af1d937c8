"""The appointments domain's queries. (A domain that needs its own read of appointments, like
the caseload's attention list, keeps it in its own repository or read model.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AvailabilitySlot,
    CalendarFeed,
    HelpKind,
    HelpRequest,
    SessionPreference,
    StandingNeed,
)
from app.core.clock import utcnow
from app.offices.models import Venue
from app.people.models import Role, User


def upcoming_for_client(
    *, session: Session, client_id: int, limit: int = 10
) -> Sequence[tuple[Appointment, Venue | None]]:
    """Booked appointments from now on, soonest first, with where they happen."""
    return session.exec(
        select(Appointment, Venue)
        .join(Venue, col(Venue.id) == col(Appointment.venue_id), isouter=True)
        .where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= utcnow(),
        )
        .order_by(col(Appointment.starts_at))
        .limit(limit)
    ).all()


def in_progress_for_client(*, session: Session, client_id: int) -> list[Appointment]:
    """Booked appointments that have begun and are not yet over (a phone call going on now),
    soonest first: no longer "upcoming", but not over either, so home still shows them."""
    now = utcnow()
    begun = session.exec(
        select(Appointment)
        .where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) < now,
            # No appointment lasts a day: this bounds the query; ends_at decides.
            col(Appointment.starts_at) >= now - timedelta(days=1),
        )
        .order_by(col(Appointment.starts_at))
    ).all()
    return [a for a in begun if _aware(a.ends_at) > now]


def _aware(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite gives stored times back naive, in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def all_for_client(*, session: Session, client_id: int) -> Sequence[Appointment]:
    return session.exec(
        select(Appointment)
        .where(Appointment.client_id == client_id)
        .order_by(col(Appointment.starts_at))
    ).all()


def for_client(*, session: Session, client_id: int, appointment_id: int) -> Appointment | None:
    """One of this client's appointments, or None (the route answers 404)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.client_id != client_id:
        return None
    return appointment


def help_requests(*, session: Session, appointment_id: int) -> Sequence[HelpRequest]:
    return session.exec(
        select(HelpRequest)
        .where(HelpRequest.appointment_id == appointment_id)
        .order_by(col(HelpRequest.id))
    ).all()


def history(*, session: Session, appointment_id: int) -> Sequence[AppointmentChange]:
    return session.exec(
        select(AppointmentChange)
        .where(AppointmentChange.appointment_id == appointment_id)
        .order_by(col(AppointmentChange.changed_at))
    ).all()


def latest_change(*, session: Session, appointment_id: int) -> AppointmentChange | None:
    """The newest line of an appointment's history, if any."""
    return session.exec(
        select(AppointmentChange)
        .where(AppointmentChange.appointment_id == appointment_id)
        .order_by(col(AppointmentChange.changed_at).desc(), col(AppointmentChange.id).desc())
    ).first()


def supporter_names(*, session: Session, changes: Sequence[AppointmentChange]) -> dict[int, str]:
    """{user id: name} for the support people who made any of these changes, so a history
    line can say who ("Gwen (support person)") instead of passing it off as the client's."""
    ids = {
        change.actor_user_id
        for change in changes
        if change.actor_role == Role.supporter and change.actor_user_id is not None
    }
    if not ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return {user.id: user.display_name for user in rows if user.id is not None}


def change_names(*, session: Session, changes: Sequence[AppointmentChange]) -> dict[int, str]:
    """{user id: name} for everyone who made, or asked for, any of these changes, so the
    adviser's history can say who moved a time ("by Sam (support person)", "by Jo Adviser")."""
    ids = {
        user_id
        for change in changes
        for user_id in (change.actor_user_id, change.asked_by_user_id)
        if user_id is not None
    }
    if not ids:
        return {}
    rows = session.exec(select(User).where(col(User.id).in_(ids))).all()
    return {user.id: user.display_name for user in rows if user.id is not None}


def feed_by_token_hash(*, session: Session, token_hash: str) -> CalendarFeed | None:
    return feed_by_token_hashes(session=session, token_hashes=[token_hash])


def feed_by_token_hashes(*, session: Session, token_hashes: list[str]) -> CalendarFeed | None:
    """The live feed stored under any of these hashes (the token's, under each key we accept)."""
    return session.exec(
        select(CalendarFeed).where(
            col(CalendarFeed.token_hash).in_(token_hashes), col(CalendarFeed.revoked_at).is_(None)
        )
    ).first()


def missed_without_new_time(*, session: Session, client_id: int) -> Appointment | None:
    """The most recent missed appointment, if nothing has been booked since."""
    missed = session.exec(
        select(Appointment)
        .where(Appointment.client_id == client_id, Appointment.status == AppointmentStatus.missed)
        .order_by(col(Appointment.starts_at).desc())
    ).first()
    if missed is None:
        return None
    later = session.exec(
        select(Appointment).where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.created_at) > missed.starts_at,
        )
    ).first()
    return None if later else missed


def live_feeds(*, session: Session, client_id: int) -> Sequence[CalendarFeed]:
    return session.exec(
        select(CalendarFeed).where(
            CalendarFeed.client_id == client_id, col(CalendarFeed.revoked_at).is_(None)
        )
    ).all()


def history_for_client(
    *, session: Session, client_id: int
) -> Sequence[tuple[AppointmentChange, Appointment]]:
    """Every change to any of the client's appointments, newest first."""
    return session.exec(
        select(AppointmentChange, Appointment)
        .join(Appointment, col(Appointment.id) == col(AppointmentChange.appointment_id))
        .where(Appointment.client_id == client_id)
        .order_by(col(AppointmentChange.changed_at).desc())
        .limit(100)
    ).all()


def free_slots_by_id(
    *, session: Session, adviser_id: int, ids: Iterable[int]
) -> list[AvailabilitySlot]:
    """The slots named in a form (ids, each once) that belong to this adviser and are free."""
    slots = (session.get(AvailabilitySlot, i) for i in dict.fromkeys(ids))
    return [
        s
        for s in slots
        if s is not None and s.adviser_id == adviser_id and s.appointment_id is None
    ]


def standing_needs(*, session: Session, client_id: int) -> Sequence[StandingNeed]:
    """The help a client keeps for every appointment, in the order of HelpKind."""
    order = {kind: i for i, kind in enumerate(HelpKind)}
    rows = session.exec(select(StandingNeed).where(StandingNeed.client_id == client_id)).all()
    return sorted(rows, key=lambda need: order.get(HelpKind(need.kind), len(order)))


def session_preference(*, session: Session, client_id: int) -> SessionPreference | None:
    return session.exec(
        select(SessionPreference).where(SessionPreference.client_id == client_id)
    ).first()


def upcoming_booked(*, session: Session, client_id: int) -> Sequence[Appointment]:
    """Every booked appointment still to come (no limit: a need applies to all of them)."""
    return session.exec(
        select(Appointment).where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) > utcnow(),
        )
    ).all()
