"""Help with a detail needs the detail: an interpreter without a language or a companion
without a name is refused with the error summary, the typing kept (found by an outside-in
tester: the adviser saw "Interpreter needed" and no language). Help already asked for is not
offered again as if it were new."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.models import HelpRequest
from app.core.clock import london_datetime, london_today
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
)
from tests.html import parse


def _appointment_url(client: TestClient, db: Session) -> str:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    starts = london_datetime(london_today() + timedelta(days=3), 14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, starts))
    sign_in_client(client, db, user)
    return f"/appointments/{appointment.id}"


def _summary(html: str) -> list[str]:
    found = parse(html).find(class_="govuk-error-summary__list")
    assert found is not None, "no error summary"
    return [" ".join(li.get_text(" ").split()) for li in found.find_all("li")]


def test_a_ticked_interpreter_or_companion_needs_its_detail(
    client: TestClient, db: Session
) -> None:
    url = _appointment_url(client, db)
    sent = post_form(
        client,
        url,
        f"{url}/help",
        {"kinds": ["travel", "interpreter", "companion"], "companion_name": "Ffion"},
    )
    assert sent.status_code == 400
    assert _summary(sent.text) == ["Enter the language you would like"]
    page = parse(sent.text)
    assert page.find("input", id="companion_name")["value"] == "Ffion"  # type: ignore[index]
    assert db.exec(select(HelpRequest)).all() == []

    needs = post_form(
        client, "/your-needs", "/your-needs", {"kinds": ["companion"], "companion_name": ""}
    )
    assert needs.status_code == 400
    assert _summary(needs.text) == ["Enter the name of the person coming with you"]


def test_help_already_asked_for_is_not_offered_as_new(client: TestClient, db: Session) -> None:
    url = _appointment_url(client, db)
    post_form(
        client,
        url,
        f"{url}/help",
        {"kinds": ["travel", "interpreter"], "interpreter_language": "Polish"},
    )
    page = parse(client.get(url).text)
    form = page.find("form", action=f"{url}/help")
    assert form is not None
    offered = {str(i["value"]) for i in form.find_all("input", attrs={"name": "kinds"})}
    assert "travel" not in offered and "childcare" in offered
    assert "You have asked for this" in form.get_text()
