"""/healthz says the process is up; /readyz checks the database and its migrations."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.db import build_engine, get_session
from app.main import create_app


def _client_for(url: str) -> TestClient:
    app = create_app()
    engine = build_engine(url)

    def session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = session
    return TestClient(app)


def test_healthz_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_when_migrated(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["migration"] is not None
    assert body["migration"] == body["expected_migration"]


def test_readyz_unavailable_on_an_empty_database(backend: str, make_database) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(make_database(backend)).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "reachable"
    assert body["migration"] is None
    assert body["expected_migration"]


def test_readyz_unavailable_when_database_unreachable() -> None:
    from tests.postgres import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing?connect_timeout=2"
    response = _client_for(url).get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
