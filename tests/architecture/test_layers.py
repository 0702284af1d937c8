"""Domains import only downward. The allowed order is written down once, here (and drawn in
docs/ARCHITECTURE.md): a module may import its own domain and any domain listed before it."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Bottom first. Each domain may import itself and the domains above it in this list.
LAYERS = [
    "core",  # plumbing only: settings, database, templating, i18n, clock, CSRF, headers
    "offices",  # offices and venues
    "people",  # users, roles, advisers, client profiles, support links, tasks, preferences
    "audit",  # the append-only audit log
    "explainers",  # plain-language content, services directory, stories
    "delivery",  # getting a message there: outbox, senders, worker, receipts, quiet hours
    "accounts",  # sign-in, sessions, the permission model and its route dependencies
    "appointments",  # appointments, free times, booking, calendar files
    "reminders",  # what to say to whom and when: planner, timing, wording, settings page
    "rescheduling",  # changing a time, "not well enough", busy times, the adviser's answer
    "action_plans",  # the shared plan
    "messages",  # the client's messages with their adviser, "call me", how to get in touch
    "caseload",  # the adviser's workspace
    "home",  # the client's home page and check-ins
    "data_rights",  # a client's data: download, closing an account
    "operations",  # running it: the purge, first-start commands
    "admin",  # advisers and caseload assignment
    "pages",  # public pages
    "system",  # health checks, service worker, manifests
    "demo",  # demo data and the development outbox (development only)
]
# Wiring at the top: app/main.py, app/cli.py, app/models.py may import anything.


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "app" else None


WIRING = {"main", "cli", "models", "__main__"}


def imports_of(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append(f"relative import in {path.name}")  # always written out in full here
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_every_domain_is_in_the_order() -> None:
    domains = {p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert domains - set(LAYERS) == set(), "add the new domain to LAYERS"
    assert set(LAYERS) - domains == set(), "a domain in LAYERS no longer exists"


def test_no_domain_imports_a_domain_above_it() -> None:
    upward = set()
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if len(parts) == 1:
            continue  # main.py, cli.py, models.py: the wiring
        own = LAYERS.index(parts[0])
        for module in imports_of(path):
            other = domain_of(module)
            wiring = other is not None and other.split(".")[0] in WIRING
            if (
                module.startswith("relative")
                or wiring
                or (other in LAYERS and LAYERS.index(other) > own)
            ):
                upward.add(f"{'/'.join(parts)} imports {module}")
    assert sorted(upward) == []
