"""Listeners and composers are registered where the app is built, and only there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listeners_after(code: str) -> str:
    program = (
        "from app.appointments.hooks import listeners\n"
        f"{code}\n"
        "from app.delivery.composing import composers\n"
        "print(sorted(listener.__name__ for listener in listeners()),"
        " {k: f.__name__ for k, f in composers().items()})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_importing_the_reminders_registers_nothing() -> None:
    assert _listeners_after("import app.reminders.at_send, app.models") == "[] {}"


def test_building_the_app_plans_reminders_on_every_appointment_change() -> None:
    built = _listeners_after("from app.main import create_app\ncreate_app()")
    assert built == (
        "['plan_for_appointment'] {'appointment': 'compose_appointment_message',"
        " 'activity': 'compose_activity_message'}"
    )


def test_the_worker_wiring_is_the_same() -> None:
    wired = _listeners_after("from app.main import wire_listeners\nwire_listeners()")
    assert wired == (
        "['plan_for_appointment'] {'appointment': 'compose_appointment_message',"
        " 'activity': 'compose_activity_message'}"
    )


def test_an_appointment_change_with_nothing_listening_is_an_error_not_a_silence() -> None:
    program = (
        "from app.appointments.hooks import after_appointment_change\n"
        "try:\n"
        "    after_appointment_change(session=None, appointment=None, change='moved')\n"
        "except RuntimeError as error:\n"
        "    print('refused:', error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("refused: no appointment listeners")


def _announced_after(code: str) -> str:
    program = (
        f"{code}\n"
        "from app.core.live_notify import announcers\n"
        "print([sorted(model.__name__ for model in models) for models in announcers()])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_live_pages_are_notified_of_plan_and_thread_writes_once_the_app_is_wired() -> None:
    assert _announced_after("import app.models, app.action_plans.live, app.messages.live") == "[]"
    assert _announced_after("from app.main import wire_listeners\nwire_listeners()") == (
        "[['ActionPlan', 'PlanChange'], ['Message']]"
    )
