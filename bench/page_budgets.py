"""Page budgets for the signed-in client pages: Lighthouse (mobile) scores, and bytes over the
network on a first and a repeat visit, measured in Chromium through the DevTools protocol.

Usage: .venv/bin/python bench/page_budgets.py
Budgets (issue 9): performance >= 0.98, accessibility 1.00, best practices 1.00, first visit
<= 25 KB (all resources, compressed, headers included; 40 KB until December 2026), repeat
visit <= 8 KB.
Needs Lighthouse under bench/.tools (bash bench/lighthouse.sh installs it on first use).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.demo_server import start_demo_server  # noqa: E402
from tests.postgres import free_port  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / ".tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
DEMO_PHONE = "+447700900101"
BUDGET = {
    "performance": 0.98,
    "accessibility": 1.0,
    "best-practices": 1.0,
    "first": 25_000,
    "repeat": 8_000,
}


def sign_in(url: str) -> tuple[str, int]:
    """A demo client's session cookie, and the id of their next appointment."""
    with httpx.Client(base_url=url, follow_redirects=False) as http:
        page = http.get("/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        http.post("/sign-in", data={"contact": DEMO_PHONE, "csrf_token": token})
        outbox = http.get("/dev/outbox").text
        row = outbox[outbox.index(DEMO_PHONE) :]
        code = re.search(r"\b(\d{6})\b", row).group(1)  # type: ignore[union-attr]
        page = http.get("/sign-in/code").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        http.post("/sign-in/code", data={"code": code, "csrf_token": token})
        home = http.get("/home").text
        appointment = int(re.search(r'href="/appointments/(\d+)"', home).group(1))  # type: ignore[union-attr]
        return http.cookies["mp_session"], appointment


def lighthouse(port: int, url: str) -> dict[str, float]:
    """Lighthouse against a Chromium that holds the session cookie, as a signed-in phone would."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                f"--port={port}",
                "--only-categories=performance,accessibility,best-practices",
                "--form-factor=mobile",
                "--output=json",
                f"--output-path={out.name}",
            ],
            check=True,
            capture_output=True,
        )
        report = json.loads(Path(out.name).read_text())
    names = ("performance", "accessibility", "best-practices")
    scores = {name: report["categories"][name]["score"] for name in names}
    items = report["audits"]["network-requests"]["details"]["items"]
    scores["lighthouse_bytes"] = sum(i.get("transferSize", 0) for i in items)
    return scores


def chromium_with_cookie(base: str, cookie: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    profile = tempfile.mkdtemp()
    process = subprocess.Popen(
        [
            "/usr/bin/chromium",
            "--headless=new",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            *CHROMIUM_ARGS,
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/json/version", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        browser.contexts[0].add_cookies([{"name": "mp_session", "value": cookie, "url": base}])
        browser.close()
    return process, port


def settle(page, *counted: list[int], quiet_ms: int = 1000, limit: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until no response has been counted for `quiet_ms` (at most `limit` seconds).
    Through Playwright (page.wait_for_timeout), not time.sleep: the sync API hands over its
    events only while it is called, so during a sleep nothing is counted, and what finished
    then was counted with whatever came next."""
    deadline = time.monotonic() + limit
    seen = -1
    while time.monotonic() < deadline:
        now = sum(len(sizes) for sizes in counted)
        if now == seen:
            return
        seen = now
        page.wait_for_timeout(quiet_ms)


def visits(base: str, path: str, cookie: str) -> tuple[int, int, int]:
    """Bytes over the network: the first visit's page load, the service worker's one-off
    install download that follows it in the background, and a repeat visit."""
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        context.add_cookies([{"name": "mp_session", "value": cookie, "url": base}])
        page_bytes: list[int] = []
        worker_bytes: list[int] = []

        def finished(request) -> None:  # type: ignore[no-untyped-def]
            response = request.response()
            if response is None or response.from_service_worker:
                return  # answered from the phone's own copy: nothing crossed the network
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            (worker_bytes if request.service_worker else page_bytes).append(size)

        context.on("requestfinished", finished)
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        # The service worker installs: wait until it is active and nothing more arrives. (A
        # time.sleep(2) here used to let the install's downloads be counted as the repeat
        # visit's on a busy machine: see settle.)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        settle(page, page_bytes, worker_bytes)
        first, install = sum(page_bytes), sum(worker_bytes)
        page_bytes.clear()
        worker_bytes.clear()
        page.goto(base + path, wait_until="networkidle")
        settle(page, page_bytes, worker_bytes, quiet_ms=500)
        repeat = sum(page_bytes) + sum(worker_bytes)
        browser.close()
    return first, install, repeat


def main() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["bash", str(ROOT / "bench" / "lighthouse.sh"), "http://127.0.0.1:9", "/"], check=False
        )
    server = start_demo_server(Path(tempfile.mkdtemp()))
    base = server.url
    chromium = None
    try:
        cookie, appointment = sign_in(base)
        chromium, port = chromium_with_cookie(base, cookie)
        pages = [
            "/home",
            f"/appointments/{appointment}",
            f"/appointments/{appointment}/change",
            "/plan",
        ]
        print(
            f"{'page':<26} {'perf':>5} {'a11y':>5} {'bp':>5} {'first KB':>9} {'(+install)':>10} {'repeat KB':>10}  budget"
        )
        for path in pages:
            scores = lighthouse(port, base + path)
            first, install, repeat = visits(base, path, cookie)
            ok = (
                scores["performance"] >= BUDGET["performance"]
                and scores["accessibility"] >= BUDGET["accessibility"]
                and scores["best-practices"] >= BUDGET["best-practices"]
                and first <= BUDGET["first"]
                and repeat <= BUDGET["repeat"]
            )
            print(
                f"{path:<26} {scores['performance']:>5.2f} {scores['accessibility']:>5.2f} "
                f"{scores['best-practices']:>5.2f} {first / 1000:>9.1f} {install / 1000:>10.1f} "
                f"{repeat / 1000:>10.1f}  {'met' if ok else 'MISSED'}"
            )
        print("first = the page load with an empty cache (compressed, headers included); install =")
        print(
            "the service worker's one-off download after it; repeat = the next visit to the page."
        )
    finally:
        if chromium is not None:
            chromium.terminate()
        server.stop()


if __name__ == "__main__":
    main()
