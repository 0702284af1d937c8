"""compose.yaml runs the app on more than one process: checked by reading it, since no Docker
engine runs where the tests do."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"\bMYPATHWAYS_[A-Z0-9_]+")


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def test_the_services_are_a_database_a_migration_two_web_replicas_and_two_workers() -> None:
    services = _services()
    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "deploy" not in services["migrate"]  # one copy, run once
    assert services["migrate"]["restart"] == "no"


def test_the_database_is_the_official_image_with_a_volume_and_a_health_check() -> None:
    compose = _compose()
    db = compose["services"]["db"]
    assert db["image"].split(":")[0] == "postgres"  # Docker's official image
    volume = db["volumes"][0].split(":")
    assert volume[0] in compose["volumes"] and volume[1] == "/var/lib/postgresql/data"
    test = " ".join(db["healthcheck"]["test"])
    assert "pg_isready" in test


def test_each_app_service_runs_its_own_command_from_the_dockerfile_image() -> None:
    services = _services()
    commands = {name: services[name]["command"] for name in ("migrate", "web", "worker")}
    assert commands["migrate"] == ["python", "-m", "app", "migrate"]
    assert commands["web"][:4] == ["python", "-m", "app", "serve"]
    assert "0.0.0.0" in commands["web"]  # noqa: S104 - reachable from outside its container
    assert commands["worker"] == ["python", "-m", "app", "worker"]
    for name in commands:
        assert services[name]["build"]["dockerfile"] == "Dockerfile"
        assert (ROOT / services[name]["build"]["context"] / "Dockerfile").exists()
        assert services[name]["environment"]["MYPATHWAYS_ENV"] == "production"


def test_web_and_workers_wait_for_the_migration_to_succeed_and_the_database_to_be_healthy() -> None:
    services = _services()
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }


def test_the_web_replicas_leave_sending_to_the_workers() -> None:
    services = _services()
    assert services["web"]["environment"]["MYPATHWAYS_WORKER_IN_PROCESS"] == "false"
    assert "MYPATHWAYS_WORKER_IN_PROCESS" not in services["worker"]["environment"]
    # Two replicas cannot share one host port.
    assert services["web"]["ports"] == ["127.0.0.1:8000-8001:8000"]


def test_services_without_a_web_port_turn_off_the_images_web_health_check() -> None:
    services = _services()
    assert services["worker"]["healthcheck"] == {"disable": True}
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])


def test_every_setting_named_is_one_the_app_knows() -> None:
    known = {f"MYPATHWAYS_{name.upper()}" for name in Settings.model_fields}
    named = set(SETTING.findall((ROOT / "compose.yaml").read_text()))
    named |= {name for name in _example() if name.startswith("MYPATHWAYS_")}
    assert named, "no settings found"
    assert named <= known, named - known


def test_the_env_file_example_holds_no_secrets_and_is_the_one_compose_reads() -> None:
    example = _example()
    for name in ("POSTGRES_PASSWORD", "MYPATHWAYS_SECRET_KEY", "MYPATHWAYS_NOTIFY_API_KEY"):
        assert example[name] == "", name
    assert "MYPATHWAYS_CLOCK_OFFSET_SECONDS" not in example  # refused in production
    for name in ("migrate", "web", "worker"):
        assert _services()[name]["env_file"] == ".env"
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    # compose fills the database password in from .env; it must be there to fill in.
    for needed in re.findall(r"\$\{(\w+)", (ROOT / "compose.yaml").read_text()):
        assert needed in example, needed
