"""Times an adviser offered one client that can no longer be chosen: taken off the lists,
and said so, never dropped without a word (outside-in #3).

An offered time stops being choosable when it comes within the programme's notice
(policy.MIN_NOTICE), clashes with a busy time the client added, falls on a day the office has
since closed, or would put an interview out of order (order.py). Such a time stays kept for
the client in the diary (the adviser can see it), so it is counted here, and the client's
pages say "some of these times are no longer free" and list the ones that still are.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from app.appointments.models import AvailabilitySlot
from app.rescheduling import repository


def no_longer_free(*, session: Session, client_id: int, shown: Iterable[AvailabilitySlot]) -> int:
    """How many times kept for this client, still free and not yet begun, are not among
    `shown` (the offered times a page lists): 0 when every offered time is shown."""
    listed = {slot.id for slot in shown}
    return sum(
        1
        for slot in repository.offered_to(session=session, client_id=client_id)
        if slot.id not in listed
    )
