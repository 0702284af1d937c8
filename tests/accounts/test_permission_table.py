"""Every route of the app, walked as every kind of person, against one table of who may do
what. A route missing from the table fails the test, so a new route must be placed in it.

Each request runs in a savepoint that is rolled back, so one request's effects (signing out,
removing a support person) never change what the next one sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.accounts.world import (
    ROLES,
    build_world,
    every_route,
    refused,
    send,
    sign_in_as,
    snapshot,
)

CLIENT_SIDE = ("client", "supporter-read-only", "supporter-may-ask")
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")

# Who may do what. "public" routes are open to all (their own pages decide what to show).
RULES: dict[str, Callable[[str, str], bool]] = {
    "public": lambda role, method: True,
    "signed-in": lambda role, method: role in SIGNED_IN,
    # The client's pages: the client and their support people may look; only the client may
    # change anything.
    "client-read": lambda role, method: (
        role == "client" or (method == "GET" and role in CLIENT_SIDE)
    ),
    # Asking for changes: the client, or a support person the client allows to ask.
    "client-ask": lambda role, method: role in ("client", "supporter-may-ask"),
    # The message thread: the client writes; a support person the client lets read it reads.
    "client-messages-read": lambda role, method: (
        role == "client" or (method == "GET" and role == "supporter-may-ask")
    ),
    # The client alone: settings, sign-in details, support people, data, plan edits.
    "client-self": lambda role, method: role == "client",
    "any-adviser": lambda role, method: role in ("adviser", "other-adviser"),
    # One client's record: their own adviser only.
    "caseload": lambda role, method: role == "adviser",
    "admin": lambda role, method: role == "admin",
}

TABLE: dict[tuple[str, str], str] = {
    **{
        ("GET", path): "public"
        for path in (
            "/healthz",
            "/readyz",
            "/sw.js",
            "/manifest.webmanifest",
            "/manifest-cy.webmanifest",
            "/favicon.ico",
            "/",
            "/urgent-help",
            "/about",
            "/accessibility-statement",
            "/privacy",
            "/cookies",
            "/feedback",
            "/offline",
            "/offline/waiting",
            "/language/{language}",
            "/explainers/return-to-work-credit/check",
            "/explainers/return-to-work-credit/check/benefit",
            "/explainers/return-to-work-credit/check/hours",
            "/explainers/return-to-work-credit/check/check-your-answers",
            "/explainers/return-to-work-credit/check/result",
            "/explainers",
            "/explainers/search",
            "/explainers/{slug}",
            "/services",
            "/stories",
            "/stories/{slug}",
            "/sign-in",
            "/sign-in/code",
            "/signed-out",
            "/adviser/sign-in",
            "/adviser/sign-in/code",
            "/adviser/sign-in/set-up",
            "/invitation/{token}",
            "/calendar/{token}.ics",
            "/dev/outbox",
            # A bearer token or an allowed network, checked in the route; 404 to anyone
            # else, signed in or not (tests/core/test_logs_and_metrics.py).
            "/metrics",
        )
    },
    **{
        ("POST", path): "public"
        for path in (
            "/sign-in",
            "/sign-in/code",
            "/adviser/sign-in",
            "/adviser/sign-in/code",
            "/adviser/sign-in/set-up",
            "/invitation/{token}",
            "/sign-in/passkey/options",
            "/sign-in/passkey",
            "/notifications/notify-callback",
        )
    },
    ("GET", "/sign-out"): "signed-in",
    ("POST", "/sign-out"): "signed-in",
    # The client's own pages, which support people may see.
    ("GET", "/home"): "client-read",
    ("GET", "/appointments/{appointment_id}"): "client-read",
    ("GET", "/activities/{activity_id}"): "client-read",
    ("GET", "/activities/{activity_id}/calendar.ics"): "client-read",
    ("GET", "/activities/{activity_id}/add-to-calendar"): "client-read",
    ("GET", "/contact"): "client-read",
    ("GET", "/appointments/{appointment_id}/calendar.ics"): "client-read",
    ("GET", "/appointments/{appointment_id}/add-to-calendar"): "client-read",
    ("GET", "/appointments/{appointment_id}/changed"): "client-read",
    ("GET", "/not-well-enough/thank-you"): "client-read",
    ("GET", "/plan"): "client-read",
    ("GET", "/plan/history"): "client-read",
    ("GET", "/plan/events"): "client-read",
    ("GET", "/plan/download"): "client-read",
    ("POST", "/plan/steps"): "client-read",
    ("POST", "/plan/steps/{step_id}"): "client-read",
    ("POST", "/plan/steps/{step_id}/accept"): "client-read",
    ("POST", "/plan/steps/{step_id}/decline"): "client-read",
    ("POST", "/plan/steps/{step_id}/book-for-me"): "client-read",
    ("POST", "/plan/steps/{step_id}/move"): "client-read",
    ("POST", "/plan/services/{slug}"): "client-read",
    ("POST", "/plan/progress"): "client-read",
    # Asking for changes.
    ("GET", "/appointments/{appointment_id}/change"): "client-ask",
    ("POST", "/appointments/{appointment_id}/change"): "client-ask",
    ("POST", "/appointments/{appointment_id}/help"): "client-ask",
    ("POST", "/not-well-enough"): "client-ask",
    # The client alone.
    ("GET", "/plan/steps/new"): "client-self",
    ("GET", "/plan/steps/{step_id}"): "client-self",
    ("POST", "/account/passkeys/options"): "client-self",
    ("POST", "/account/passkeys"): "client-self",
    ("GET", "/account"): "client-self",
    ("GET", "/where-you-are"): "client-self",
    ("GET", "/account/who-has-looked"): "client-self",
    ("GET", "/account/download"): "client-self",
    ("GET", "/account/your-data"): "client-self",
    ("GET", "/account/close"): "client-self",
    ("POST", "/account/close"): "client-self",
    ("GET", "/account/support-people/add"): "client-self",
    ("POST", "/account/support-people/add"): "client-self",
    ("POST", "/account/support-people/{link_id}/permissions"): "client-self",
    ("POST", "/account/support-people/{link_id}/remove"): "client-self",
    ("POST", "/account/talk-to-someone"): "client-self",
    ("POST", "/account/calendar-link"): "client-self",
    ("POST", "/home/started-work"): "client-self",
    ("GET", "/your-times"): "client-self",
    # Messages are between the client and their adviser: a support person may read the thread
    # only if the client lets them, and never writes in it or asks for a call (the contact
    # page's phone number and hours they may see).
    ("GET", "/messages"): "client-messages-read",
    ("GET", "/messages/events"): "client-messages-read",
    ("POST", "/messages"): "client-self",
    ("POST", "/contact/call-me"): "client-self",
    ("POST", "/your-times/preferences"): "client-self",
    ("POST", "/your-times/busy"): "client-self",
    ("POST", "/your-times/busy/{busy_id}/remove"): "client-self",
    ("GET", "/your-needs"): "client-self",
    ("POST", "/your-needs"): "client-self",
    ("GET", "/check-in"): "client-self",
    ("POST", "/check-in"): "client-self",
    ("GET", "/settings/reminders"): "client-self",
    ("POST", "/settings/reminders"): "client-self",
    ("POST", "/settings/reminders/test"): "client-self",
    ("POST", "/settings/reminders/push"): "client-self",
    ("POST", "/settings/reminders/push/remove"): "client-self",
    # Advisers.
    ("GET", "/adviser"): "any-adviser",
    ("GET", "/adviser/clients/new"): "any-adviser",
    ("POST", "/adviser/clients/new"): "any-adviser",
    ("GET", "/adviser/messages"): "any-adviser",
    ("GET", "/adviser/availability"): "any-adviser",
    ("POST", "/adviser/availability"): "any-adviser",
    ("POST", "/adviser/requests/{request_id}"): "caseload",
    ("POST", "/adviser/tasks/{task_id}/done"): "caseload",
    **{
        (method, path): "caseload"
        for method, path in every_route()
        if path.startswith("/adviser/clients/{client_id}")
    },
    # Admins.
    ("GET", "/admin"): "admin",
    ("POST", "/admin/advisers"): "admin",
    ("POST", "/admin/clients/{client_id}/adviser"): "admin",
}

# An event stream stays open by design: only its refusals are walked here
# (tests/action_plans/test_two_processes.py reads one for real).
STREAMS = {"/plan/events", "/adviser/clients/{client_id}/plan/events", "/messages/events"}


def test_every_route_is_in_the_table() -> None:
    routes = set(every_route())
    missing = [route for route in routes if route not in TABLE]
    assert missing == []
    stale = [route for route in TABLE if route not in routes]
    assert stale == []


def may(role: str, method: str, path: str) -> bool:
    """What the table says `role` may do. Client B and the other adviser are people of the
    same kind as A and A's adviser: their own pages (no id in the address) are theirs to use,
    but nothing that names A's records is."""
    rule = RULES[TABLE[(method, path)]]
    stand_in = {"other-client": "client", "other-adviser": "adviser"}.get(role)
    if stand_in and not names_client_a(path):
        return rule(stand_in, method)
    return rule(role, method)


