"""Real-browser tests: Debian Chromium through Playwright, against the app run as a real server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.demo_server import start_demo_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:  # type: ignore[type-arg]
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


@dataclass
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`python -m app serve` on a free port with a fresh demo database, as an operator runs it."""
    server = start_demo_server(tmp_path_factory.mktemp("live"))
    try:
        yield LiveServer(url=server.url, database_url=server.database_url, env=server.env)
    finally:
        server.stop()


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now: WCAG 2.2 AA, no violations allowed."""
    results = _axe.run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            },
            # Every rule still runs; only the violations come back in full (the passes' and
            # the inapplicable rules' node lists were most of the work and of the reply).
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


def wait_until(page: Page, predicate: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript predicate from Python: our CSP forbids the eval that
    page.wait_for_function relies on, and we test with the real CSP on."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(0.1)


def service_worker_in_control(page: Page) -> None:
    """Wait for the service worker to install, then reload so it controls the page (it can
    report ready while still activating: wait for 'activated')."""
    wait_until(page, "() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(
        page,
        "() => navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'",
    )


def demo_staff_code(page: Page, base_url: str) -> str:
    """An authenticator code for the demo staff that no one has used yet (each works once),
    from the development outbox; waits for the next half-minute if this one's are used."""
    for _ in range(3):
        page.goto(base_url + "/dev/outbox")
        shown = page.locator("#demo-staff-code")
        wait = int(shown.get_attribute("data-fresh-in") or "0")
        if wait == 0:
            return shown.inner_text()
        page.wait_for_timeout(wait * 1000)
    raise AssertionError("the development outbox never showed a fresh code")


# Contexts a test opens itself (a second person: the adviser, a helper). Closed when the test
# ends: left open, their pages kept live-update streams polling the shared server, and each
# later test ran slower than the last.
_opened: list[BrowserContext] = []


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A browser context for another person in the test, closed when the test ends."""
    context = browser.new_context(**options)
    _opened.append(context)
    return context


@pytest.fixture(autouse=True)
def _close_contexts_opened_by_the_test() -> Iterator[None]:
    yield
    while _opened:
        _opened.pop().close()
