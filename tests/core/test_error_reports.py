"""Error reports (MYPATHWAYS_SENTRY_DSN) leave without request bodies, cookies, query strings,
user data or anything that looks like a phone number or an email address."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core.config import Environment, Settings
from app.core.error_reports import init_error_reports, scrub_event, scrub_text


def event_from_a_failed_sign_in() -> dict[str, Any]:
    return {
        "message": "could not send to 07700 900457",
        "request": {
            "url": "https://mypathways.example/sign-in?contact=07700900457",
            "method": "POST",
            "data": {"contact": "07700 900457"},
            "cookies": {"session": "secret-session"},
            "query_string": "contact=07700900457",
            "headers": {
                "Cookie": "session=secret-session",
                "Authorization": "Bearer abc",
                "X-Forwarded-For": "203.0.113.9",
                "User-Agent": "Firefox",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": 12, "email": "client@example.com", "ip_address": "203.0.113.9"},
        "exception": {"values": [{"type": "ValueError", "value": "bad number +44 7700 900457"}]},
        "breadcrumbs": {"values": [{"message": "texting 447700900457 or name@example.org"}]},
        "extra": {"tuple": ("0044 7700 900457",), "count": 3},
    }


def test_the_scrubber_removes_bodies_cookies_queries_user_and_phone_numbers() -> None:
    event = scrub_event(event_from_a_failed_sign_in(), None)
    request = event["request"]
    assert set(request) == {"url", "method", "headers"}
    assert request["url"] == "https://mypathways.example/sign-in"
    assert request["headers"] == {"User-Agent": "Firefox"}
    assert "user" not in event
    assert event["message"] == "could not send to [phone]"
    assert event["exception"]["values"][0]["value"] == "bad number [phone]"
    assert event["extra"] == {"tuple": ["[phone]"], "count": 3}
    text = json.dumps(event)
    for personal in ("900457", "7700", "example.com", "example.org", "secret", "203.0.113"):
        assert personal not in text


@pytest.mark.parametrize(
    "number",
    [
        "07700 900457",
        "07700900457",
        "+447700900457",
        "+44 (0) 7700 900457",
        "020 7946 0000",
        "0044 7700 900 457",
        "07700-900-457",
        "+33 6 12 34 56 78",
    ],
)
def test_phone_numbers_as_people_write_them_are_blanked(number: str) -> None:
    assert scrub_text(f"call {number} now") == "call [phone] now"


@pytest.mark.parametrize(
    "kept",
    ["2026-12-01 10:03:55", "notification 123456 sent", "took 1009.9ms", "line 42"],
)
def test_times_ids_and_durations_are_kept(kept: str) -> None:
    assert scrub_text(kept) == kept


def test_no_dsn_no_error_reports() -> None:
    assert init_error_reports(Settings(env=Environment.test)) is False


def test_with_a_dsn_sentry_starts_without_personal_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import sentry_sdk

    from app.core import error_reports

    seen: dict[str, Any] = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: seen.update(options))
    monkeypatch.setattr(error_reports, "_started", False)  # put back after the test
    settings = Settings(env=Environment.test, sentry_dsn="https://key@errors.example/1")
    assert init_error_reports(settings) is True
    assert seen["send_default_pii"] is False and seen["include_local_variables"] is False
    assert seen["max_request_body_size"] == "never"
    assert seen["before_send"] is scrub_event
    crumb = seen["before_breadcrumb"]({"message": "to 07700 900457"}, None)
    assert crumb == {"message": "to [phone]"}


def test_a_report_names_the_request_id_only_when_reports_are_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sentry_sdk

    from app.core import error_reports

    tags: dict[str, str] = {}

    class Scope:
        def set_tag(self, name: str, value: str) -> None:
            tags[name] = value

    monkeypatch.setattr(sentry_sdk, "get_isolation_scope", Scope)
    error_reports.tag_request("before")
    assert tags == {}
    monkeypatch.setattr(error_reports, "_started", True)
    error_reports.tag_request("3f2c")
    assert tags == {"request_id": "3f2c"}


def test_a_secret_links_token_never_leaves_in_an_address() -> None:
    """Calendar feed and invitation links are secrets (#21 outside-in: the path kept them)."""
    token = "Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA"
    event = {
        "request": {"url": f"https://mypathways.example.org/calendar/{token}.ics?x=1"},
        "breadcrumbs": {"values": [{"data": {"url": f"https://x.example.org/invitation/{token}"}}]},
    }
    scrubbed = str(scrub_event(event))
    assert token not in scrubbed and "/calendar/[token].ics" in scrubbed
    # Our own addresses, with their ids, are kept.
    kept = scrub_event({"request": {"url": "https://a.example.org/adviser/clients/12/plan"}})
    assert kept["request"]["url"] == "https://a.example.org/adviser/clients/12/plan"
