"""Input a person (or a browser's passkey prompt) can send that the app cannot use: a kind
refusal that changes nothing, never a 500."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.tokens import keyed_hash
from tests.factories import (
    last_message_to,
    make_adviser,
    make_client,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


def _invitation_link(client: TestClient, db: Session, phone: str) -> str:
    _adviser, adviser_user = make_adviser(db)
    sign_in_staff(client, adviser_user)
    form = {
        "full_name": "Olwen Newcomer",
        "phone": phone,
        "claimant_type": "mandatory",
        "claim_date": "2026-10-01",
    }
    assert (
        post_form(client, "/adviser/clients/new", "/adviser/clients/new", form).status_code == 303
    )
    message = last_message_to(db, "+44" + phone.replace(" ", "")[1:])
    assert message is not None
    found = re.search(r"/invitation/\S+", message.body)
    assert found is not None
    client.cookies.clear()
    return found.group(0)


def test_an_email_someone_else_has_or_no_email_at_all_is_a_field_error(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, someone = make_client(db, adviser, name="Someone Else")
    someone.email = "taken@example.org"
    db.add(someone)
    db.flush()
    link = _invitation_link(client, db, "07700 900322")
    for email in ("@", "taken@example.org", "TAKEN@example.org "):
        page = post_form(client, link, link, {"contact": "email", "email": email})
        assert page.status_code == 400, email
        assert "govuk-error-summary" in page.text
    assert client.get(link).status_code == 200  # not used up by a refusal


def test_a_passkey_answer_that_is_not_one_is_a_400_with_words(client: TestClient) -> None:
    client.get("/")
    token = keyed_hash("csrf", client.cookies.get("mp_csrf") or "")
    headers = {"x-csrf-token": token, "content-type": "application/json", "accept": "*/*"}
    for body in ("not json", "[]", "{}", '{"id": 7}', '"text"', "null"):
        response = client.post("/sign-in/passkey", content=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["ok"] is False, body


def test_a_nul_character_is_refused_the_same_on_both_databases(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(client, "/plan/steps/new", "/plan/steps", {"title": "Walk\x00ing"})
    assert response.status_code == 400
    # The form again, saying which answer and why, with what was typed (#18 outside-in: a
    # bare "could not read that" page, and the form was gone).
    page = parse(response.text)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None and "could not be read" in summary.get_text()
    title = page.find("input", attrs={"name": "title"})
    assert title is not None and str(title.get("value", "")).startswith("Walk")
    assert "Walk" not in client.get("/plan").text


def test_too_long_is_a_field_error_with_the_limit_and_nothing_is_cut_or_saved(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    long_title = "w" * 100_000
    page = post_form(client, "/plan/steps/new", "/plan/steps", {"title": long_title})
    assert page.status_code == 400 and "The step must be 200 characters or fewer" in page.text
    assert long_title in page.text  # what was typed is kept
    assert "www" not in client.get("/plan").text
    busy = {
        "label": "x" * 101,
        "repeat": "weekly",
        "weekday": "1",
        "starts": "10:00",
        "ends": "11:00",
    }
    refused = post_form(client, "/your-times", "/your-times/busy", busy)
    assert refused.status_code == 400
    assert "What it is must be 100 characters or fewer" in refused.text


def test_an_impossible_preference_time_changes_nothing(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    saved = post_form(client, "/your-times", "/your-times/preferences", {"not_before": "13:00"})
    assert saved.status_code == 303
    wrong = post_form(client, "/your-times", "/your-times/preferences", {"not_before": "99:99"})
    assert wrong.status_code == 400 and "Choose a time from the list" in wrong.text
    assert 'id="not_before-error"' in wrong.text  # the message is by the field too
    assert 'value="13:00" selected' in client.get("/your-times").text
    # The choices sent come back as sent, errors by the fields, the summary's links land.
    crossed = {"not_before": "15:00", "not_after": "11:00", "avoid": ["1", "3"]}
    wrong = post_form(client, "/your-times", "/your-times/preferences", crossed)
    assert wrong.status_code == 400 and 'id="not_after-error"' in wrong.text
    assert 'value="15:00" selected' in wrong.text and 'value="11:00" selected' in wrong.text
    forged = post_form(client, "/your-times", "/your-times/preferences", {"avoid": ["9"]})
    assert 'href="#avoid"' in forged.text and 'id="avoid"' in forged.text


def test_the_change_page_error_link_lands_on_the_first_time_and_describes_the_choice(
    client: TestClient, db: Session
) -> None:
    """The error summary links to #slot: that must be the first radio (GOV.UK's radios), and
    the fieldset must be described by the error (it was the radios div, focusing nothing)."""
    from datetime import timedelta

    from app.core.clock import london_datetime, london_today
    from tests.factories import make_appointment, make_slot

    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    day = london_today() + timedelta(days=14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    make_slot(db, adviser, london_datetime(day, 14))
    sign_in_client(client, db, user)
    page = f"/appointments/{appointment.id}/change"
    refused = post_form(client, page, page, {})
    assert refused.status_code == 400
    html = refused.text
    assert 'href="#slot"' in html
    first_radio = re.search(r'<input class="govuk-radios__input" id="([^"]+)" name="slot"', html)
    assert first_radio is not None and first_radio.group(1) == "slot"
    fieldset = re.search(r'<fieldset class="govuk-fieldset"[^>]*>', html)
    assert fieldset is not None and "slot-error" in fieldset.group(0)


def test_a_form_over_the_size_limit_says_what_was_too_long_and_changes_nothing(
    client: TestClient, db: Session
) -> None:
    from sqlmodel import select

    from app.action_plans.models import PlanStep
    from app.core.forms import MAX_FORM_BYTES

    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    huge = {"title": "x" * (MAX_FORM_BYTES + 1)}
    page = post_form(client, "/plan/steps/new", "/plan/steps", huge)
    assert page.status_code == 413
    assert "What you sent was too long" in page.text
    assert "back button" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    assert db.exec(select(PlanStep)).first() is None
    # Under the limit but over the field's: the form again, the words kept, the limit said.
    long = {"title": "y" * 100_000}
    page = post_form(client, "/plan/steps/new", "/plan/steps", long)
    assert page.status_code == 400
    assert "The step must be 200 characters or fewer" in page.text
    assert "y" * 100_000 in page.text
    assert db.exec(select(PlanStep)).first() is None


def test_a_form_address_opened_as_a_page_is_not_found(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    page = client.get("/your-times/busy")
    assert page.status_code == 405
    assert "Page not found" in page.text
