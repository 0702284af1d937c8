"""200 simultaneous attempts at one slot give exactly one booking, on both databases.

These tests commit for real (other connections must see the rows), so they use a database of
their own rather than the rolled-back test transaction.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from app.appointments.booking import SlotTaken, book_slot
from app.appointments.models import Appointment, AppointmentKind, AvailabilitySlot
from app.core.clock import utcnow
from app.core.db import build_engine
from tests.factories import make_adviser, make_client

ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = 200


def _prepare(url: str) -> tuple[int, list[int]]:
    engine = build_engine(url)
    with Session(engine) as session:
        adviser, _ = make_adviser(session)
        clients = [make_client(session, adviser)[0] for _ in range(ATTEMPTS)]
        slot = AvailabilitySlot(adviser_id=adviser.id, starts_at=utcnow() + timedelta(days=3))  # type: ignore[arg-type]
        session.add(slot)
        session.commit()
        ids = (slot.id, [c.id for c in clients])
    engine.dispose()
    return ids  # type: ignore[return-value]


def _count(url: str, slot_id: int) -> tuple[int, int | None]:
    engine = build_engine(url)
    with Session(engine) as session:
        appointments = session.exec(select(func.count()).select_from(Appointment)).one()
        holder = session.get(AvailabilitySlot, slot_id)
        result = (int(appointments), holder.appointment_id if holder else None)
    engine.dispose()
    return result


def test_threads_on_sqlite_book_one_slot_once(migrated_database) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database("sqlite")
    slot_id, client_ids = _prepare(url)
    engine = build_engine(url)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(client_id: int) -> None:
        with Session(engine) as session:
            slot = session.get(AvailabilitySlot, slot_id)
            assert slot is not None
            try:
                book_slot(
                    session=session,
                    slot=slot,
                    client_id=client_id,
                    kind=AppointmentKind.review,
                    wfi_number=None,
                    actor_user_id=None,
                    actor_role="adviser",
                )
                session.commit()
                result = "booked"
            except SlotTaken:
                session.rollback()
                result = "taken"
            except OperationalError:  # "database is locked": a failed attempt, never a booking
                session.rollback()
                result = "busy"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(cid,)) for cid in client_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("booked") == 1
    appointments, holder = _count(url, slot_id)
    assert appointments == 1 and holder is not None


def test_processes_on_postgresql_book_one_slot_once(migrated_database) -> None:  # type: ignore[no-untyped-def]
    url = migrated_database("postgresql")
    slot_id, client_ids = _prepare(url)
    workers = 4
    chunks = [client_ids[i::workers] for i in range(workers)]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.appointments.double_booking_worker",
                url,
                str(slot_id),
                *map(str, chunk),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for chunk in chunks
    ]
    lines = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        lines += out.split()
    assert len(lines) == ATTEMPTS
    assert lines.count("booked") == 1
    appointments, holder = _count(url, slot_id)
    assert appointments == 1 and holder is not None
