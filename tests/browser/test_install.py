"""Installable: Chromium's own installability check finds nothing wrong, and the manifest has
maskable icons, screenshots for both form factors and shortcuts to appointments and the plan."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Playwright

from tests.browser.conftest import CHROMIUM_ARGS, LiveServer, service_worker_in_control

pytestmark = pytest.mark.browser


def test_chromium_finds_the_app_installable(
    playwright: Playwright, live_server: LiveServer, tmp_path: Path
) -> None:
    # A real profile: Chromium never offers to install from an incognito-style context.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path="/usr/bin/chromium",
        args=CHROMIUM_ARGS,
        headless=True,
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    service_worker_in_control(page)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest.get("errors") == [], manifest.get("errors")
    result = cdp.send("Page.getInstallabilityErrors")
    context.close()
    assert result["installabilityErrors"] == []


def test_the_manifest_is_complete(live_server: LiveServer) -> None:
    manifest = httpx.get(live_server.url + "/manifest.webmanifest").json()
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    assert {s["form_factor"] for s in manifest["screenshots"]} == {"narrow", "wide"}
    shortcuts = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert shortcuts == {
        "My appointments": "/home?source=shortcut",
        "My plan": "/plan?source=shortcut",
    }
    for item in manifest["screenshots"] + manifest["icons"]:
        response = httpx.get(live_server.url + item["src"])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"


def test_welsh_pages_point_to_a_welsh_manifest(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "/", cookies={"lang": "cy"}).text
    welsh = httpx.get(live_server.url + "/manifest-cy.webmanifest").json()
    assert welsh["lang"] == "cy"
    assert [s["name"] for s in welsh["shortcuts"]] == ["Fy apwyntiadau", "Fy nghynllun"]
    assert welsh["icons"] == httpx.get(live_server.url + "/manifest.webmanifest").json()["icons"]
    english = httpx.get(live_server.url + "/").text
    assert 'href="/manifest.webmanifest"' in english
    assert 'href="/manifest-cy.webmanifest"' in page
