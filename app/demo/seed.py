"""Demo data: one office, three advisers and forty clients at different points of the programme.

Every name is made up and every phone number is in Ofcom's drama range (07700 900000-900999),
so nothing here can reach a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.accounts.passwords import hash_password
from app.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
)
from app.core.clock import london_datetime, london_today
from app.offices.calendar import next_open_day
from app.offices.models import Office, Venue, VenueKind
from app.people.models import Adviser, ClaimantType, ClientProfile, ClientStatus, Role, User
from app.reminders.planner import replan_client

FIRST_NAMES = [
    "Aled",
    "Bethan",
    "Ceri",
    "Dilys",
    "Eifion",
    "Ffion",
    "Gareth",
    "Heledd",
    "Iolo",
    "Jac",
    "Kayleigh",
    "Lowri",
    "Macsen",
    "Nia",
    "Owain",
    "Pat",
    "Rhian",
    "Sioned",
    "Tomos",
    "Una",
    "Amira",
    "Bilal",
    "Chloe",
    "Dev",
    "Esme",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jonah",
    "Kiran",
    "Leah",
    "Milo",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinn",
    "Ravi",
    "Sana",
    "Theo",
]
FAMILY_NAMES = [
    "Example",
    "Sample",
    "Testwood",
    "Fictional",
    "Madeup",
    "Demo",
    "Placeholder",
    "Pretend",
]
# Demo staff share one password and one authenticator key. The development outbox page shows
# the current code, so the demo works without an authenticator app. Never used outside demo data.
DEMO_PASSWORD = "demo-adviser-password"  # noqa: S105
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
DEMO_PASSWORD_HASH = hash_password(DEMO_PASSWORD)
WFI_INTERVAL = timedelta(weeks=4)
FIRST_WFI_AFTER_CLAIM = timedelta(weeks=8)


@dataclass(frozen=True)
class SeedSummary:
    advisers: list[str]
    client_phones: list[str]


def demo_phone(n: int) -> str:
    """The n-th number of Ofcom's drama range, in E.164."""
    return f"+447700900{n:03d}"


def _open_day(day: date) -> date:
    """`day`, or the demo office's next open day (Monday to Friday, less England and Wales'
    bank holidays: the office's defaults)."""
    return next_open_day(Office(name="", address="", postcode="", phone=""), day)


