"""Every route is protected or explicitly public; nobody sees another person's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.dependencies import AUTHORISATION_DEPENDENCIES
from app.audit.models import AuditEvent
from app.main import create_app
from tests.factories import make_adviser, make_client, post_form, sign_in_client, sign_in_staff

# Pages anyone may open: reading them reveals nothing about a person.
PUBLIC = {
    "/",
    "/about",
    "/accessibility-statement",
    "/privacy",
    "/cookies",
    "/feedback",
    "/urgent-help",
    "/offline",
    "/offline/waiting",
    "/language/{language}",
    "/healthz",
    "/readyz",
    "/sw.js",
    "/manifest.webmanifest",
    "/manifest-cy.webmanifest",
    "/favicon.ico",
    "/sign-in",
    "/sign-in/code",
    "/signed-out",
    "/adviser/sign-in",
    "/adviser/sign-in/code",
    "/adviser/sign-in/set-up",
    "/invitation/{token}",
    "/calendar/{token}.ics",
    "/sign-in/passkey/options",
    "/sign-in/passkey",
    "/dev/outbox",
    # GOV.UK Notify's delivery receipts: a bearer token checked in the route (see
    # tests/notifications/test_delivery_receipts.py).
    "/notifications/notify-callback",
    # Prometheus: a bearer token or an allowed network, checked in the route, 404 otherwise
    # (see tests/core/test_logs_and_metrics.py).
    "/metrics",
}
PUBLIC_PREFIXES = ("/explainers", "/services", "/stories")


def _dependency_calls(dependant: Dependant) -> set[Callable[..., Any] | None]:
    calls = {dependant.call}
    for sub in dependant.dependencies:
        calls |= _dependency_calls(sub)
    return calls


def api_routes() -> list[tuple[str, set[str], Dependant]]:
    """(full path, methods, dependant) for every route, through included routers."""
    found = []
    for context in iter_route_contexts(create_app().routes):
        if isinstance(context.route, APIRoute):
            assert context.path is not None
            found.append((context.path, set(context.methods or ()), context.route.dependant))
    return found


def test_every_route_has_an_authorisation_dependency_or_is_public() -> None:
    routes = api_routes()
    assert len(routes) > 20
    unprotected = []
    for path, _methods, dependant in routes:
        protected = _dependency_calls(dependant) & set(AUTHORISATION_DEPENDENCIES)
        public = path in PUBLIC or path.startswith(PUBLIC_PREFIXES)
        if not protected and not public:
            unprotected.append(path)
        if protected and public:
            unprotected.append(f"{path} is on the public list but needs sign-in")
    assert unprotected == []


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path, target in [
        ("/home", "/sign-in"),
        ("/account", "/sign-in"),
        ("/adviser", "/adviser/sign-in"),
        ("/admin", "/adviser/sign-in"),
    ]:
        response = client.get(path, follow_redirects=False)
        assert response.headers["location"] == target, path


def test_an_adviser_gets_404_outside_their_caseload(client: TestClient, db: Session) -> None:
    mine, my_user = make_adviser(db)
    theirs, _ = make_adviser(db, name="Other Adviser")
    my_client, _ = make_client(db, mine)
    their_client, _ = make_client(db, theirs)
    sign_in_staff(client, my_user)
    client_routes = [
        path
        for path, methods, _ in api_routes()
        if "{client_id}" in path and path.count("{") == 1 and "GET" in methods
    ]
    assert client_routes
    for path in client_routes:
        # An event stream stays open by design, so only its refusals are checked here
        # (tests/action_plans/test_two_processes.py reads one for real).
        if not path.endswith("/events"):
            assert client.get(path.format(client_id=my_client.id)).status_code == 200, path
        assert client.get(path.format(client_id=their_client.id)).status_code == 404, path
        assert client.get(path.format(client_id=999_999)).status_code == 404, path


def test_clients_cannot_use_staff_pages(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    assert client.get("/adviser").status_code == 403
    assert client.get(f"/adviser/clients/{profile.id}").status_code == 403
    assert client.get("/admin").status_code == 403


def test_every_adviser_look_at_a_record_is_audited_and_the_client_can_see_it(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    client.get(f"/adviser/clients/{profile.id}")
    client.get(f"/adviser/clients/{profile.id}")
    events = db.exec(
        select(AuditEvent).where(
            AuditEvent.client_id == profile.id, AuditEvent.action == "client_record.viewed"
        )
    ).all()
    assert len(events) == 2 and all(e.actor_user_id == adviser_user.id for e in events)
    client.cookies.clear()
    sign_in_client(client, db, user)
    page = client.get("/account/who-has-looked").text
    # Two looks a moment apart are one visit, named.
    assert page.count("Ada Adviser, adviser") == 1


def test_a_client_can_download_their_data_and_ask_to_close(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Dai Download")
    sign_in_client(client, db, user)
    data = client.get("/account/download").json()
    assert data["account"]["full_name"] == "Dai Download"
    assert "password_hash" not in data["account"]
    assert data["profile"]["id"] == profile.id
    assert post_form(client, "/account/close", "/account/close", {}).status_code == 303
    assert "You asked to close your account" in client.get("/account").text
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    assert "asked to close their account" in client.get("/adviser").text
