"""Push in the service worker: a message delivered to the worker (through the DevTools
protocol, as a push service would deliver it) shows a discreet notification with the actions
"See details" and "Change", tagged so a repeat replaces it rather than stacking."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import LiveServer, service_worker_in_control, wait_until

pytestmark = pytest.mark.browser


def test_a_push_message_becomes_a_discreet_notification(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(live_server.url + "/")
    service_worker_in_control(page)
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    registrations: list[dict] = []  # type: ignore[type-arg]
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    # The registrations arrive as CDP events, read while Playwright waits.
    deadline = time.monotonic() + 15
    while not any(r["scopeURL"].startswith(live_server.url) for r in registrations):
        assert time.monotonic() < deadline, "the service worker's registration never came"
        page.wait_for_timeout(50)
    registration = next(r for r in registrations if r["scopeURL"].startswith(live_server.url))
    payload = {
        "title": "My Pathways",
        "body": "Reminder: you have an appointment tomorrow at 2:30pm.",
        "url": "/appointments/12",
        "tag": "reminder-12",
        "actions": [
            {"action": "see", "title": "See details", "url": "/appointments/12"},
            {"action": "change", "title": "Change", "url": "/appointments/12/change"},
        ],
    }
    for _ in range(2):  # the same reminder twice: one notification
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
    wait_until(
        page,
        "() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(n => n.length > 0)",
    )
    shown = page.evaluate(
        """() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(list =>
            list.map(n => ({title: n.title, body: n.body, tag: n.tag,
                            actions: n.actions.map(a => a.title), url: n.data.url})))"""
    )
    assert shown == [
        {
            "title": "My Pathways",
            "body": "Reminder: you have an appointment tomorrow at 2:30pm.",
            "tag": "reminder-12",
            "actions": ["See details", "Change"],
            "url": "/appointments/12",
        }
    ]
