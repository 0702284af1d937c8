"""`python -m app` works as an operator would use it, against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MYPATHWAYS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        **{f"MYPATHWAYS_{name.upper()}": value for name, value in settings.items()},
    }
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
    # A link to set a password: without it nobody could ever sign in as them.
    assert "/invitation/" in created.stdout
    again = run(tmp_path, "create-adviser", "--email", "new@example.org", "--name", "New Person")
    assert again.returncode == 1
    assert "already" in again.stderr


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    for command in ("serve", "migrate", "seed-demo", "create-adviser"):
        assert command in result.stdout


def test_the_demo_is_refused_in_production(tmp_path: Path) -> None:
    """Demo staff share a published password and authenticator secret (#21 outside-in: an
    admin anyone could sign in as)."""
    production = {
        "env": "production",
        "secret_key": "p" * 48,
        "single_machine": "true",
        "notify_api_key": "key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        "notify_sms_template_id": "00000000-0000-0000-0000-000000000000",
        "base_url": "https://mypathways.example.org",
    }
    assert run(tmp_path, "migrate", **production).returncode == 0
    refused = run(tmp_path, "seed-demo", **production)
    assert refused.returncode == 2 and "refused in production" in refused.stderr
    assert "adviser1@example.org" not in refused.stdout
