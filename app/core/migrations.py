"""Alembic helpers: run migrations from code and compare the database with the code's head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from app.core.config import PROJECT_ROOT, get_settings
from app.core.db import normalise_url


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    url = normalise_url(database_url or get_settings().database_url)
    # ConfigParser treats % as interpolation; escape it so passwords with % survive.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# The PostgreSQL advisory lock every `migrate` takes first (any fixed 64-bit number, the same in
# every copy of the app): replicas started together wait their turn instead of racing to create
# the same tables, and the ones that get the lock after the first find the database at head.
MIGRATION_LOCK_KEY = 7_263_001_840_021_421


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Hold the migration lock for the duration, on PostgreSQL; SQLite needs none (one machine,
    and SQLite serialises writers itself)."""
    url = normalise_url(database_url)
    if not url.startswith("postgresql"):
        yield
        return
    # A connection of its own, in autocommit: the lock belongs to the session, so Alembic's
    # transactions on its own connection commit as usual while this one waits or holds.
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
    finally:
        engine.dispose()


def upgrade_to_head(database_url: str | None = None) -> None:
    """Bring the database to the newest migration; safe to run from several processes at once."""
    url = database_url or get_settings().database_url
    with migration_lock(url):
        command.upgrade(alembic_config(url), "head")


@lru_cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
