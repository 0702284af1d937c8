"""Set up people and times for the browser scenarios, straight into the live server's database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

from sqlmodel import Session, col, select

import app.models  # noqa: F401 - every table, so foreign keys resolve
from app.appointments.availability import publish
from app.appointments.booking import book_slot
from app.appointments.models import AppointmentKind, AppointmentMode
from app.core.clock import london_today
from app.core.db import build_engine, write_session
from app.delivery.models import Notification
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, ClaimantType, ClientProfile, Role, User

_numbers = count(600)


def international(phone: str) -> str:
    """'07700 900601' as the app stores it: '+447700900601'."""
    return "+44" + phone.replace(" ", "")[1:]


@dataclass
class Scenario:
    phone: str  # as a person types it, e.g. "07700 900601"
    # Unique on the shared live server: two tests' "Carys" must never be confused on one page.
    full_name: str
    client_id: int
    appointment_id: int
    adviser_email: str


def _weekdays_from(day: date, how_many: int) -> list[date]:
    days: list[date] = []
    while len(days) < how_many:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def new_client_with_first_wfi(database_url: str, name: str, language: str = "en") -> Scenario:
    """A mandatory client of adviser1 with interview 1 booked, and free times morning and
    afternoon on the following days."""
    engine = build_engine(database_url)
    n = next(_numbers)
    with write_session(engine) as session:
        adviser_user = session.exec(select(User).where(User.email == "adviser1@example.org")).one()
        adviser = session.exec(select(Adviser).where(Adviser.user_id == adviser_user.id)).one()
        assert adviser.id is not None
        venue = session.exec(select(Venue).where(Venue.kind == VenueKind.office)).first()
        user = User(
            role=Role.client,
            full_name=f"{name} Scenario {n}",
            preferred_name=name,
            phone=f"+447700900{n:03d}",
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        profile = ClientProfile(
            user_id=user.id,
            adviser_id=adviser.id,
            claimant_type=ClaimantType.mandatory,
            claim_date=london_today() - timedelta(weeks=7),
            language=language,
        )
        session.add(profile)
        session.flush()
        assert profile.id is not None
        days = _weekdays_from(london_today() + timedelta(days=3), 5)
        first = publish(
            session=session,
            adviser_id=adviser.id,
            day=days[0],
            hour=9,
            minute=15,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=venue.id if venue else None,
            offered_to_client_id=profile.id,
        )[0]
        appointment = book_slot(
            session=session,
            slot=first,
            client_id=profile.id,
            kind=AppointmentKind.wfi,
            wfi_number=1,
            actor_user_id=adviser_user.id,
            actor_role="adviser",
        )
        # Offered only to this client, so other tests' choices never interfere.
        for day in days[1:]:
            for hour, minute in ((9, 45), (10, 20), (13, 40), (15, 10)):
                publish(
                    session=session,
                    adviser_id=adviser.id,
                    day=day,
                    hour=hour,
                    minute=minute,
                    duration_minutes=60,
                    mode=AppointmentMode.in_person,
                    venue_id=venue.id if venue else None,
                    offered_to_client_id=profile.id,
                )
        assert appointment.id is not None
        scenario = Scenario(
            phone=f"07700 900{n:03d}",
            full_name=user.full_name,
            client_id=profile.id,
            appointment_id=appointment.id,
            adviser_email="adviser1@example.org",
        )
    engine.dispose()
    return scenario


def messages_to(database_url: str, client_id: int) -> list[Notification]:
    engine = build_engine(database_url)
    with Session(engine) as session:
        profile = session.get(ClientProfile, client_id)
        assert profile is not None
        rows = session.exec(
            select(Notification)
            .where(Notification.user_id == profile.user_id)
            .order_by(col(Notification.id))
        ).all()
    engine.dispose()
    return list(rows)
