"""GOV.UK Notify's rate limit, kept by every worker process together through the database.

The rule (GOV.UK Notify API documentation, "API rate limits",
https://docs.notifications.service.gov.uk/python.html#rate-limits): at most 3,000 messages
per minute per API key, counted on a rolling basis; the next one is refused with 429
`RateLimitError` ("Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds").
Texts and emails count alike, so both take a slot here. The limit and the window are
settings (`notify_texts_per_minute`, `notify_rate_window_seconds`).

The design is a sliding window of *send slots*: the table `notify_send_slots` has one row per
message the window allows (slots 1..limit; rows above the limit are ignored, so lowering the
setting needs no clean-up). A slot is free once its `free_at` has passed. Taking a slot stamps
`free_at = now + window + SLOT_MARGIN`. A worker starts the request within SLOT_HOLD seconds of
the take (`SlotPool` drops older slots unused), and SLOT_MARGIN allows SLOT_HOLD plus a second
for the request to arrive, so two messages on one slot reach Notify at least `window` seconds
apart: any rolling window sees at most one message per slot, `limit` in all, whatever the
number of workers or machines. Times are the database's clock (seconds since 1970), so
workers on machines with different clocks still agree; the app clock is not used (tests and
rehearsals move it by hours).

Taking slots is one `UPDATE ... RETURNING` statement (on PostgreSQL over `FOR UPDATE SKIP
LOCKED` rows, so workers never wait for each other); a worker takes what a whole batch needs
at once, in the claim's own transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import Float, and_, func, literal_column, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.delivery.models import NotifySendSlot

# A slot as taken: (its number, the free_at stamped on it), the stamp telling this take apart
# from a later one of the same slot by another worker.
Taken = tuple[int, float]

# A slot taken must be used (its request started) within this many seconds, or dropped.
SLOT_HOLD = 1.0
# How long past the window a used slot stays taken: SLOT_HOLD, plus a second for a started
# request to reach Notify. It costs 2/62 of the limit at the default window.
SLOT_MARGIN = SLOT_HOLD + 1.0


def database_seconds(dialect: str) -> ColumnElement[float]:
    """The database's current time in seconds since 1970, as an SQL expression.

    PostgreSQL's clock_timestamp() moves during a transaction (now() does not: a long claim
    would stamp slots in the past). SQLite's julianday('now') is milliseconds; its Julian day
    of 1970-01-01 is 2440587.5."""
    if dialect == "postgresql":
        return literal_column("extract(epoch from clock_timestamp())::float8", Float)
    return literal_column("((julianday('now') - 2440587.5) * 86400.0)", Float)


class SendSlots:
    """The shared window: `limit` messages per `window_seconds`, kept in notify_send_slots.

    Every method runs in the caller's session (a worker's claim or record transaction) and
    commits nothing itself."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("the Notify rate limit needs a limit >= 1 and a window > 0 s")
        self.limit = limit
        self.window_seconds = window_seconds
        self._rows_ready = False

    def ensure_rows(self, session: Session) -> None:
        """Add slots 1..limit that are missing (once per process; several workers may do it
        at once: a slot another worker added first is skipped, not an error)."""
        if self._rows_ready:
            return
        have = set(
            session.exec(
                select(NotifySendSlot.slot).where(col(NotifySendSlot.slot) <= self.limit)
            ).all()
        )
        missing = [{"slot": n, "free_at": 0.0} for n in range(1, self.limit + 1) if n not in have]
        if missing:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            session.execute(
                insert(NotifySendSlot).values(missing).on_conflict_do_nothing(),
            )
        self._rows_ready = True

    def free_count(self, session: Session) -> int:
        """How many slots are free now (a hint: another worker may take them first)."""
        self.ensure_rows(session)
        now = database_seconds(session.get_bind().dialect.name)
        return int(
            session.exec(
                select(func.count()).where(
                    col(NotifySendSlot.slot) <= self.limit, col(NotifySendSlot.free_at) <= now
                )
            ).one()
        )

    def take(self, session: Session, wanted: int) -> list[Taken]:
        """Take up to `wanted` free slots; returns them (fewer, or none, when the window is
        full). Their messages must be started within SLOT_HOLD seconds of the take."""
        if wanted <= 0:
            return []
        self.ensure_rows(session)
        now = database_seconds(session.get_bind().dialect.name)
        free = (
            select(NotifySendSlot.slot)
            .where(col(NotifySendSlot.slot) <= self.limit, col(NotifySendSlot.free_at) <= now)
            .order_by(col(NotifySendSlot.free_at))
            .limit(wanted)
            .with_for_update(skip_locked=True)  # ignored on SQLite, which has one writer
            .scalar_subquery()
        )
        taken = session.execute(
            update(NotifySendSlot)
            .where(col(NotifySendSlot.slot).in_(free))
            .values(free_at=now + self.window_seconds + SLOT_MARGIN)
            .returning(col(NotifySendSlot.slot), col(NotifySendSlot.free_at))
            .execution_options(synchronize_session=False)
        )
        return [(int(slot), float(free_at)) for slot, free_at in taken.all()]

    def give_back(self, session: Session, slots: list[Taken]) -> None:
        """Free slots that carried no message. Safe at once: the message a slot carried
        before was at least a window ago, or the slot could not have been taken. Only a
        slot still bearing this take's stamp is freed: one whose time ran out and that
        another worker took since is theirs."""
        if slots:
            session.execute(
                update(NotifySendSlot)
                .where(
                    or_(
                        *(
                            and_(
                                col(NotifySendSlot.slot) == slot,
                                col(NotifySendSlot.free_at) == free_at,
                            )
                            for slot, free_at in slots
                        )
                    )
                )
                .values(free_at=0.0)
                .execution_options(synchronize_session=False)
            )


@dataclass
class SlotPool:
    """The slots one worker holds, each usable until its deadline (time.monotonic seconds).

    The deadline is counted from *before* the take was asked for, so it is never later than
    SLOT_HOLD after the database stamped the slot."""

    held: list[tuple[Taken, float]] = field(default_factory=list)

    def add(self, slots: list[Taken], asked_at: float) -> None:
        """Hold slots taken in a committed transaction (a rolled-back take holds nothing)."""
        self.held.extend((slot, asked_at + SLOT_HOLD) for slot in slots)

    def use(self) -> bool:
        """Use one slot still in time; False if there is none (expired ones stay, unused,
        for `leftover` to give back)."""
        now = time.monotonic()
        for index, (_slot, deadline) in enumerate(self.held):
            if now <= deadline:
                del self.held[index]
                return True
        return False

    def leftover(self) -> list[Taken]:
        """The slots not used (in time or not), emptying the pool."""
        slots = [slot for slot, _deadline in self.held]
        self.held.clear()
        return slots
