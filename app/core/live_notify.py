"""Announcing changes to live pages on PostgreSQL: NOTIFY inside the writer's transaction.

A domain says which of its rows mean "this page changed" and how to name the page
(`announce(models, keys)`, registered by app.main.wire_listeners). One SQLAlchemy
`after_flush` listener on every Session then turns the rows a flush wrote into keys
('plan:42') and sends `pg_notify('mypathways_live', key)` on the flush's own connection.
PostgreSQL delivers a notification only when its transaction commits (and drops it if the
transaction or savepoint rolls back), so a page never re-reads before the change is visible
to it. Because it hangs on the flush, no route, service, worker or CLI command that writes
through the ORM can forget it. Statements that bypass the flush (a bulk UPDATE) are not seen:
a domain watches a row that is always added alongside (the plan watches its history rows).

On SQLite nothing is sent: streams there poll (app/core/live.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, UOWTransaction

from app.core.live_listener import CHANNEL

# Given the flushed rows of the announced models, the keys of the pages they change. It may
# query through the connection (inside the writer's transaction), never through the session.
KeysFor = Callable[[Connection, list[object]], Iterable[str]]

_NOTIFY = text("SELECT pg_notify(:channel, key) FROM unnest(CAST(:keys AS text[])) AS key")


@dataclass(frozen=True)
class _Announcer:
    models: tuple[type, ...]
    keys: KeysFor
    when_updated: bool


_announcers: list[_Announcer] = []


def announce(models: tuple[type, ...], keys: KeysFor, *, when_updated: bool = True) -> None:
    """From now on, rows of `models` inserted, deleted or (if `when_updated`) updated in any
    flush notify `keys(connection, rows)`. Registering the same again changes nothing."""
    announcer = _Announcer(models, keys, when_updated)
    if announcer not in _announcers:
        _announcers.append(announcer)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def announcers() -> tuple[tuple[type, ...], ...]:
    """The models announced so far (for the wiring test)."""
    return tuple(announcer.models for announcer in _announcers)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    # session.new/dirty/deleted still describe what this flush wrote (they are reset after).
    added_or_removed = [*session.new, *session.deleted]
    updated = list(session.dirty)
    keys: set[str] = set()
    connection: Connection | None = None
    for announcer in _announcers:
        written = added_or_removed + updated if announcer.when_updated else added_or_removed
        rows = [row for row in written if isinstance(row, announcer.models)]
        if not rows:
            continue
        if connection is None:
            connection = session.connection()
            if connection.dialect.name != "postgresql":
                return
        keys.update(announcer.keys(connection, rows))
    if connection is not None and keys:
        connection.execute(_NOTIFY, {"channel": CHANNEL, "keys": sorted(keys)})
