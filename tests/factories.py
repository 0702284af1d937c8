"""Make people and records for tests, and walk sign-in the way a browser does."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pyotp
from fastapi import Request
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.passwords import fresh_totp_code, hash_password
from app.appointments.booking import book_slot
from app.appointments.models import Appointment, AppointmentKind, AvailabilitySlot
from app.core.clock import london_today
from app.core.db import SAFE_METHODS, request_session_on_loop
from app.delivery.models import Notification
from app.offices.calendar import next_open_day
from app.offices.models import Office
from app.people.models import Adviser, ClaimantType, ClientProfile, Role, SupportLink, User

_numbers = count(500)
STAFF_PASSWORD = "correct horse battery staple"


def done_in(location: str) -> dict[str, str]:
    """What a redirect's signed "done" address says was done (app/core/done_links.py), without
    its time and signature: "/adviser/clients/4?offered=2&at=..&done=..#x" -> {"offered": "2"}."""
    query = urlsplit(location).query
    return {k: v for k, v in parse_qsl(query) if k not in {"at", "done"}}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def post_form(
    client: TestClient,
    page: str,
    action: str,
    data: Mapping[str, str | Sequence[str]],
    **kwargs: Any,
) -> Response:
    """GET the page (for its CSRF token), then POST the form as a browser would."""
    token = csrf_from(client.get(page).text)
    # Starlette types TestClient against httpx2, which is not installed, so name the type here.
    response: Response = client.post(
        action, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs
    )
    return response


def make_office(db: Session) -> Office:
    office = db.exec(select(Office)).first()
    if office is None:
        office = Office(
            name="Test Office", address="1 Test Street", postcode="TE1 1ST", phone="0300 000 0000"
        )
        db.add(office)
        db.flush()
    return office


def open_day_ahead(days: int) -> date:
    """The first day at least `days` after today (London) that a test office (England, Monday
    to Friday) is open: a test that publishes a time "in nine days" must not land on a
    weekend or a bank holiday, where the app (rightly) treats the time as not bookable."""
    office = Office(name="", address="", postcode="", phone="")
    return next_open_day(office, london_today() + timedelta(days=days))


def make_adviser(db: Session, name: str = "Ada Adviser") -> tuple[Adviser, User]:
    office = make_office(db)
    n = next(_numbers)
    user = User(
        role=Role.adviser,
        full_name=name,
        email=f"adviser{n}@example.org",
        password_hash=hash_password(STAFF_PASSWORD),
        totp_secret=pyotp.random_base32(),
    )
    db.add(user)
    db.flush()
    assert user.id is not None and office.id is not None
    adviser = Adviser(user_id=user.id, office_id=office.id)
    db.add(adviser)
    db.flush()
    return adviser, user


def make_admin(db: Session) -> User:
    n = next(_numbers)
    user = User(
        role=Role.admin,
        full_name="Ali Admin",
        email=f"admin{n}@example.org",
        password_hash=hash_password(STAFF_PASSWORD),
        totp_secret=pyotp.random_base32(),
    )
    db.add(user)
    db.flush()
    return user


def make_client(
    db: Session,
    adviser: Adviser | None = None,
    name: str = "Cara Client",
    language: str = "en",
    claimant_type: ClaimantType = ClaimantType.mandatory,
) -> tuple[ClientProfile, User]:
    n = next(_numbers)
    user = User(role=Role.client, full_name=name, phone=f"+4477008{n % 100000:05d}")
    db.add(user)
    db.flush()
    assert user.id is not None
    profile = ClientProfile(
        user_id=user.id,
        adviser_id=adviser.id if adviser else None,
        claimant_type=claimant_type,
        claim_date=date(2026, 9, 1),
        language=language,
    )
    db.add(profile)
    db.flush()
    return profile, user


def last_message_to(db: Session, recipient: str) -> Notification | None:
    return db.exec(
        select(Notification)
        .where(Notification.recipient == recipient)
        .order_by(col(Notification.id).desc())
    ).first()


def code_in(message: Notification | None) -> str:
    assert message is not None, "no message was sent"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def sign_in_client(client: TestClient, db: Session, user: User, keep: bool = False) -> Response:
    """Sign in by code as `user`; the answer to the code (a 303 to where signing in leads)."""
    assert user.phone
    data = {"contact": user.phone}
    if keep:
        data["keep_signed_in"] = "yes"
    response = post_form(client, "/sign-in", "/sign-in", data)
    assert response.status_code == 303
    code = code_in(last_message_to(db, user.phone))
    response = post_form(client, "/sign-in/code", "/sign-in/code", {"code": code})
    assert response.status_code == 303, response.text
    return response


def sign_in_staff(client: TestClient, user: User) -> None:
    assert user.email and user.totp_secret
    response = post_form(
        client,
        "/adviser/sign-in",
        "/adviser/sign-in",
        {"email": user.email, "password": STAFF_PASSWORD},
    )
    assert response.headers["location"] == "/adviser/sign-in/code", response.text
    response = post_form(
        client, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": fresh_code(user)}
    )
    assert response.status_code == 303, response.text


def fresh_code(user: User) -> str:
    """An authenticator code the app has not yet accepted from this person (a code works
    once). Tests that sign the same person in several times within half a minute would
    otherwise have to wait for the clock: they start a fresh authenticator moment instead."""
    assert user.totp_secret
    code = fresh_totp_code(user.totp_secret, user.totp_last_step)
    if code is None:
        user.totp_last_step = None
        code = pyotp.TOTP(user.totp_secret).now()
    return code


def make_slot(
    db: Session,
    adviser: Adviser,
    starts_at: datetime,
    duration_minutes: int = 60,
    **fields: Any,
) -> AvailabilitySlot:
    """A free time in an adviser's diary (starts_at is an aware UTC datetime)."""
    assert adviser.id is not None
    slot = AvailabilitySlot(
        adviser_id=adviser.id, starts_at=starts_at, duration_minutes=duration_minutes, **fields
    )
    db.add(slot)
    db.flush()
    return slot


