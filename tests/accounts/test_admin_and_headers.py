"""Admins move clients between caseloads (audited); production responses carry HSTS."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.core.security import SecurityHeadersMiddleware
from tests.factories import make_admin, make_adviser, make_client, post_form, sign_in_staff


def test_an_admin_reassigns_a_client_and_the_new_adviser_sees_them(
    client: TestClient, db: Session
) -> None:
    first, _ = make_adviser(db, name="First Adviser")
    second, second_user = make_adviser(db, name="Second Adviser")
    profile, _ = make_client(db, first)
    sign_in_staff(client, make_admin(db))
    response = post_form(
        client, "/admin", f"/admin/clients/{profile.id}/adviser", {"adviser_id": str(second.id)}
    )
    assert response.status_code == 303
    db.refresh(profile)
    assert profile.adviser_id == second.id
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "client.reassigned")).one()
    assert event.client_id == profile.id
    client.cookies.clear()
    sign_in_staff(client, second_user)
    assert client.get(f"/adviser/clients/{profile.id}").status_code == 200


def test_advisers_cannot_use_the_admin_pages(client: TestClient, db: Session) -> None:
    _adviser, user = make_adviser(db)
    sign_in_staff(client, user)
    assert client.get("/admin").status_code == 403


def test_hsts_only_when_asked_for() -> None:
    bare = FastAPI()

    @bare.get("/")
    def root() -> dict[str, str]:
        return {"ok": "yes"}

    with_hsts = TestClient(SecurityHeadersMiddleware(bare, hsts=True))
    without = TestClient(SecurityHeadersMiddleware(bare, hsts=False))
    assert with_hsts.get("/").headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in without.get("/").headers
