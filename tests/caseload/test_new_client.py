"""An adviser adds a client; the client opens the text's link, checks their details, chooses
how to be contacted and is signed in."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import Invitation
from app.people.models import ClientProfile, User
from tests.factories import last_message_to, make_adviser, post_form, sign_in_staff


def test_an_invited_client_confirms_their_details_and_is_signed_in(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    response = post_form(
        client,
        "/adviser/clients/new",
        "/adviser/clients/new",
        {
            "full_name": "Olwen Newcomer",
            "phone": "07700 900321",
            "claimant_type": "mandatory",
            "claim_date": "2026-10-01",
            "language": "cy",
        },
    )
    assert response.status_code == 303
    message = last_message_to(db, "+447700900321")
    assert message is not None and "Fy Llwybrau" in message.body
    assert "Jobcentre" not in message.body
    link = re.search(r"/invitation/\S+", message.body).group(0)  # type: ignore[union-attr]

    client.cookies.clear()
    page = client.get(link)
    assert "Olwen Newcomer" in page.text
    bad = post_form(
        client, link, link, {"preferred_name": "Ol", "contact": "email", "email": "nope"}
    )
    assert bad.status_code == 400 and 'value="Ol"' in bad.text
    done = post_form(
        client, link, link, {"preferred_name": "Ol", "contact": "email", "email": "ol@example.org"}
    )
    assert done.headers["location"] == "/home"
    user = db.exec(select(User).where(User.phone == "+447700900321")).one()
    profile = db.exec(select(ClientProfile).where(ClientProfile.user_id == user.id)).one()
    assert (user.preferred_name, user.email, profile.preferred_contact, profile.adviser_id) == (
        "Ol",
        "ol@example.org",
        "email",
        adviser.id,
    )
    assert client.get(link).status_code == 404  # used once
    assert (
        db.exec(select(Invitation).where(Invitation.user_id == user.id)).one().accepted_at
        is not None
    )


def test_a_number_already_in_use_is_refused_kindly(client: TestClient, db: Session) -> None:
    _adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    data = {
        "full_name": "A Person",
        "phone": "07700 900322",
        "claimant_type": "voluntary",
        "claim_date": "2026-10-01",
    }
    post_form(client, "/adviser/clients/new", "/adviser/clients/new", data)
    again = post_form(
        client, "/adviser/clients/new", "/adviser/clients/new", {**data, "full_name": "Another"}
    )
    assert again.status_code == 400
    assert "Someone already uses this number" in again.text and 'value="Another"' in again.text