def make_appointment(
    db: Session, profile: ClientProfile, slot: AvailabilitySlot, kind: str = "wfi"
) -> Appointment:
    """Book a client into a slot the way the app does (the slot then holds the appointment)."""
    assert profile.id is not None
    return book_slot(
        session=db,
        slot=slot,
        client_id=profile.id,
        kind=AppointmentKind(kind),
        wfi_number=1 if kind == "wfi" else None,
        actor_user_id=None,
        actor_role="adviser",
    )


def make_support_person(
    db: Session,
    profile: ClientProfile,
    name: str = "Gwen Support",
    can_ask: bool = False,
    can_read_messages: bool = False,
) -> User:
    """A support person the client has linked; `can_ask` is the client's "can ask for
    changes for me", `can_read_messages` their "can read my messages"."""
    n = next(_numbers)
    user = User(role=Role.supporter, full_name=name, phone=f"+447700901{n % 1000:03d}")
    db.add(user)
    db.flush()
    assert user.id is not None and profile.id is not None
    db.add(
        SupportLink(
            client_id=profile.id,
            supporter_user_id=user.id,
            relationship="support worker",
            can_ask_for_changes=can_ask,
            can_see_messages=can_read_messages,
        )
    )
    db.flush()
    return user


def real_sessions(engine: Engine) -> Callable[[Request], AsyncIterator[Session]]:
    """The app's own per-request session on `engine`, for `dependency_overrides[get_session]`:
    a GET reads without SQLite's write lock, anything else takes it (no test shortcuts)."""

    async def session_for(request: Request) -> AsyncIterator[Session]:
        reader = request.method in SAFE_METHODS
        async for session in request_session_on_loop(engine, reader=reader):
            yield session

    return session_for
