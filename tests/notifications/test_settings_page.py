"""The reminder settings page: what it shows, what it saves, kind errors, the test button, and
the push subscription endpoints (authorised, CSRF-protected, known push services only)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.delivery.models import Notification, NotificationKind, PushSubscription
from app.people.models import ReminderSettings
from tests.factories import csrf_from, done_in, make_adviser, make_client, post_form, sign_in_client
from tests.html import heading, parse, text

GOOD = {
    "channels": ["sms"],
    "lead_times": ["day-before", "morning-of"],
    "reminder_hour": "15",
    "quiet_start": "22",
    "quiet_end": "13",
    "detail": "detailed",
}


def test_the_page_explains_before_it_asks(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    page = client.get("/settings/reminders")
    assert heading(page.text) == "Reminders"
    words = text(page.text)
    assert "your phone will ask if it may show notifications. You can say no" in words
    assert "We never send anything in your quiet hours" in words
    # The push buttons are hidden until the script finds the browser can do push.
    buttons = parse(page.text).select("[data-push]")
    assert buttons and all(b.has_attr("hidden") for b in buttons)
    defaults = parse(page.text)
    assert defaults.select_one("#lead-day-before").has_attr("checked")  # type: ignore[union-attr]
    assert defaults.select_one("#lead-2-hours").has_attr("checked")  # type: ignore[union-attr]
    assert defaults.select_one("#quiet_start option[selected]")["value"] == "21"  # type: ignore[index]


def test_saving_keeps_every_choice(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(client, "/settings/reminders", "/settings/reminders", GOOD)
    assert done_in(response.headers["location"]) == {"saved": "1"}
    saved = db.get(ReminderSettings, profile.id)
    assert saved is not None
    assert (saved.push_on, saved.sms_on) == (False, True)
    assert saved.lead_times == "day-before,morning-of"
    assert (saved.reminder_hour, saved.quiet_start, saved.quiet_end) == (15, 22 * 60, 13 * 60)
    assert saved.detail == "detailed" and saved.version == 1
    shown = text(client.get(response.headers["location"]).text)
    assert "Your reminder settings are saved." in shown and "will not get reminders" not in shown
    # Every way turned off is allowed (the client is in control) and said plainly.
    post_form(client, "/settings/reminders", "/settings/reminders", {**GOOD, "channels": []})
    shown = text(client.get(response.headers["location"]).text)
    assert "You will not get reminders until you choose a way to get them." in shown


def test_a_tampered_value_gets_a_kind_error_and_keeps_the_rest(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(
        client, "/settings/reminders", "/settings/reminders", {**GOOD, "quiet_end": "3"}
    )
    assert response.status_code == 400
    page = parse(response.text)
    assert "Choose when your quiet hours end" in page.select_one(".govuk-error-summary").get_text()  # type: ignore[union-attr]
    assert page.select_one("#lead-morning-of").has_attr("checked")  # type: ignore[union-attr]
    assert page.select_one("#detail-detailed").has_attr("checked")  # type: ignore[union-attr]
    assert db.get(ReminderSettings, profile.id) is None


def test_send_me_a_test_queues_one_at_once(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(client, "/settings/reminders", "/settings/reminders/test", {})
    assert done_in(response.headers["location"]) == {"tested": "1"}
    [test] = db.exec(
        select(Notification).where(
            Notification.user_id == user.id, Notification.kind == NotificationKind.test
        )
    ).all()
    assert not test.respects_quiet_hours
    assert "We have sent you a test" in text(client.get(response.headers["location"]).text)


def _subscription(endpoint: str) -> dict:  # type: ignore[type-arg]
    return {"endpoint": endpoint, "keys": {"p256dh": "B" * 87, "auth": "A" * 22}}


def test_push_subscriptions_are_saved_for_known_services_only(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    token = csrf_from(client.get("/settings/reminders").text)
    headers = {"x-csrf-token": token, "accept": "application/json"}
    good = "https://fcm.googleapis.com/fcm/send/abc123"
    assert (
        client.post(
            "/settings/reminders/push", json=_subscription(good), headers=headers
        ).status_code
        == 201
    )
    forged = "https://169.254.169.254/latest/meta-data"
    assert (
        client.post(
            "/settings/reminders/push", json=_subscription(forged), headers=headers
        ).status_code
        == 422
    )
    plain = "http://fcm.googleapis.com/fcm/send/abc123"
    assert (
        client.post(
            "/settings/reminders/push", json=_subscription(plain), headers=headers
        ).status_code
        == 422
    )
    no_token = client.post(
        "/settings/reminders/push",
        json=_subscription(good + "x"),
        headers={"accept": "application/json"},
    )
    assert no_token.status_code == 403
    saved = db.exec(select(PushSubscription).where(PushSubscription.user_id == user.id)).all()
    assert [s.endpoint for s in saved] == [good]
    removed = client.post(
        "/settings/reminders/push/remove", json={"endpoint": good}, headers=headers
    )
    assert removed.status_code == 204
    assert db.exec(select(PushSubscription).where(PushSubscription.user_id == user.id)).all() == []


def test_advisers_and_strangers_cannot_use_the_page(client: TestClient, db: Session) -> None:
    assert client.get("/settings/reminders", follow_redirects=False).status_code in (303, 401)


def test_the_page_says_devices_and_the_number_in_peoples_words(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    user.phone = "+447700900138"
    db.add(user)
    db.flush()
    sign_in_client(client, db, user)
    assert user.id is not None
    words = text(client.get("/settings/reminders").text)
    assert "Not set up on any phone yet." in words and "0 devices" not in words
    assert "To 07700 900138" in words and "+44" not in words
    for n in (1, 2):
        db.add(
            PushSubscription(
                user_id=user.id, endpoint=f"https://fcm.googleapis.com/x/{n}", p256dh="k", auth="a"
            )
        )
        db.flush()
        words = text(client.get("/settings/reminders").text)
        assert ("Set up on 1 phone." if n == 1 else "Set up on 2 phones.") in words


def test_the_saved_banner_says_the_quiet_hours(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    response = post_form(client, "/settings/reminders", "/settings/reminders", GOOD)
    banner = parse(client.get(response.headers["location"]).text).select_one(
        ".govuk-notification-banner--success"
    )
    assert banner is not None
    assert "We will not send anything between 10pm and 1pm." in text(str(banner))
