"""A client's standing needs: help they want at every appointment until they change it.

Each need is copied onto every booked appointment still to come, as a help request the adviser
answers for that appointment ("Arranged", with what was arranged). Removing a need removes the
copies still waiting for an answer; anything already arranged stays, so nothing the adviser
booked disappears from the client's page without a word. We keep only the kind of help (and a
language or a companion's name), never a reason or a health detail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from sqlmodel import Session

from app.appointments import repository
from app.appointments.models import (
    Appointment,
    HelpKind,
    HelpRequest,
    SessionFormat,
    SessionPreference,
    StandingNeed,
)
from app.core.clock import utcnow


def _requests_by_kind(session: Session, appointment_id: int) -> dict[str, HelpRequest]:
    return {
        h.kind: h for h in repository.help_requests(session=session, appointment_id=appointment_id)
    }


def _copy_onto(session: Session, appointment: Appointment, need: StandingNeed) -> bool:
    """Put one need on one appointment; True if a new request was added."""
    assert appointment.id is not None
    existing = _requests_by_kind(session, appointment.id).get(need.kind)
    if existing is None:
        session.add(
            HelpRequest(
                appointment_id=appointment.id, kind=need.kind, detail=need.detail, standing=True
            )
        )
        return True
    changed = existing.status == "asked" and existing.detail != need.detail
    if changed or not existing.standing:
        # Asked once and now kept; or a new language or name while the adviser has not yet
        # answered (an arranged interpreter stays as arranged).
        existing.standing = True
        if existing.status == "asked":
            existing.detail = need.detail
        session.add(existing)
    return False


def keep_need(*, session: Session, client_id: int, kind: HelpKind, detail: str | None) -> None:
    """Keep a need for every appointment (adding it, or changing its detail), and put it on each
    booked appointment still to come."""
    need = next(
        (
            n
            for n in repository.standing_needs(session=session, client_id=client_id)
            if n.kind == kind
        ),
        None,
    )
    if need is None:
        need = StandingNeed(client_id=client_id, kind=kind, detail=detail)
    elif need.detail != detail:
        need.detail, need.updated_at = detail, utcnow()
    session.add(need)
    session.flush()
    for appointment in repository.upcoming_booked(session=session, client_id=client_id):
        _copy_onto(session, appointment, need)


def change_detail(*, session: Session, help_request: HelpRequest, detail: str) -> None:
    """A new language or companion's name for help already asked for on one appointment: kept,
    and asked again if the adviser had arranged it for the old one."""
    help_request.detail = detail
    if help_request.status == "arranged":
        help_request.status, help_request.arranged_note = "asked", None
        help_request.answered_at = None
    session.add(help_request)
    session.flush()


def forget_need(*, session: Session, client_id: int, kind: HelpKind) -> None:
    """Stop keeping a need; its copies on appointments to come go too while still unanswered."""
    for need in repository.standing_needs(session=session, client_id=client_id):
        if need.kind == kind:
            session.delete(need)
    for appointment in repository.upcoming_booked(session=session, client_id=client_id):
        assert appointment.id is not None
        copy = _requests_by_kind(session, appointment.id).get(kind)
        if copy is not None and copy.standing and copy.status == "asked":
            session.delete(copy)
    session.flush()


def set_needs(*, session: Session, client_id: int, wanted: Mapping[HelpKind, str | None]) -> None:
    """Make the client's standing needs exactly `wanted` ({kind: language, name or None})."""
    current = {
        HelpKind(n.kind): n for n in repository.standing_needs(session=session, client_id=client_id)
    }
    for kind in current.keys() - wanted.keys():
        forget_need(session=session, client_id=client_id, kind=kind)
    for kind, detail in wanted.items():
        if kind not in current or current[kind].detail != detail:
            keep_need(session=session, client_id=client_id, kind=kind, detail=detail)


def copy_needs_to(*, session: Session, appointment: Appointment) -> None:
    """Put every standing need on a newly booked appointment (booking calls this)."""
    for need in repository.standing_needs(session=session, client_id=appointment.client_id):
        _copy_onto(session, appointment, need)


def reopen_arranged(*, session: Session, appointment: Appointment) -> None:
    """After a move, what was arranged for the old time ("a private room is booked") may no
    longer be true: it goes back to the adviser as asked, and the client sees "asked" until
    the adviser arranges it for the new time."""
    assert appointment.id is not None
    for help_request in repository.help_requests(session=session, appointment_id=appointment.id):
        if help_request.status == "arranged":
            help_request.status, help_request.arranged_note = "asked", None
            help_request.answered_at = None
            session.add(help_request)


def set_session_format(
    *, session: Session, client_id: int, session_format: SessionFormat | None
) -> None:
    """Group or one-to-one sessions for courses; None forgets the preference."""
    preference = repository.session_preference(session=session, client_id=client_id)
    if session_format is None:
        if preference is not None:
            session.delete(preference)
        return
    if preference is None:
        preference = SessionPreference(client_id=client_id, session_format=session_format)
    preference.session_format, preference.updated_at = session_format, utcnow()
    session.add(preference)


def fingerprint(*, session: Session, client_id: int) -> str:
    """A short digest of the client's standing needs and session preference as they are now.
    The your-needs form carries the one it was drawn with; a save whose fingerprint is not
    the current one was decided on an old page (another tab, another phone, the offline
    queue) and saves nothing. Nothing kept at all has the fingerprint `EMPTY`."""
    kept = sorted(
        (str(n.kind), n.detail or "")
        for n in repository.standing_needs(session=session, client_id=client_id)
    )
    preference = repository.session_preference(session=session, client_id=client_id)
    return _digest(kept, str(preference.session_format) if preference else "")


def _digest(kept: list[tuple[str, str]], session_format: str) -> str:
    text = json.dumps([kept, session_format], ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


EMPTY = _digest([], "")
