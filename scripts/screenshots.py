"""Take the web app manifest's screenshots from the real app with demo data (run by hand when
the pages change; the PNGs are committed in pwa/screenshots/ and hashed by the build).

Usage: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.demo_server import start_demo_server  # noqa: E402


def main() -> None:
    server = start_demo_server(Path(tempfile.mkdtemp()))
    url = server.url
    try:
        out = ROOT / "pwa" / "screenshots"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=1
            )
            page = phone.new_page()
            page.goto(url + "/sign-in")
            page.get_by_label("Your mobile phone number or email address").fill("07700 900101")
            page.get_by_role("button", name="Send me a code").click()
            page.goto(url + "/dev/outbox")
            body = page.locator("tr", has_text="+447700900101").first.inner_text()
            code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
            page.goto(url + "/sign-in/code")
            page.get_by_label("Code").fill(code)
            page.get_by_role("button", name="Continue").click()
            page.goto(url + "/home")
            page.screenshot(path=str(out / "home-narrow.png"))
            page.goto(url + "/plan")
            page.screenshot(path=str(out / "plan-narrow.png"))
            wide = browser.new_context(
                viewport={"width": 1280, "height": 800}, device_scale_factor=1
            )
            page = wide.new_page()
            page.goto(url + "/explainers/return-to-work-credit")
            page.screenshot(path=str(out / "explainer-wide.png"))
            browser.close()
        print("Screenshots written to", out)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
