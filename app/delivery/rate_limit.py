"""A worker's side of GOV.UK Notify's rate limit: which claimed messages get a send slot
(send_slots.py has the shared window and the rule's source), which wait, and the question
the dispatcher asks before each request to Notify.

A text with no slot is handed back still due (status pending, next try unchanged), with no
attempt counted and marked `waiting_for_slot`. Marked rows are left out of the ordinary claim
and claimed only as many at a time as there are free slots, so a backlog of texts is read
once, not at every claim, and push messages behind it go at once.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.db import run_write
from app.delivery.dispatch import Dispatcher, Job
from app.delivery.models import Notification, NotificationStatus
from app.delivery.send_slots import SendSlots, SlotPool, Taken


class NotifyRateLimit:
    """One worker's share of the limit: the slots it holds for the batch in hand."""

    def __init__(self, engine: Engine, send_slots: SendSlots, dispatcher: Dispatcher) -> None:
        self.engine = engine
        self.send_slots = send_slots
        self.dispatcher = dispatcher
        self.pool = SlotPool()
        dispatcher.notify_permit = self.permit

    def waiting_with_room(self, session: Session, pending_due: Any, room: int) -> list[int]:
        """Ids of due texts waiting for a slot, oldest first, no more than there are free
        slots or `room` left in the batch; locked for the claim (SKIP LOCKED on PostgreSQL).
        `pending_due` is the claim's condition for a pending row whose time has come."""
        if room <= 0:
            return []
        free = self.send_slots.free_count(session)
        if free == 0:
            return []
        found = session.exec(
            select(Notification.id)
            .where(pending_due, col(Notification.waiting_for_slot).is_(True))
            .order_by(col(Notification.next_attempt_at))
            .limit(min(room, free))
            .with_for_update(skip_locked=True)
        ).all()
        return [row_id for row_id in found if row_id is not None]

    def take_slots(
        self, session: Session, jobs: list[Job], now: datetime
    ) -> tuple[list[Job], set[int], list[Taken]]:
        """In the claim's transaction: one slot for each claimed message that will go to
        Notify (`Dispatcher.will_text`), taken in one statement. Those left without one are
        handed back as waiting. Returns (the jobs to send, the ids handed back, the slots),
        the slots for `hold` once the claim has committed."""
        texts = [job for job in jobs if self.dispatcher.will_text(job, now)]
        taken = self.send_slots.take(session, len(texts))
        held = {job.id for job in texts[len(taken) :]}
        if held:
            session.exec(
                update(Notification)
                .where(col(Notification.id).in_(held))
                .values(
                    status=NotificationStatus.pending,
                    leased_by=None,
                    lease_until=None,
                    attempts=Notification.attempts - 1,  # the claim counted one; not a try
                    waiting_for_slot=True,
                )
                .execution_options(synchronize_session=False)
            )
        return [job for job in jobs if job.id not in held], held, taken

    def hold(self, taken: list[Taken], asked_at: float) -> None:
        """Keep the slots a committed claim took (`asked_at`: time.monotonic() before it)."""
        self.pool.add(taken, asked_at)

    def permit(self) -> bool:
        """Asked by the dispatcher right before each request to Notify: a slot from this
        batch's take, or else one taken now (a push that fell back to a text, or a batch
        whose slots ran out of time). False: the window is full; the message waits."""
        if self.pool.use():
            return True
        asked_at = time.monotonic()
        send_slots = self.send_slots
        self.pool.add(run_write(lambda s: send_slots.take(s, 1), engine=self.engine), asked_at)
        return self.pool.use()

    def give_back_leftovers(self) -> None:
        """After a batch: slots taken for messages that did not go to Notify after all (sent
        by push, found already sent, cancelled, or held too long) are freed for others."""
        leftover = self.pool.leftover()
        if leftover:
            send_slots = self.send_slots
            run_write(lambda s: send_slots.give_back(s, leftover), engine=self.engine)