# Addresses or forms that carry one of client A's record ids.
A_IDS = re.compile(
    r"\{(appointment|activity|busy|link|step|client|request|task|help|service|call|answer)_id\}"
)
# (None now: "/not-well-enough" names an appointment only as a hint. Another client's id is
# taken as their own general "not well enough", never touching that appointment, so the signal
# is never lost: tests/rescheduling/test_stale_choices.py.)
FORMS_NAMING_A: set[str] = set()


def names_client_a(path: str) -> bool:
    return bool(A_IDS.search(path)) or path in FORMS_NAMING_A


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says(
    role: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, role)
    client.get("/")  # a CSRF cookie, as any first page gives
    wrong = []
    for method, path in every_route():
        rule = TABLE[(method, path)]
        allowed = may(role, method, path)
        if allowed and path in STREAMS:
            continue
        savepoint = db.begin_nested()
        cookies = list(client.cookies.jar)
        try:
            response = send(client, method, path, world)
        finally:
            savepoint.rollback()
            # Undo cookies the answer set or removed too (signing out, a language switch).
            client.cookies.clear()
            for cookie in cookies:
                client.cookies.jar.set_cookie(cookie)
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: {response.status_code}")
        elif rule != "public" and allowed == refused(response):
            said = "refused" if allowed else "allowed"
            wrong.append(f"{method} {path} ({rule}): {said}, {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_a_read_only_support_person_changes_nothing_through_any_route(
    client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, "supporter-read-only")
    client.get("/")
    before = snapshot(db)
    posts = [
        path
        for method, path in every_route()
        if method == "POST" and TABLE[(method, path)] not in ("public", "signed-in")
    ]
    assert len(posts) > 40
    for path in posts:
        response = send(client, "POST", path, world)
        assert refused(response), f"{path}: {response.status_code}"
    assert snapshot(db) == before
