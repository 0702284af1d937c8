"""Real-browser tests: Debian Chromium through Playwright, against the app run as a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.postgres import free_port

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
    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    env = {
        **os.environ,
        "MYPATHWAYS_ENV": "development",
        "MYPATHWAYS_DATABASE_URL": f"sqlite:///{folder / 'live.db'}",
        "MYPATHWAYS_BASE_URL": f"http://127.0.0.1:{port}",
    }
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError(
                "the live server did not start: " + (folder / "server.log").read_text()
            )
        time.sleep(0.2)
    try:
        yield LiveServer(url=url, database_url=env["MYPATHWAYS_DATABASE_URL"], env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()  # open event streams can outlast a graceful shutdown
            process.wait(timeout=10)


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now: WCAG 2.2 AA, no violations allowed."""
    results = _axe.run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            }
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
