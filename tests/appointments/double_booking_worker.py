"""A separate process that tries to book one slot many times (used by the PostgreSQL test).

Usage: python -m tests.appointments.double_booking_worker DATABASE_URL SLOT_ID CLIENT_IDS...
Prints one line per attempt: "booked" or "taken".
"""

from __future__ import annotations

import sys

from sqlmodel import Session

import app.models  # noqa: F401 - every table, so foreign keys resolve
from app.appointments.booking import SlotTaken, book_slot
from app.appointments.models import AppointmentKind, AvailabilitySlot
from app.core.db import build_engine
from app.main import wire_listeners


def main() -> None:
    url, slot_id, *client_ids = sys.argv[1:]
    wire_listeners()  # a booking plans reminders, as in the app
    engine = build_engine(url)
    for client_id in client_ids:
        with Session(engine) as session:
            slot = session.get(AvailabilitySlot, int(slot_id))
            assert slot is not None
            try:
                book_slot(
                    session=session,
                    slot=slot,
                    client_id=int(client_id),
                    kind=AppointmentKind.review,
                    wfi_number=None,
                    actor_user_id=None,
                    actor_role="adviser",
                )
                session.commit()
                print("booked", flush=True)
            except SlotTaken:
                session.rollback()
                print("taken", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
