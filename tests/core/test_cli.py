"""`python -m app` works as an operator would use it, against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPATHWAYS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_seed_and_create_adviser(tmp_path: Path) -> None:
    migrated = run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    seeded = run(tmp_path, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "adviser1@example.org" in seeded.stdout
    created = run(tmp_path, "create-adviser", "--email", "new@example.org", "--name", "New Person")
    assert created.returncode == 0, created.stderr
    again = run(tmp_path, "create-adviser", "--email", "new@example.org", "--name", "New Person")
    assert again.returncode == 1
    assert "already" in again.stderr


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    for command in ("serve", "migrate", "seed-demo", "create-adviser"):
        assert command in result.stdout