def seed_demo(session: Session, *, rng_seed: int = 2009) -> SeedSummary:
    """Create the demo office. Running it twice changes nothing the second time."""
    existing = session.exec(select(User).where(User.role == Role.adviser)).first()
    if existing is not None:
        return _summary(session)

    rng = random.Random(rng_seed)  # noqa: S311 - demo data, not security
    today = london_today()
    office = Office(
        name="Riverside Jobcentre Plus (demo)",
        address="1 Example Street, Riverside",
        name_cy="Canolfan Byd Gwaith Glan-yr-afon (demo)",
        address_cy="1 Stryd Enghraifft, Glan-yr-afon",
        postcode="RV1 1AA",
        phone="0300 000 0000",
    )
    session.add(office)
    session.flush()
    assert office.id is not None
    venues = [
        Venue(
            office_id=office.id,
            name="Riverside Jobcentre Plus",
            kind=VenueKind.office,
            address="1 Example Street, Riverside",
            name_cy="Canolfan Byd Gwaith Glan-yr-afon",
            address_cy="1 Stryd Enghraifft, Glan-yr-afon",
            postcode="RV1 1AA",
            has_private_room=True,
            accessible_entrance_notes="Step-free entrance on Mill Lane, to the left of the main door.",
            accessible_entrance_notes_cy="Mynedfa heb risiau ar Lôn y Felin, i'r chwith o'r brif fynedfa.",
        ),
        Venue(
            office_id=office.id,
            name="Riverside Community Centre",
            kind=VenueKind.community,
            address="12 Park Road, Riverside",
            name_cy="Canolfan Gymunedol Glan-yr-afon",
            address_cy="12 Ffordd y Parc, Glan-yr-afon",
            postcode="RV2 3BB",
            has_private_room=True,
        ),
        Venue(office_id=office.id, name="Phone call", name_cy="Galwad ffôn", kind=VenueKind.phone),
        Venue(
            office_id=office.id, name="Home visit", name_cy="Ymweliad cartref", kind=VenueKind.home
        ),
    ]
    session.add_all(venues)

    advisers: list[Adviser] = []
    for index, (name, preferred) in enumerate(
        [("Sam Adviser", "Sam"), ("Rhys Example", "Rhys"), ("Jo Sample", "Jo")], start=1
    ):
        user = User(
            role=Role.adviser,
            full_name=name,
            preferred_name=preferred,
            email=f"adviser{index}@example.org",
            password_hash=DEMO_PASSWORD_HASH,
            totp_secret=DEMO_TOTP_SECRET,
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        adviser = Adviser(user_id=user.id, office_id=office.id)
        session.add(adviser)
        advisers.append(adviser)
    session.add(
        User(
            role=Role.admin,
            full_name="Alex Admin",
            email="admin@example.org",
            password_hash=DEMO_PASSWORD_HASH,
            totp_secret=DEMO_TOTP_SECRET,
        )
    )
    session.flush()

    for n in range(40):
        first = FIRST_NAMES[n]
        user = User(
            role=Role.client,
            full_name=f"{first} {FAMILY_NAMES[n % len(FAMILY_NAMES)]}",
            preferred_name=first,
            phone=demo_phone(100 + n),
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        adviser = advisers[n % len(advisers)]
        assert adviser.id is not None
        mandatory = n % 4 != 3
        # Spread claims so clients sit at every point of the six-interview sequence.
        claim_date = today - timedelta(days=rng.randint(20, 200))
        profile = ClientProfile(
            user_id=user.id,
            adviser_id=adviser.id,
            claimant_type=ClaimantType.mandatory if mandatory else ClaimantType.voluntary,
            claim_date=claim_date,
            language="cy" if n % 7 == 0 else "en",
        )
        if n % 10 == 4:
            profile.status = ClientStatus.paused
            profile.paused_until = today + timedelta(weeks=rng.randint(2, 10))
        if n % 10 == 7:
            profile.in_work_since = today - timedelta(days=rng.randint(3, 40))
            profile.work_hours_per_week = rng.choice([16, 20, 24, 30])
        session.add(profile)
        session.flush()
        _add_appointments(session, rng, profile, adviser, venues, today)
        session.flush()
        # Reminders for what is booked, as if each had been booked through the app (the
        # development outbox then shows them waiting for their time).
        replan_client(session, profile)

    _add_free_times(session, advisers, venues, today)
    session.flush()
    return _summary(session)


DEMO_SLOT_TIMES = [(9, 30), (12, 0), (13, 15), (14, 45), (16, 0)]


def _add_free_times(
    session: Session, advisers: list[Adviser], venues: list[Venue], today: date
) -> None:
    """Free times for the next 8 weeks, so clients can choose a new time in the demo."""
    for adviser in advisers:
        assert adviser.id is not None
        for offset in range(1, 8 * 7):
            day = today + timedelta(days=offset)
            if _open_day(day) != day:  # a weekend or a bank holiday
                continue
            for index, (hour, minute) in enumerate(DEMO_SLOT_TIMES):
                phone = index == 2
                session.add(
                    AvailabilitySlot(
                        adviser_id=adviser.id,
                        venue_id=venues[2].id if phone else venues[0].id,
                        mode=AppointmentMode.phone if phone else AppointmentMode.in_person,
                        starts_at=london_datetime(day, hour, minute),
                        duration_minutes=60,
                    )
                )


def _add_appointments(
    session: Session,
    rng: random.Random,
    profile: ClientProfile,
    adviser: Adviser,
    venues: list[Venue],
    today: date,
) -> None:
    assert profile.id is not None and adviser.id is not None
    horizon = today + timedelta(weeks=8)
    office_venue = venues[0]
    if profile.claimant_type == ClaimantType.mandatory:
        planned = [profile.claim_date + FIRST_WFI_AFTER_CLAIM + WFI_INTERVAL * i for i in range(6)]
    else:
        planned = [today + timedelta(days=rng.randint(3, 50))]
    for number, day in enumerate(planned, start=1):
        if day > horizon:
            break
        day = _open_day(day)
        in_past = day < today
        if profile.status == ClientStatus.paused and not in_past:
            break  # a deferred client has nothing booked until their review
        hour = rng.choice([10, 11, 13, 14, 15])
        minute = rng.choice([0, 30])
        mode = rng.choice([AppointmentMode.in_person] * 4 + [AppointmentMode.phone])
        appointment = Appointment(
            client_id=profile.id,
            adviser_id=adviser.id,
            kind=AppointmentKind.wfi
            if profile.claimant_type == ClaimantType.mandatory
            else AppointmentKind.review,
            wfi_number=number if profile.claimant_type == ClaimantType.mandatory else None,
            starts_at=london_datetime(day, hour, minute),
            duration_minutes=60 if number == 1 else 45,
            mode=mode,
            venue_id=office_venue.id if mode == AppointmentMode.in_person else venues[2].id,
            status=AppointmentStatus.attended if in_past else AppointmentStatus.booked,
        )
        session.add(appointment)


def _summary(session: Session) -> SeedSummary:
    advisers = session.exec(select(User.email).where(User.role == Role.adviser)).all()
    phones = session.exec(
        select(User.phone).where(User.role == Role.client).order_by(col(User.id)).limit(3)
    ).all()
    return SeedSummary(advisers=[a for a in advisers if a], client_phones=[p for p in phones if p])
