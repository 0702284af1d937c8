"""Acceptance scenarios 1 to 5 of the brief, in Chromium: client on a phone, adviser on a desktop.
(Reminder steps are checked with the reminders work.)"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.core.clock import london_today, to_london
from app.delivery.models import NotificationKind, NotificationStatus
from tests.browser.conftest import LiveServer, assert_accessible, demo_staff_code, new_context
from tests.browser.scenario_data import messages_to, new_client_with_first_wfi
from tests.browser.test_accounts import DESKTOP, client_signs_in
from tests.browser.words import LANGUAGES, words

pytestmark = pytest.mark.browser


# adviser1 signs in once per run; later tests open a new context with that session. Each
# authenticator code works once, so signing in again meant waiting up to 30 s for the next.
_adviser_session: dict[str, Any] = {}


def _adviser_page(browser: Browser, server: LiveServer) -> Page:
    """adviser1's caseload at desk size, in a context of its own (closed after the test)."""
    state = _adviser_session.get(server.url)
    if state is not None:
        page = new_context(browser, viewport=DESKTOP, storage_state=state).new_page()
        page.goto(server.url + "/adviser")
        if page.locator("h1").inner_text() == "Your caseload":
            return page
    page = new_context(browser, viewport=DESKTOP).new_page()
    code = demo_staff_code(page, server.url)
    page.goto(server.url + "/adviser/sign-in")
    page.get_by_label("Work email address").fill("adviser1@example.org")
    page.get_by_label("Password").fill("demo-adviser-password")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your caseload")
    _adviser_session[server.url] = page.context.storage_state()
    return page


def _afternoon(label: str) -> bool:
    """'Wednesday 25 November, 1:15pm – by phone, 60 minutes' -> True; '9:30am' or 'midday'
    -> False."""
    when = re.search(r", (\S+?)(?: –|$)", label).group(1)  # type: ignore[union-attr]
    return when.endswith("pm")


def _minutes(label: str) -> int:
    """Minutes after midnight of a slot label's start time."""
    when = re.search(r", (\S+?)(?: –|$)", label).group(1)  # type: ignore[union-attr]
    if when == "midday":
        return 12 * 60
    match = re.fullmatch(r"(\d+)(?::(\d+))?(am|pm)", when)
    assert match, when
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "pm" else 0)
    return hour * 60 + int(match.group(2) or 0)


def _slot_labels(page: Page) -> list[str]:
    return page.locator(
        '.govuk-radios__item:has(input[name="slot"]) .govuk-radios__label'
    ).all_inner_texts()


@pytest.mark.parametrize("language", LANGUAGES)
def test_scenario_1_first_interview_change_help_and_pause(
    page: Page, browser: Browser, live_server: LiveServer, language: str
) -> None:
    t = words(language)
    data = new_client_with_first_wfi(live_server.database_url, "Ffion", language=language)
    client_signs_in(page, live_server, data.phone, language)
    next_card = page.locator("#next-appointment")
    expect(next_card).to_contain_text(t("About %(minutes)s minutes", minutes=60))
    page.get_by_role("link", name=t("What will happen, and help you can ask for")).click()
    expect(page.locator("main")).to_contain_text(
        t(
            "This is a Work Focused Interview: a conversation with your adviser, about what "
            "help might suit you. It lasts about %(minutes)s minutes.",
            minutes=60,
        )
    )
    expect(page.locator("main")).to_contain_text(
        t("You can bring someone with you, like a friend, relative or support worker.")
    )
    assert_accessible(page)

    page.get_by_label(t("Help with travel costs (bring your tickets)")).check()
    page.get_by_label(t("A phone call before the appointment")).check()
    page.get_by_label(t("I am bringing someone")).check()
    page.get_by_label(t("Their name")).fill("Dewi")
    page.get_by_role("button", name=t("Ask for this")).click()
    asked = page.locator("#help-requests")
    expect(asked).to_contain_text(t("You asked for help with travel costs."))
    expect(asked).to_contain_text(t("You are bringing someone (%(name)s).", name="Dewi"))
    assert_accessible(page)

    # Reminders the day before and that morning.
    page.goto(live_server.url + "/settings/reminders")
    page.locator("#lead-morning-of").check()
    page.locator("#lead-2-hours").uncheck()
    page.locator("form[action='/settings/reminders'] button[type=submit]").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.goto(live_server.url + f"/appointments/{data.appointment_id}")

    page.get_by_role("link", name=t("Change this"), exact=True).click()
    expect(page.locator("h1")).to_have_text(t("Choose a new time"))
    assert_accessible(page)
    labels = _slot_labels(page)
    assert len(labels) >= 6
    # A time at the same place as now: one elsewhere is asked about first (see
    # tests/browser/test_no_silent_changes.py), and the demo has phone times among these.
    same_place = page.locator(".govuk-radios__item:not(:has(.govuk-radios__hint))")
    labels = same_place.locator(".govuk-radios__label").all_inner_texts()
    same_place.locator('input[name="slot"]').nth(1).check()
    page.get_by_role("button", name=t("Choose this time")).click()
    expect(page.locator(".govuk-panel__title")).to_have_text(t("Your new time"))
    expect(page.locator(".govuk-panel__body")).to_have_text(labels[1].split(" – ")[0])
    assert_accessible(page)
    reminders = [
        to_london(r.due_at)
        for r in messages_to(live_server.database_url, data.client_id)
        if r.kind == NotificationKind.reminder and r.status == NotificationStatus.pending
    ]
    assert len(reminders) == 2, reminders
    day_before, morning = sorted(reminders)
    assert (morning.date() - day_before.date()).days == 1
    assert morning.hour == 8 and day_before.hour == 17

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    expect(adviser.locator("#needs")).to_contain_text("Travel costs: will bring tickets to claim")
    expect(adviser.locator("#needs")).to_contain_text("Bringing someone (Dewi)")
    expect(adviser.locator("#history")).to_contain_text("moved from")
    adviser.get_by_label("Review date").fill((london_today() + timedelta(weeks=6)).isoformat())
    adviser.get_by_label("Reason").select_option("nhs-treatment")
    adviser.get_by_role("button", name="Pause interviews").click()
    expect(adviser.locator("body")).to_contain_text("Paused until")
    assert_accessible(adviser)

    # Paused, and how to get in touch: the contact page gives the office's phone and hours,
    # a call back, and the message thread.
    page.goto(live_server.url + "/home")
    status = page.locator("#status")
    expect(status).to_contain_text(
        t("The door is open. You can get in touch with your adviser at any time, if you want to.")
    )
    assert_accessible(page)
    status.get_by_role("link", name=t("Contact your adviser")).click()
    expect(page.locator("h1")).to_have_text(t("Contact your adviser"))
    expect(page.locator("#office-phone")).to_be_visible()
    expect(page.locator("#opening-hours")).to_be_visible()
    expect(page.locator("form[action='/contact/call-me']")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=t("Send a message or read your messages")).click()
    page.get_by_label(t("Your message")).fill("Diolch / Thank you")
    page.get_by_role("button", name=t("Send message")).click()
    expect(page.locator("#thread")).to_contain_text("Diolch / Thank you")
    assert_accessible(page)


