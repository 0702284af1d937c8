"""The migrations build exactly the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from app.core.migrations import head_revision
from app.models import metadata

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_upgrade_head_leaves_nothing_for_autogenerate(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_every_model_table_exists(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migration_files_are_numbered_in_order_and_head_is_the_last() -> None:
    files = sorted(p.name for p in VERSIONS.glob("*.py"))
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in files]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(files) + 1))
    assert head_revision() == f"{numbers[-1]:04d}"
