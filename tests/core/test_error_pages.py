"""Refusals to signed-in people are kind pages, drawn after the request's database session
has rolled back and closed (the real per-request session here, not the tests' shared one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import london_datetime, london_today
from app.core.db import build_engine, get_session
from app.main import create_app
from tests.factories import (
    csrf_from,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    real_sessions,
    sign_in_client,
)


@pytest.fixture
def real_app(backend: str, migrated_database) -> Iterator[tuple[TestClient, object]]:  # type: ignore[no-untyped-def]
    url = migrated_database(backend)
    engine = build_engine(url)
    app = create_app()
    app.dependency_overrides[get_session] = real_sessions(engine)
    with TestClient(
        app,
        base_url="http://127.0.0.1",
        headers={"accept": "text/html"},
        raise_server_exceptions=False,
    ) as client:
        yield client, engine
    engine.dispose()


def test_a_signed_in_refusal_is_a_kind_page_with_the_usual_headers(real_app) -> None:  # type: ignore[no-untyped-def]
    client, engine = real_app
    with Session(engine, expire_on_commit=False) as session:
        adviser, _ = make_adviser(session)
        mine, me = make_client(session, adviser, name="Mari Mine")
        theirs, _ = make_client(session, adviser, name="Tom Theirs")
        when = london_datetime(london_today() + timedelta(days=9), 11)
        their_appointment = make_appointment(session, theirs, make_slot(session, adviser, when))
        my_appointment = make_appointment(
            session, mine, make_slot(session, adviser, when + timedelta(hours=2))
        )
        supporter = make_support_person(session, mine)
        session.commit()
    with Session(engine) as reader:
        sign_in_client(client, reader, me)
    for path in (f"/appointments/{their_appointment.id}", "/appointments/999999", "/adviser"):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert "text/html" in response.headers["content-type"], path
        assert "Sign out" in response.text, path  # still knows who is signed in
        assert response.headers["content-security-policy"], path
        assert response.headers["cache-control"] == "no-store", path
    client.cookies.clear()
    with Session(engine) as reader:
        sign_in_client(client, reader, supporter)
    token = csrf_from(client.get("/sign-out").text)
    refused = client.post(
        f"/appointments/{my_appointment.id}/change",
        data={"slot": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "You can look, but not make changes" in refused.text