def test_scenario_2_nothing_before_1pm_offers_only_afternoons(
    page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Heledd")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/your-times")
    assert_accessible(page)
    page.get_by_label("Nothing before").select_option("13:00")
    page.get_by_role("button", name="Save times of day").click()
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    labels = _slot_labels(page)
    assert labels
    for label in labels:
        assert _afternoon(label), label
    expect(page.get_by_text("We have left out times that clash")).to_be_visible()
    assert_accessible(page)


def test_scenario_3_private_busy_time_hides_clashes_and_adviser_sees_busy(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Gareth")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    before = _slot_labels(page)
    # A time inside the therapy hours to come (9 to 11); which ones are left depends on the
    # time of day the test runs.
    morning = next(label for label in before if 9 * 60 <= _minutes(label) < 11 * 60)
    day = morning.split(" ")[0]
    page.goto(live_server.url + "/your-times")
    page.get_by_label("What is it? (optional, only you can see this)").fill("Therapy")
    page.get_by_label("Every week").check()  # "Day" opens under it
    page.get_by_label("Day", exact=True).select_option(label=day)
    page.get_by_label("From").fill("09:00")
    page.get_by_label("Until").fill("11:00")
    page.get_by_role("button", name="Add busy time").click()
    expect(page.locator("#busy-times")).to_contain_text("(Therapy)")
    assert_accessible(page)
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    after = _slot_labels(page)
    assert morning not in after
    for label in after:
        if label.startswith(day):
            assert _minutes(label) >= 11 * 60, label  # clear of therapy, 9 to 11
    expect(page.get_by_text("We have left out times that clash")).to_be_visible()

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    expect(adviser.locator("#needs")).to_contain_text("Busy: every")
    expect(adviser.locator("body")).not_to_contain_text("Therapy")
    assert_accessible(adviser)


def test_scenario_4_not_well_enough_reaches_the_adviser(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Iolo")
    client_signs_in(page, live_server, data.phone)
    page.get_by_role("button", name="I'm not well enough right now").click()
    expect(page.locator("h1")).to_have_text("Thank you for telling us")
    expect(page.get_by_text("You do not need to give a reason")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/home")
    expect(page.get_by_text("You told us you are not well enough right now")).to_be_visible()

    adviser = _adviser_page(browser, live_server)
    expect(adviser.locator("#attention")).to_contain_text(
        f"{data.full_name}: not well enough right now"
    )
    assert_accessible(adviser)
    adviser.get_by_role("link", name=data.full_name).first.click()
    adviser.get_by_role("button", name="Arrange a call").click()
    expect(adviser.locator("body")).not_to_contain_text("Not well enough right now")


# Words about a condition, in each language: nothing on the way may ask about one.
CONDITION_WORDS = {
    "en": ("condition", "diagnosis", "symptom"),
    "cy": ("cyflwr", "diagnosis", "symptom"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_scenario_5_venue_privacy_and_support_worker(
    page: Page, browser: Browser, live_server: LiveServer, language: str
) -> None:
    t = words(language)
    data = new_client_with_first_wfi(live_server.database_url, "Lowri", language=language)
    client_signs_in(page, live_server, data.phone, language)
    page.goto(live_server.url + f"/appointments/{data.appointment_id}")
    page.get_by_label(t("Meet at home or a community place")).check()
    page.get_by_label(t("A private room")).check()
    page.get_by_label(t("I am bringing someone")).check()
    page.get_by_label(t("Their name")).fill("Sam, my support worker")
    page.get_by_role("button", name=t("Ask for this")).click()
    expect(page.locator("#help-requests")).to_contain_text(t("You asked for a private room."))
    for word in CONDITION_WORDS[language]:
        expect(page.locator("main")).not_to_contain_text(word)
    assert_accessible(page)

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    needs = adviser.locator("#needs")
    expect(needs).to_contain_text("Meet at their home or a community place")
    expect(needs).to_contain_text("Private room needed")
    expect(needs).to_contain_text("Sam, my support worker")
    assert_accessible(adviser)
