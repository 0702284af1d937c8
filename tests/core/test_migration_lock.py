"""`migrate` takes a PostgreSQL advisory lock, so replicas started together queue instead of
racing to create the same tables; on SQLite nothing changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import inspect

from app.core.db import build_engine
from app.core.migrations import MIGRATION_LOCK_KEY, migration_lock, upgrade_to_head
from app.models import metadata

ROOT = Path(__file__).resolve().parents[2]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _waiting_for_the_lock(connection: psycopg.Connection[tuple[object, ...]]) -> bool:
    waiting = connection.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    ).fetchone()
    return waiting is not None and waiting[0] == 1


def test_migrate_waits_while_another_holds_the_lock(make_database: Callable[[str], str]) -> None:
    url = make_database("postgresql")
    with psycopg.connect(_plain(url), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        migrate = subprocess.Popen(
            [sys.executable, "-m", "app", "migrate"],
            cwd=ROOT,
            env={**os.environ, "MYPATHWAYS_DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not _waiting_for_the_lock(holder):
                assert migrate.poll() is None, "migrate ran without waiting for the lock"
                assert time.monotonic() < deadline, "migrate never asked for the lock"
                time.sleep(0.1)
            time.sleep(0.5)
            assert migrate.poll() is None
            engine = build_engine(url)
            assert "alembic_version" not in inspect(engine).get_table_names()
            engine.dispose()
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
        output, _ = migrate.communicate(timeout=60)
    assert migrate.returncode == 0, output.decode()
    engine = build_engine(url)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_lock_is_let_go_after_migrating_even_when_migrating_fails(
    make_database: Callable[[str], str],
) -> None:
    url = make_database("postgresql")
    try:
        with migration_lock(url):
            raise RuntimeError("a migration failed")
    except RuntimeError:
        pass
    upgrade_to_head(url)
    with psycopg.connect(_plain(url), autocommit=True) as other:
        taken = other.execute("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK_KEY,)).fetchone()
    assert taken == (True,)


def test_on_sqlite_no_lock_is_taken(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    with migration_lock(url):
        pass  # would fail on SQLite if it ran pg_advisory_lock
    upgrade_to_head(url)
    engine = build_engine(url)
    assert "alembic_version" in inspect(engine).get_table_names()
    engine.dispose()
