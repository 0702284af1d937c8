"""A support person sees appointments with the client's consent, and nothing more."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import (
    code_in,
    last_message_to,
    make_adviser,
    make_client,
    post_form,
    sign_in_client,
)


def test_a_linked_support_person_sees_the_banner_but_not_settings(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser, name="Sara Client")
    sign_in_client(client, db, user)
    response = post_form(
        client,
        "/account/support-people/add",
        "/account/support-people/add",
        {
            "name": "Sam Support",
            "phone": "07700 900777",
            "relationship": "support worker",
            "consent": "yes",
        },
    )
    assert response.status_code == 303
    assert "Sam Support" in client.get("/account").text

    client.cookies.clear()
    post_form(client, "/sign-in", "/sign-in", {"contact": "07700900777"})
    post_form(
        client,
        "/sign-in/code",
        "/sign-in/code",
        {"code": code_in(last_message_to(db, "+447700900777"))},
    )
    home = client.get("/home")
    assert home.status_code == 200
    assert "You are helping Sara Client" in home.text
    assert client.get("/account").status_code == 403
    assert client.get("/account/download").status_code == 403


def test_consent_is_required_and_input_is_kept(client: TestClient, db: Session) -> None:
    user = make_client(db)[1]
    sign_in_client(client, db, user)
    response = post_form(
        client,
        "/account/support-people/add",
        "/account/support-people/add",
        {
            "name": "Sam Support",
            "phone": "07700 900778",
            "relationship": "friend",
        },
    )
    assert response.status_code == 400
    assert "Tick the box" in response.text
    assert 'value="Sam Support"' in response.text


def test_removing_a_support_person_ends_their_access(client: TestClient, db: Session) -> None:
    user = make_client(db, name="Rhiannon Client")[1]
    sign_in_client(client, db, user)
    post_form(
        client,
        "/account/support-people/add",
        "/account/support-people/add",
        {
            "name": "Huw Helper",
            "phone": "07700 900779",
            "relationship": "brother",
            "consent": "yes",
        },
    )
    client_cookies = dict(client.cookies)
    client.cookies.clear()
    post_form(client, "/sign-in", "/sign-in", {"contact": "07700900779"})
    post_form(
        client,
        "/sign-in/code",
        "/sign-in/code",
        {"code": code_in(last_message_to(db, "+447700900779"))},
    )
    helper_cookies = dict(client.cookies)
    assert client.get("/home").status_code == 200

    client.cookies.clear()
    for name, value in client_cookies.items():
        client.cookies.set(name, value)
    page = client.get("/account").text
    import re

    action = re.search(r'action="(/account/support-people/\d+/remove)"', page).group(1)  # type: ignore[union-attr]
    assert post_form(client, "/account", action, {}).status_code == 303

    client.cookies.clear()
    for name, value in helper_cookies.items():
        client.cookies.set(name, value)
    assert client.get("/home", follow_redirects=False).status_code == 303
