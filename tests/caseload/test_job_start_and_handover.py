"""Job start: RTWC hint at 16 hours or more, check-ins in weeks 1, 2 and 4 appear on the day
and the client's home shows the starting-work checklist. Hand-over: the client is told the new
adviser's name."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import LONDON, frozen_now, london_today
from app.people.models import DetailLevel, ReminderSettings
from tests.factories import (
    done_in,
    last_message_to,
    make_admin,
    make_adviser,
    make_client,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse


def test_recording_a_job_start(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Jac Job")
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    start = london_today()
    response = post_form(
        client, url, f"{url}/job-start", {"started_on": start.isoformat(), "hours": "20"}
    )
    assert response.headers["location"].endswith("#job-start")
    assert done_in(response.headers["location"]) == {"job": "yes"}
    page = parse(client.get(url).text)
    assert page.find(id="rtwc-hint") is not None
    assert "check-in" not in client.get("/adviser").text  # not due yet
    week_one = datetime.combine(start + timedelta(weeks=1), time(9), tzinfo=LONDON)
    for moment, due in ((week_one, 1), (week_one + timedelta(weeks=3), 3)):
        with frozen_now(moment):
            client.cookies.clear()  # a staff session would have timed out by then
            sign_in_staff(client, adviser_user)
            assert client.get("/adviser").text.count("time for a check-in") == due
    client.cookies.clear()
    sign_in_client(client, db, user)
    assert parse(client.get("/home").text).find(id="starting-work") is not None


def test_under_16_hours_gives_no_rtwc_hint_and_bad_input_changes_nothing(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    bad = post_form(client, url, f"{url}/job-start", {"started_on": "soon", "hours": "20"})
    assert bad.status_code == 400
    assert "Enter a real date, like" in bad.text
    db.refresh(profile)
    assert profile.in_work_since is None
    post_form(
        client, url, f"{url}/job-start", {"started_on": london_today().isoformat(), "hours": "12"}
    )
    assert parse(client.get(url).text).find(id="rtwc-hint") is None


@pytest.mark.parametrize("detail", ["discreet", "detailed"])
def test_hand_over_tells_the_client_of_the_new_adviser_by_name_only_if_detailed(
    client: TestClient, db: Session, detail: str
) -> None:
    first, _ = make_adviser(db, name="First Adviser")
    second, _ = make_adviser(db, name="Gwen Newadviser")
    profile, user = make_client(db, first)
    assert profile.id is not None
    db.add(ReminderSettings(client_id=profile.id, detail=DetailLevel(detail)))
    db.flush()
    sign_in_staff(client, make_admin(db))
    post_form(
        client, "/admin", f"/admin/clients/{profile.id}/adviser", {"adviser_id": str(second.id)}
    )
    message = last_message_to(db, user.phone)  # type: ignore[arg-type]
    assert message is not None
    # A lock screen shows no name unless the client chose detailed messages.
    assert ("Gwen Newadviser" in message.body) == (detail == "detailed")
    assert "new adviser" in message.body or "Gwen" in message.body


def test_a_task_leaves_the_list_only_when_marked_done(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    _profile, user = make_client(db, adviser, name="Tess Task")
    sign_in_client(client, db, user)
    post_form(client, "/stories", "/account/talk-to-someone", {})
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    page = client.get("/adviser").text
    assert "would like to talk to someone" in page
    form = parse(page).find("form", action=lambda a: bool(a) and a.endswith("/done"))
    assert form is not None
    action = str(form["action"])
    assert post_form(client, "/adviser", action, {}).status_code == 303
    assert "would like to talk to someone" not in client.get("/adviser").text
    _other_adviser, other_user = make_adviser(db, name="Other")
    client.cookies.clear()
    sign_in_staff(client, other_user)
    assert post_form(client, "/adviser/availability", action, {}).status_code == 404


def test_a_job_that_starts_later_reads_you_start_not_you_started(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Fay Future")
    sign_in_staff(client, adviser_user)
    url = f"/adviser/clients/{profile.id}"
    later = london_today() + timedelta(days=10)
    post_form(client, url, f"{url}/job-start", {"started_on": later.isoformat(), "hours": "20"})
    assert "Starts work on" in parse(client.get(url).text).get_text(" ")
    client.cookies.clear()
    sign_in_client(client, db, user)
    card = parse(client.get("/home").text).find(id="starting-work")
    assert card is not None
    words = " ".join(card.get_text(" ").split())
    assert "You start work on" in words and "You started" not in words
    # Once the day has come, it is in the past tense.
    with frozen_now(datetime.combine(later + timedelta(days=1), time(9), tzinfo=LONDON)):
        client.cookies.clear()
        sign_in_client(client, db, user)
        card = parse(client.get("/home").text).find(id="starting-work")
        assert card is not None and "You started work on" in " ".join(card.get_text(" ").split())
