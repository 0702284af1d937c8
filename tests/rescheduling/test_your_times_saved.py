"""Saving times of day or a busy time says what changed, in plain words, above the heading."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import done_in, make_adviser, make_client, post_form, sign_in_client
from tests.html import parse


def _banner(html: str) -> str:
    page = parse(html)
    banner = page.select_one(".govuk-notification-banner--success")
    assert banner is not None, "no confirmation shown"
    heading = page.find("h1")
    assert heading is not None
    # Near the top: before the page's heading (and so before any clash banner under it).
    assert str(page).index(str(banner)) < str(page).index(str(heading))
    return " ".join(banner.get_text(" ").split())


def test_saving_times_of_day_says_what_we_will_not_offer(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    assert (
        parse(client.get("/your-times").text).select_one(".govuk-notification-banner--success")
        is None
    )
    saved = post_form(client, "/your-times", "/your-times/preferences", {"not_before": "13:00"})
    assert done_in(saved.headers["location"]) == {"saved": "times"}
    assert "Saved. We will not offer times before 1pm." in _banner(
        client.get(saved.headers["location"]).text
    )

    both = {"not_before": "10:00", "not_after": "15:00", "avoid": ["0", "4"]}
    saved = post_form(client, "/your-times", "/your-times/preferences", both)
    words = _banner(client.get(saved.headers["location"]).text)
    assert "We will not offer times before 10am." in words
    assert "We will not offer times that end after 3pm." in words
    assert "We will not offer times on Monday, Friday." in words

    saved = post_form(client, "/your-times", "/your-times/preferences", {})
    words = _banner(client.get(saved.headers["location"]).text)
    assert "We can offer you times at any time of day, on any weekday." in words


def test_adding_and_removing_a_busy_time_is_confirmed_without_its_label(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    busy = {
        "label": "therapy",
        "repeat": "weekly",
        "weekday": "1",
        "starts": "10:00",
        "ends": "11:00",
    }
    saved = post_form(client, "/your-times", "/your-times/busy", busy)
    assert done_in(saved.headers["location"]) == {"saved": "busy"}  # the label stays out of the URL
    page = client.get(saved.headers["location"]).text
    assert "We will not offer times that clash with your busy times." in _banner(page)
    form = parse(page).select_one("#busy-times form")
    assert form is not None
    removed = post_form(client, "/your-times", str(form["action"]), {})
    assert done_in(removed.headers["location"]) == {"saved": "removed"}
    assert "Removed." in _banner(client.get(removed.headers["location"]).text)


def test_the_confirmation_is_in_welsh(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db)
    _profile, user = make_client(db, adviser, language="cy")
    sign_in_client(client, db, user)
    client.get("/language/cy?next=/")
    saved = post_form(client, "/your-times", "/your-times/preferences", {"not_before": "13:00"})
    assert "Fyddwn ni ddim yn cynnig amseroedd cyn" in _banner(
        client.get(saved.headers["location"]).text
    )
