"""The demo office: realistic, made-up, in Ofcom's drama range, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, func, select

from app.appointments.models import Appointment, AppointmentStatus
from app.core.clock import london_today, to_london
from app.demo.seed import seed_demo
from app.people.models import ClaimantType, ClientProfile, ClientStatus, Role, User


def test_seed_creates_a_realistic_office(db: Session) -> None:
    seed_demo(db)
    advisers = db.exec(select(User).where(User.role == Role.adviser)).all()
    clients = db.exec(select(ClientProfile)).all()
    assert len(advisers) == 3
    assert len(clients) == 40
    assert {c.claimant_type for c in clients} == {ClaimantType.mandatory, ClaimantType.voluntary}
    assert any(c.status == ClientStatus.paused and c.paused_until for c in clients)
    assert any(c.in_work_since for c in clients)
    assert {c.language for c in clients} == {"en", "cy"}

    phones = db.exec(select(User.phone).where(User.role == Role.client)).all()
    for phone in phones:
        assert phone is not None
        assert phone.startswith("+447700900")

    upcoming = db.exec(
        select(Appointment).where(Appointment.status == AppointmentStatus.booked)
    ).all()
    today = london_today()
    assert upcoming
    for appointment in upcoming:
        local = to_london(appointment.starts_at)
        assert today <= local.date() <= today + timedelta(weeks=8, days=2)
        assert local.weekday() < 5
        assert 9 <= local.hour <= 16
    wfi_numbers = {a.wfi_number for a in upcoming if a.wfi_number}
    assert len(wfi_numbers) >= 3  # clients at different points of the sequence


def test_paused_clients_have_nothing_booked(db: Session) -> None:
    seed_demo(db)
    paused_ids = db.exec(
        select(ClientProfile.id).where(ClientProfile.status == ClientStatus.paused)
    ).all()
    booked = db.exec(
        select(Appointment).where(
            col(Appointment.client_id).in_(paused_ids),
            Appointment.status == AppointmentStatus.booked,
        )
    ).all()
    assert booked == []


def test_seed_is_idempotent(db: Session) -> None:
    seed_demo(db)
    seed_demo(db)
    assert db.exec(select(func.count()).select_from(User)).one() == 44


def test_demo_staff_can_sign_in_with_the_documented_password(db: Session) -> None:
    from app.accounts.passwords import verify_password, verify_totp
    from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET

    seed_demo(db)
    staff = db.exec(select(User).where(col(User.role).in_([Role.adviser, Role.admin]))).all()
    assert len(staff) == 4
    import pyotp

    for user in staff:
        assert verify_password(user.password_hash, DEMO_PASSWORD)
        assert verify_totp(user.totp_secret, pyotp.TOTP(DEMO_TOTP_SECRET).now())
