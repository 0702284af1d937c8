"""The copy of everything we hold: a page a person can read, print or save, and the same data
as JSON; both hold the plan and its history, busy times, preferences, help asked, check-in
answers, reminders sent and who looked, and never a sign-in code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.clock import london_datetime, london_today, utcnow
from app.data_rights import export as data_export
from app.data_rights import views as data_views
from app.delivery.models import Channel, Notification, NotificationKind, NotificationStatus
from app.people.models import ClientProfile, User
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse, text


def _client_with_a_history(client: TestClient, db: Session) -> tuple[ClientProfile, User]:
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser, name="Dai Data")
    user.phone = "+447700900138"
    db.add(user)
    db.flush()
    starts = london_datetime(london_today() + timedelta(days=7), 14)
    appointment = make_appointment(db, profile, make_slot(db, adviser, starts))
    # The adviser opens the record: that is a visit the client can see.
    sign_in_staff(client, adviser_user)
    assert client.get(f"/adviser/clients/{profile.id}").status_code == 200
    client.cookies.clear()
    sign_in_client(client, db, user)
    steps: list[tuple[str, str, dict[str, str | list[str]]]] = [
        ("/plan/steps/new", "/plan/steps", {"title": "Walk to the park"}),
        (
            "/your-times",
            "/your-times/busy",
            {
                "label": "therapy",
                "repeat": "weekly",
                "weekday": "1",
                "starts": "10:00",
                "ends": "11:00",
            },
        ),
        ("/your-times", "/your-times/preferences", {"not_before": "13:00"}),
        (
            "/settings/reminders",
            "/settings/reminders",
            {
                "channels": ["sms"],
                "lead_times": ["day-before"],
                "reminder_hour": "15",
                "quiet_start": "22",
                "quiet_end": "9",
                "detail": "discreet",
            },
        ),
        (
            f"/appointments/{appointment.id}",
            f"/appointments/{appointment.id}/help",
            {"kinds": ["travel"]},
        ),
        ("/check-in", "/check-in", {"answer": "not-yet"}),
    ]
    for page, action, data in steps:
        assert post_form(client, page, action, data).status_code == 303, action
    now = utcnow()
    db.add(
        Notification(
            idempotency_key="export-test-reminder",
            subject=f"appointment:{appointment.id}",
            kind=NotificationKind.reminder,
            user_id=user.id,
            channel=Channel.sms,
            recipient=user.phone,
            body="Reminder: you have an appointment tomorrow at 2pm.",
            sms_body="Reminder: you have an appointment tomorrow at 2pm.",
            due_at=now,
            next_attempt_at=now,
            status=NotificationStatus.delivered,
            sent_at=now,
        )
    )
    db.flush()
    return profile, user


def test_the_json_holds_everything_and_no_sign_in_code(client: TestClient, db: Session) -> None:
    _client_with_a_history(client, db)
    response = client.get("/account/download")
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert [s["title"] for s in data["plan"]["steps"]] == ["Walk to the park"]
    assert data["plan_history"] and data["plan_history"][0]["step_title"] == "Walk to the park"
    assert data["busy_times"][0]["label"] == "therapy"
    assert data["time_preferences"]["not_before"] == "13:00:00"
    assert data["reminder_settings"]["quiet_start"] == 22 * 60
    assert [h["kind"] for h in data["help_asked"]] == ["travel"]
    assert [h["kind"] for h in data["help_at_every_appointment"]] == ["travel"]
    assert data["booked_for_you"] == [] and data["group_or_one_to_one"] is None
    assert [c["answer"] for c in data["check_in_answers"]] == ["not-yet"]
    # Found by what it is, not by place: the booking's confirmation is due "now" too, or at
    # the end of the client's quiet hours, so the order depends on the time of day.
    delivered = [m for m in data["reminders_sent"] if m["status"] == "delivered"]
    assert len(delivered) == 1
    assert {"kind": "reminder", "channel": "sms"}.items() <= delivered[0].items()
    assert delivered[0]["sent_at"]
    assert [(v["name"], v["role"]) for v in data["who_looked"]] == [("Ada Adviser", "adviser")]
    # Sign-in codes were sent to this phone, and are not in the copy.
    assert all(m["kind"] != "sign-in-code" for m in data["reminders_sent"])
    assert "code_hash" not in response.text and "token_hash" not in response.text


def test_the_page_shows_the_same_things_in_words(client: TestClient, db: Session) -> None:
    _client_with_a_history(client, db)
    response = client.get("/account/your-data")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = parse(response.text)
    words = text(response.text)
    assert "Everything we hold about you" in words
    download = page.find("a", href="/account/download")
    assert download is not None and download.get_text(strip=True) == "Download as a JSON file"
    assert "07700 900138" in words and "+44" not in words
    for section, expected in {
        "plan-steps": "Walk to the park",
        "plan-history": "Walk to the park",
        "busy-times": "therapy",
        "time-preferences": "1pm",
        "reminder-settings": "10pm – 9am",
        "help-asked": "Help with travel costs",
        "help-every-time": "Help with travel costs",
        "group-or-one-to-one": "Not said",
        "booked-for-you": "None",
        "check-in-answers": "Not yet. I am not ready",
        "reminders-sent": "Delivered",
        "who-looked": "Ada Adviser, adviser",
    }.items():
        found = page.find(id=section)
        assert found is not None, section
        assert expected in " ".join(found.get_text(" ").split()), section
    assert "Your adviser's own working notes" in words


def test_the_account_page_links_to_it(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    page = parse(client.get("/account").text)
    assert page.find("a", href="/account/your-data") is not None


def test_a_messages_thread_is_shown_when_the_export_has_one(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    real = data_export.export_client_data

    def with_messages(**kwargs: Any) -> dict[str, Any]:
        data = real(**kwargs)
        data["messages"] = [
            {"created_at": utcnow(), "author_role": "adviser", "body": "See you on Tuesday"}
        ]
        return data

    monkeypatch.setattr(data_views, "export_client_data", with_messages)
    page = parse(client.get("/account/your-data").text)
    thread = page.find(id="messages")
    assert thread is not None and "See you on Tuesday" in thread.get_text(" ")
    assert "Your adviser" in thread.get_text(" ")


def test_the_page_in_welsh(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser, language="cy")
    sign_in_client(client, db, user)
    client.get("/language/cy?next=/")
    page = parse(client.get("/account/your-data").text)
    assert page.html is not None and page.html["lang"] == "cy"
    assert "Popeth sydd gennym amdanoch chi" in page.get_text(" ")
